"""Grammar rules for the common learner and typing slips that a pattern catches reliably.

Each rule proposes a `Candidate`. `sure` ones are applied as they are ("should of" -> "should
have", "I has" -> "I have", "a apple" -> "an apple"); the others are only proposals that the
language model must prefer by a margin before they are kept (see ranking.py): agreement after a
noun ("the librarian were"), a plural after "some"/"many" ("some book"), "more easier", and the homophones
its/it's, their/there/they're, your/you're, then/than, where a pattern alone is often wrong.
The verb form after a modal or do (verb_forms.py) and the noun rules (noun_forms.py: affect/effect,
"a cars", "this reasons") and words glued together (glued.py: "alot") live in their own modules
and are merged here.
Nothing here touches a capitalised word other than a pronoun, nor anything protected.
"""

from __future__ import annotations

import re
from typing import Callable

from .candidate import WORDS, Candidate, _case  # noqa: F401 - ranking.py imports them from here
from .glued import glued_candidates
from .noun_forms import noun_form_candidates
from .verb_forms import bare_infinitive_candidates, verb_form_candidates

_MODALS = {"should", "could", "would", "must", "might", "may"}
# what follows "I" / "he, she, it" / "we, they, you" when the verb does not agree
_AFTER_I = {"has": "have", "is": "am", "does": "do", "doesn't": "don't", "doesnt": "don't"}
_AFTER_3SG = {"have": "has", "do": "does", "don't": "doesn't", "dont": "doesn't", "are": "is"}
_AFTER_PL = {"has": "have", "was": "were", "is": "are", "does": "do", "doesn't": "don't", "doesnt": "don't"}
# words before a subject pronoun that make a bare verb right ("does he have", "let it do", "if it were")
_BARE_OK = {"does", "did", "do", "will", "would", "can", "could", "should", "shall", "may", "might", "must", "to",
            "let", "make", "makes", "made", "help", "helps", "helped", "watch", "saw", "see", "hear", "heard", "why",
            "doesn't", "didn't", "won't", "can't", "couldn't", "wouldn't", "shouldn't", "whether"}
_DETERMINERS = {"the", "this", "that", "my", "his", "her", "our", "their", "your", "its"}
_SINGULAR_BE = {"were": "was", "are": "is", "have": "has"}
_PLURAL_BE = {"was": "were", "is": "are", "has": "have"}
_QUANTIFIERS = {"some", "many", "several", "few", "various", "both", "these", "those", "two", "three", "four", "five",
                "six", "seven", "eight", "nine", "ten", "numerous", "multiple"}
_AFTER_NOUN_OK = {"are", "were", "have", "do", "will", "can", "could", "would", "should", "may", "might", "must",
                  "that", "which", "who", "why", "and", "or", "but", "in", "on", "at", "to", "for", "of", "with",
                  "from", "about", "than", "as", "because", "so", "when", "where", "is", "was", "has", "does"}
# "a" before these vowel letters sounds like a consonant, "an" before these silent h's
_A_BEFORE = re.compile(r"^(?:uni|use|usu|uti|ure|eu|ewe|one|once|ubiq|uk)", re.IGNORECASE)
_AN_BEFORE = re.compile(r"^(?:hour|honest|honou?r|heir)", re.IGNORECASE)
_NOT_AFTER_ARTICLE = {"or", "and", "is", "was", "are", "were", "in", "on", "at", "of", "to", "for", "with", "by",
                      "as", "if", "but", "so", "the", "a", "an", "it", "its", "or", "nor", "then", "than"}
_HOMOPHONES = [{"its", "it's"}, {"their", "there", "they're"}, {"your", "you're"}, {"then", "than"}, {"whose", "who's"}]
# irregular simple pasts written where the perfect needs the participle ("has went" -> "has gone")
_PARTICIPLES = {"went": "gone", "did": "done", "saw": "seen", "came": "come", "ate": "eaten", "wrote": "written",
                "took": "taken", "gave": "given", "spoke": "spoken", "broke": "broken", "chose": "chosen",
                "began": "begun", "drank": "drunk", "ran": "run", "knew": "known", "grew": "grown", "threw": "thrown",
                "flew": "flown", "drove": "driven", "rode": "ridden", "forgot": "forgotten", "swam": "swum",
                "sang": "sung", "stole": "stolen", "fell": "fallen", "hid": "hidden", "rose": "risen", "woke": "woken"}
# words after which "their"/"there" is usually "they're" ("Their going to", "there not ready")
_THEYRE_NEXT = {"going", "coming", "doing", "getting", "trying", "making", "looking", "leaving", "working", "taking",
                "having", "being", "not", "gonna"}
_BE_AUX = {"is", "are", "was", "were", "isn't", "aren't", "wasn't", "weren't", "do", "does", "did", "will", "would"}  # "is there not"
_HAVE = {"has", "have", "had", "hasn't", "haven't", "hadn't", "'ve", "i've", "we've", "you've", "they've"}
# comparatives that "more" doubles ("more easier"); "more older people" may mean more of them, so
# the model confirms
_DOUBLED_COMPARATIVES = {"easier", "harder", "bigger", "smaller", "stronger", "weaker", "faster", "slower", "cheaper",
                         "richer", "poorer", "happier", "healthier", "safer", "longer", "shorter", "higher", "lower",
                         "better", "worse", "greater", "larger", "simpler", "busier", "wider", "deeper", "closer",
                         "nicer", "smarter", "cleaner", "quicker", "warmer", "colder", "hotter", "heavier", "lighter"}
_COMPARATIVES = {"more", "less", "better", "worse", "rather", "other", "bigger", "smaller", "larger", "higher", "lower",
                 "faster", "slower", "easier", "harder", "older", "younger", "longer", "shorter", "cheaper"}


def grammar_candidates(sentence: str, is_known: Callable[[str], bool],
                       free: Callable[[int, int], bool] = lambda s, e: True) -> list[Candidate]:
    """Rule proposals for one sentence (offsets relative to it), sorted by position."""
    words = [(m.group(), m.start(), m.end()) for m in WORDS.finditer(sentence)]
    out: list[Candidate] = []

    def add(k: int, replacement: str, sure: bool, rule: str) -> None:
        w, s, e = words[k]
        if free(s, e) and replacement != w:
            out.append(Candidate(s, e, w, _case(w, replacement), sure, rule))

    def adjacent(k: int) -> bool:  # words k and k+1 are separated by spaces only
        return k + 1 < len(words) and not sentence[words[k][2] : words[k + 1][1]].strip()

    for k, (w, s, e) in enumerate(words):
        low = w.lower().replace("’", "'")
        prev = words[k - 1][0].lower() if k > 0 and adjacent(k - 1) else ""
        nxt = words[k + 1][0] if adjacent(k) else ""
        nlow = nxt.lower().replace("’", "'")
        if low in _MODALS and nlow == "of" and not (k + 2 < len(words) and words[k + 2][0].lower() == "course" and adjacent(k + 1)):
            add(k + 1, "have", True, "modal of")
        if w == "I" and nlow in _AFTER_I:
            add(k + 1, _AFTER_I[nlow], True, "I agreement")
        if low in {"he", "she", "it"} and nlow in _AFTER_3SG and prev not in _BARE_OK:
            add(k + 1, _AFTER_3SG[nlow], True, "pronoun agreement")
        if low in {"we", "they", "you"} and nlow in _AFTER_PL and prev not in _BARE_OK | {"if", "as", "though", "wish"}:
            add(k + 1, _AFTER_PL[nlow], True, "pronoun agreement")
        if low in _DETERMINERS and nxt and k + 2 < len(words) and adjacent(k + 1):
            noun, verb = nlow, words[k + 2][0].lower()
            if noun.isalpha() and is_known(noun) and noun not in _DETERMINERS:
                if not noun.endswith("s") and verb in _SINGULAR_BE and low not in {"these", "those"}:
                    add(k + 2, _SINGULAR_BE[verb], False, "noun agreement")
                elif noun.endswith("s") and not noun.endswith("ss") and is_known(noun[:-1]) and verb in _PLURAL_BE and low not in {"this", "that"}:
                    add(k + 2, _PLURAL_BE[verb], False, "noun agreement")
        if low in _QUANTIFIERS and nxt.islower() and nlow.isalpha() and not nlow.endswith("s") and is_known(nlow):
            after = words[k + 2][0].lower() if k + 2 < len(words) and adjacent(k + 1) else ""
            if not after or after in _AFTER_NOUN_OK:
                plural = _plural(nlow)
                if plural and is_known(plural):
                    add(k + 1, plural, False, "quantifier plural")
        if low == "more" and nlow in _DOUBLED_COMPARATIVES and nxt.islower() and free(s, words[k + 1][2]):
            out.append(Candidate(s, words[k + 1][2], sentence[s : words[k + 1][2]], _case(w, nxt), False, "more + comparative"))
        if low in _PARTICIPLES and prev.replace("’", "'") in _HAVE:
            add(k, _PARTICIPLES[low], True, "participle")
        if low in {"a", "an"} and nxt and nxt.isalpha() and not (nxt.isupper() and len(nxt) > 1) \
                and nlow not in _NOT_AFTER_ARTICLE:  # "plan a or b", "type a is": a letter, not an article
            vowel = (nlow[0] in "aeiou" and not _A_BEFORE.match(nlow)) or bool(_AN_BEFORE.match(nlow))
            want = "an" if vowel else "a"
            if want != low:
                add(k, want, True, "a/an")
        if low == "your" and nlow == "welcome":
            add(k, "you're", True, "homophone")
        elif low == "their" and nlow in {"is", "are", "was", "were"}:
            add(k, "there", True, "homophone")
        elif low in {"their", "there"} and nlow in _THEYRE_NEXT and prev not in _BE_AUX:
            # "Their going to the store", "there not ready": sure before "going to" / "gonna" / "not";
            # otherwise the model confirms it ("their coming of age" is a noun phrase)
            after = words[k + 2][0].lower() if k + 2 < len(words) and adjacent(k + 1) else ""
            add(k, "they're", nlow == "gonna" or (nlow == "going" and after == "to") or nlow == "not", "homophone")
        elif low == "it's" and nlow == "own":
            add(k, "its", True, "homophone")
        elif low == "then" and prev in _COMPARATIVES:
            add(k, "than", False, "homophone")
        else:
            for group in _HOMOPHONES:
                if low in group and low != "then" and w.islower():
                    for other in sorted(group - {low, "than"}):
                        add(k, other, False, "homophone")
    out += verb_form_candidates(sentence, is_known, free) + noun_form_candidates(sentence, is_known, free)
    out += glued_candidates(sentence, is_known, free) + bare_infinitive_candidates(sentence, is_known, free)
    return sorted(out, key=lambda c: (c.start, c.end))


def _plural(noun: str) -> str:
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    return noun + "s"

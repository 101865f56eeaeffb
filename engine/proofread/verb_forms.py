"""Grammar rules for the verb form after an auxiliary: a modal or do/does/did takes the base form.

"could even began" -> "could even begin", "will went" -> "will go", "did not developed" ->
"did not develop", "didn't went" -> "didn't go". The auxiliary may be negated ("can not",
"cannot", "won't", "did not") and one adverb may stand between ("could even", "will never").

An irregular past from the table is a sure fix after a modal or a negated do; a regular "-ed"
form only becomes a candidate the model must confirm (its base must be a known word, and
"-ed" words that are mostly adjectives — "tired", "interested", "used" — are left alone: "I
will tired" wants "be", not "tire"). After a plain do/does/did ("What did happened") only the
irregular pasts that differ from their participle, and a regular "-ed" form at the end of its
clause or before a determiner, pronoun or preposition ("What did happened?", "did finished the
work"), are proposed, and only for the model to confirm: "do paid work", "did advanced research",
"did was" ("what he did was …") are right as written.

Also here: "make/let" + an object + "to" ("makes them to be") loses the "to".
"""

from __future__ import annotations

from typing import Callable

from .candidate import Candidate, _case, joined, split_words

# irregular simple past -> base form
IRREGULAR_PAST = {
    "went": "go", "came": "come", "saw": "see", "ate": "eat", "drank": "drink", "wrote": "write", "took": "take",
    "gave": "give", "spoke": "speak", "broke": "break", "chose": "choose", "began": "begin", "ran": "run",
    "knew": "know", "grew": "grow", "threw": "throw", "flew": "fly", "drove": "drive", "rode": "ride",
    "forgot": "forget", "swam": "swim", "sang": "sing", "stole": "steal", "hid": "hide",
    "rose": "rise", "woke": "wake", "became": "become", "forgave": "forgive", "wore": "wear", "tore": "tear",
    "shook": "shake", "drew": "draw", "blew": "blow", "sank": "sink", "rang": "ring", "froze": "freeze",
    "arose": "arise", "overcame": "overcome", "undertook": "undertake", "mistook": "mistake", "withdrew": "withdraw",
    "did": "do", "had": "have", "made": "make", "found": "find", "thought": "think", "brought": "bring",
    "bought": "buy", "taught": "teach", "caught": "catch", "fought": "fight", "sought": "seek", "said": "say",
    "told": "tell", "sold": "sell", "felt": "feel", "kept": "keep", "left": "leave", "lost": "lose", "meant": "mean",
    "met": "meet", "paid": "pay", "sent": "send", "spent": "spend", "built": "build", "held": "hold",
    "heard": "hear", "stood": "stand", "understood": "understand", "won": "win", "slept": "sleep", "sat": "sit",
    "got": "get", "lent": "lend", "dealt": "deal", "fled": "flee", "shot": "shoot", "swept": "sweep",
    "was": "be", "were": "be",
}
# pasts that are also a base form here ("will found a company", "can saw wood"): only the model may
# change them. ("fell" is left out: "may fell afraid" is "feel" misspelled more often than "fall".)
_UNSURE = {"found", "saw", "was", "were", "shot", "lent"}
# pasts that differ from the participle ("went"/"gone"): after a plain "did" these cannot be an adjective
_DISTINCT = {"went", "came", "saw", "ate", "drank", "wrote", "took", "gave", "spoke", "broke", "chose", "began",
             "ran", "knew", "grew", "threw", "flew", "drove", "rode", "forgot", "swam", "sang", "stole", "hid",
             "rose", "woke", "became", "forgave", "wore", "tore", "shook", "drew", "blew", "sank", "rang", "froze"}
MODALS = {"can", "could", "will", "would", "should", "may", "might", "must", "shall", "cannot", "can't", "couldn't",
          "won't", "wouldn't", "shouldn't", "mustn't", "couldnt", "wouldnt", "shouldnt", "cant"}
_DO = {"do", "does", "did"}
_DO_NOT = {"don't", "doesn't", "didn't", "dont", "doesnt", "didnt"}
ADVERBS = {"even", "also", "not", "never", "still", "really", "just", "only", "always", "easily", "actually",
           "probably", "definitely", "certainly", "surely", "hardly", "already", "ever", "usually", "often",
           "sometimes", "finally", "truly", "simply"}
# a modal written as a noun ("the can opened", "his will left everything", "a must"): not an auxiliary
_NOUN_BEFORE = {"the", "a", "an", "my", "his", "her", "our", "their", "your", "its", "free", "good",
                "ill", "own", "all", "trash", "tin", "watering", "last"}
# "-ed" words that follow a modal mostly as adjectives with "be" missing, or are no past at all
_NOT_A_PAST = {"need", "feed", "seed", "speed", "bleed", "breed", "proceed", "succeed", "exceed", "indeed", "embed",
               "shed", "naked", "wicked", "sacred", "hundred", "crooked", "wretched", "rugged", "ragged", "beloved",
               "kindred", "used", "supposed", "tired", "interested", "bored", "excited", "satisfied", "worried",
               "married", "scared", "surprised", "pleased", "disappointed", "confused", "amazed", "concerned",
               "involved", "based", "related", "prepared", "dressed", "qualified", "experienced", "advanced",
               "limited", "skilled", "talented", "educated", "crowded", "located", "aged", "learned", "annoyed",
               "frightened", "embarrassed", "exhausted", "ashamed", "delighted", "stressed", "relaxed", "engaged",
               "tied", "dead", "bed", "red", "wed", "sled", "shred", "weed", "greed", "steed", "reed", "creed"}


def regular_bases(word: str, is_known: Callable[[str], bool]) -> list[str]:
    """The known base forms a regular "-ed" past can come from ("studied" -> study, "stopped" ->
    stop, "hoped" -> hope, "helped" -> help); none for words that are not such a past."""
    w = word.lower()
    if len(w) < 5 or not w.endswith("ed") or w in _NOT_A_PAST or not w.isalpha():
        return []
    if w.endswith("ied"):
        options = [w[:-3] + "y"]
    elif w[-3] == w[-4] and w[-3] not in "aeiousl":  # "stopped", "planned", "developped"
        options = [w[:-3]]
    else:
        options = [w[:-1], w[:-2]] if w[-3] not in "aeiou" else [w[:-1]]  # "hoped"/"helped"; "agreed"
    return [b for b in options if len(b) >= 3 and is_known(b)]


def verb_form_candidates(sentence: str, is_known: Callable[[str], bool],
                         free: Callable[[int, int], bool] = lambda s, e: True) -> list[Candidate]:
    """Base-form proposals for a past form after a modal or do/does/did (offsets in the sentence)."""
    words = split_words(sentence)
    out: list[Candidate] = []
    for k, (aux, _s, _e) in enumerate(words):
        low = aux.lower().replace("’", "'")
        modal = low in MODALS and aux.islower()
        do = (low in _DO or low in _DO_NOT) and (aux.islower() or k == 0 and low in _DO_NOT)
        if not (modal or do) or (k > 0 and joined(sentence, words, k - 1) and words[k - 1][0].lower() in _NOUN_BEFORE):
            continue
        negated = low in _DO_NOT or low.endswith("n't") or low in {"cannot", "cant", "couldnt", "wouldnt", "shouldnt"}
        j = k + 1
        for _ in range(2):  # "can not", "did not even", "will also"
            if joined(sentence, words, j - 1) and words[j][0].lower() in ADVERBS and not (j > k + 1 and words[j][0].lower() == "not"):
                negated = negated or words[j][0].lower() == "not"
                j += 1
        if not joined(sentence, words, j - 1):
            continue
        verb, s, e = words[j]
        v = verb.lower()
        if not verb.islower() or not free(s, e):
            continue
        plain_do = do and not negated
        if v in IRREGULAR_PAST and (not plain_do or v in _DISTINCT):
            sure = not plain_do and v not in _UNSURE
            out.append(Candidate(s, e, verb, _case(verb, IRREGULAR_PAST[v]), sure, "auxiliary + past"))
        elif not plain_do or _not_before_noun(sentence, words, j):
            for base in regular_bases(v, is_known):
                out.append(Candidate(s, e, verb, _case(verb, base), False, "auxiliary + past"))
    return out


_MAKE_LET = {"make", "makes", "made", "making", "let", "lets", "letting"}
_OBJECTS = {"me", "him", "her", "us", "them", "you", "people"}  # not "it": "make it to the final" is right


def bare_infinitive_candidates(sentence: str, is_known: Callable[[str], bool] = lambda w: False,
                               free: Callable[[int, int], bool] = lambda s, e: True) -> list[Candidate]:
    """ "makes them to be" / "let me to go" -> without "to" (sure: make and let take the bare verb)."""
    words = split_words(sentence)
    out = []
    for k in range(len(words) - 3):
        if words[k][0].lower() in _MAKE_LET and words[k + 1][0].lower() in _OBJECTS and words[k + 2][0] == "to" \
                and all(joined(sentence, words, j) for j in (k, k + 1, k + 2)) and words[k + 3][0].islower():
            _w, s, _e = words[k + 2]
            end = words[k + 3][1]
            if free(s, end):
                out.append(Candidate(s, end, sentence[s:end], "", True, "make + to"))
    return out


# words that cannot follow an adjective in front of its noun: "did finished the work" is no "did
# advanced research"
_NO_NOUN_NEXT = {"the", "a", "an", "it", "them", "him", "her", "me", "us", "you", "this", "that", "these", "those",
                 "my", "his", "our", "their", "your", "its", "in", "on", "at", "with", "to", "by", "from", "for"}


def _not_before_noun(sentence: str, words, j: int) -> bool:
    """The word at j ends its clause or comes before a determiner, pronoun or preposition."""
    return not joined(sentence, words, j) or words[j + 1][0].lower() in _NO_NOUN_NEXT


def with_base_forms(text: str) -> str:
    """`text` with this module's irregular base forms put in (faithful.py: "will went" -> "will go"
    is a form of the same verb, not a changed word)."""
    out, pos = [], 0
    for c in verb_form_candidates(text, lambda w: False):  # no regular "-ed" forms: those keep their stem
        out += [text[pos : c.start], c.replacement]
        pos = c.end
    return "".join(out) + text[pos:]


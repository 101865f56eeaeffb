"""Grammar rules around a noun: "affect" written for the noun "effect", and a plural after "a",
"an" or "this".

- "a great affect on", "an affect", "the affects of", "side affects" -> "effect(s)": sure, when
  a determiner or an adjective stands before it and no object follows it ("the changes affect
  the economy" is the verb).
- "have a cars." / "an experts in": the singular noun, or the plural without the article, for the
  model to choose between (neither is sure). "this reasons," / "this cars are" -> "these": for
  the model to confirm. Only a plural that ends its phrase (punctuation, a function word or a
  verb follows) counts: "a sports car", "a sales job" are right, and so is the verb of "This
  means that".
"""

from __future__ import annotations

from typing import Callable

from .candidate import Candidate, _case, joined, split_words

_BEFORE_NOUN = {"a", "an", "the", "its", "their", "his", "her", "our", "my", "your", "no", "great", "big", "huge",
                "negative", "positive", "significant", "major", "strong", "bad", "good", "little", "profound",
                "lasting", "direct", "adverse", "side", "serious", "important", "dramatic", "large", "small", "real",
                "enormous", "considerable", "harmful", "beneficial", "opposite", "same", "overall", "greenhouse",
                "domino", "butterfly", "ripple", "desired", "main", "bigger", "greater", "biggest", "greatest",
                "negligible", "immediate", "long", "term", "possible", "potential", "visible", "tremendous"}
# what may follow the noun "effect": a preposition, a conjunction or a verb, never an object
_AFTER_NOUN = {"on", "upon", "of", "for", "at", "and", "or", "is", "was", "are", "were", "in", "that", "which", "will",
               "would", "can", "could", "to", "has", "have", "it", "they", "this", "these"}
# singular nouns and other words ending in "s" whose stem is a word ("news" / "new", "yes" / "ye")
_SINGULAR_S = {"news", "series", "means", "species", "lens", "bus", "gas", "plus", "yes", "this", "thus", "his",
               "hers", "its", "ours", "yours", "theirs", "whereas", "unless", "besides", "always", "sometimes",
               "perhaps", "towards", "afterwards", "nowadays", "indoors", "outdoors", "downstairs", "upstairs",
               "overseas", "physics", "mathematics", "economics", "politics", "ethics", "athletics", "gymnastics",
               "statistics", "linguistics", "electronics", "genetics", "logistics", "measles", "diabetes",
               "crossroads", "headquarters", "barracks", "whereabouts", "has", "does", "goes", "was", "is", "as",
               "alias", "atlas", "canvas", "bias", "chaos", "ethos", "cosmos", "kudos", "christmas", "summons",
               "lots", "ways", "works", "sales", "goods", "odds", "thanks", "savings", "clothes", "arms", "glasses",
               "premises", "congratulations", "regards", "riches", "surroundings", "outskirts", "earnings",
               "belongings", "scissors", "trousers", "jeans", "pants", "shorts", "billiards", "darts", "cards"}
# what may follow a plural noun that ends its phrase ("a cars.", "an experts in", "this cars are")
_ENDS_PHRASE = {"of", "in", "on", "at", "and", "or", "for", "to", "that", "which", "who", "is", "are", "was", "were",
                "with", "from", "by", "but", "because", "have", "do", "can", "will", "would", "should", "could"}
_THIS_NEXT = {"are", "were", "have", "do", "don't", "can", "could", "will", "would", "should", "must", "may", "might"}


def singular(word: str, is_known: Callable[[str], bool]) -> str:
    """The known singular of a regular plural ("cities" -> city, "boxes" -> box, "cars" -> car),
    or "" if `word` is not one (or is a singular ending in s: "news", "bus", "analysis")."""
    w = word.lower()
    if len(w) < 4 or not w.isalpha() or not w.endswith("s") or w.endswith(("ss", "us", "is", "ous")) \
            or w in _SINGULAR_S or not is_known(w):
        return ""
    if w.endswith("ies") and is_known(w[:-3] + "y"):
        return w[:-3] + "y"
    if w.endswith(("ses", "xes", "zes", "ches", "shes")) and is_known(w[:-2]):
        return w[:-2]
    return w[:-1] if is_known(w[:-1]) else ""


def noun_form_candidates(sentence: str, is_known: Callable[[str], bool],
                         free: Callable[[int, int], bool] = lambda s, e: True) -> list[Candidate]:
    words = split_words(sentence)
    out: list[Candidate] = []
    for k, (w, s, e) in enumerate(words):
        low = w.lower()
        prev = words[k - 1][0].lower() if joined(sentence, words, k - 1) else ""
        nxt = words[k + 1][0].lower() if joined(sentence, words, k) else ""
        if low in {"affect", "affects"} and w.islower() and prev in _BEFORE_NOUN and (not nxt or nxt in _AFTER_NOUN) \
                and free(s, e):
            out.append(Candidate(s, e, w, "e" + w[1:], True, "affect/effect"))
        if low in {"a", "an"} and nxt and words[k + 1][0].islower():  # nxt: a word follows, spaces apart
            noun, ns, ne = words[k + 1]
            one = singular(noun, is_known)
            after = words[k + 2][0].lower() if joined(sentence, words, k + 1) else ""
            glued = prev + low + noun.lower()  # "now a days": one word misspelled, not an article
            if one and (not after or after in _ENDS_PHRASE) and free(s, ne) and not (prev and is_known(glued)):
                out.append(Candidate(ns, ne, noun, one, False, "a + plural"))
                # the article dropped, written over the noun too so that only one of the two is kept
                out.append(Candidate(s, ne, sentence[s:ne], noun, False, "a + plural"))
        if low == "this" and nxt and words[k + 1][0].islower() and singular(nxt, is_known) \
                and free(s, e):
            after = words[k + 2][0].lower() if joined(sentence, words, k + 1) else ""
            if (not after and k + 2 < len(words) and sentence[words[k + 1][2]:].lstrip()[:1] in {",", ";"}) \
                    or after in _THIS_NEXT:
                out.append(Candidate(s, e, w, _case(w, "these"), False, "this + plural"))
    return out

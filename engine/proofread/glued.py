"""Common word pairs written as one word: "alot" -> "a lot", "infact" -> "in fact", "ofcourse" ->
"of course". None of them is a word, and the dictionary's nearest word ("alot" -> "lot", "aswell"
-> "swell") is wrong, so the pair is a sure fix that takes the place of the dictionary's guess."""

from __future__ import annotations

from typing import Callable

from .candidate import Candidate, _case, split_words

GLUED = {"alot": "a lot", "infact": "in fact", "inorder": "in order", "aswell": "as well", "ofcourse": "of course",
         "atleast": "at least", "eachother": "each other", "incase": "in case", "infront": "in front",
         "noone": "no one", "everytime": "every time", "alittle": "a little", "abit": "a bit", "thankyou": "thank you",
         "afterall": "after all", "inspite": "in spite", "eventhough": "even though", "forexample": "for example",
         "nowaday": "nowadays", "ontop": "on top", "aslong": "as long", "alright": ""}
GLUED.pop("alright")  # an accepted spelling: listed here so nobody adds it


def glued_candidates(sentence: str, is_known: Callable[[str], bool] = lambda w: False,
                     free: Callable[[int, int], bool] = lambda s, e: True) -> list[Candidate]:
    out = []
    for w, s, e in split_words(sentence):
        fix = GLUED.get(w.lower())
        if fix and (w.islower() or w[1:].islower()) and free(s, e):
            out.append(Candidate(s, e, w, _case(w, fix), True, "glued words"))
    return out

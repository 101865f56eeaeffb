"""The fast layers' proposals and the kind (margin) each gets, without the model."""

from engine.proofread.pipeline import first_layer, new_first_letter
from engine.proofread.segment import sentences
from engine.proofread.spelling import speller


def _kinds(text: str) -> dict[str, str]:
    layer = first_layer(sentences(text)[0], speller(), frozenset())
    return {c.word: kind for c, kind in layer.candidates}


def test_a_correction_of_the_first_letter_needs_the_wide_margin():
    assert new_first_letter("cours", "hours") and new_first_letter("vees", "fees")
    assert not new_first_letter("hte", "the") and not new_first_letter("recieve", "receive")
    kinds = _kinds("We could not tast the soup, but we did recieve the bill.")
    assert kinds == {"tast": "initial", "recieve": "spelling"}
    assert _kinds("Then hte bill came.")["hte"] == "spelling"

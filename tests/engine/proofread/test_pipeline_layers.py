"""The fast layers' proposals and the kind (margin) each gets, without the model."""

from engine.proofread.layers import first_layer, new_first_letter
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


def test_the_models_respelling_of_a_non_word_needs_the_dictionarys_margin():
    # everyday chat: the model wrote "we did ben Air" for "we did ben aird" and its fix won by ~2 nats
    from engine.proofread.align import hunks
    from engine.proofread.pipeline import fix_sentence

    text = "we did ben aird on saturday and it was great"
    answer = "we did ben Air on saturday and it was great"
    (h,) = hunks(text, answer)
    gains = {(h.a0, h.a1, answer[h.b0 : h.b1]): 2.0}
    unknown = lambda w: not speller().is_known(w)  # noqa: E731
    args = (text, text, answer, frozenset())
    assert fix_sentence(*args, evident=True, gains=gains, margin=1.0)[0] == answer  # the old rule took it
    assert fix_sentence(*args, evident=True, gains=gains, margin=1.0, unknown=unknown, respell_margin=5.0)[0] == text
    assert fix_sentence(*args, evident=True, gains={k: 6.0 for k in gains}, margin=1.0, unknown=unknown,
                        respell_margin=5.0)[0] == answer  # a clear win still counts

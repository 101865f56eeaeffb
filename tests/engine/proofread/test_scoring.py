"""The model's sentence scores (Model.score_texts) and the proofreader's precision rules that
rest on them, on the real default model."""

from __future__ import annotations

import pytest

from engine.proofread import proofread


def test_scores_are_log_probabilities_the_same_batched_or_alone(model):
    texts = ["I went to the library yesterday.", "I went to the libary yesterday.", "We should have asked her.",
             "We should of asked her.", "A much longer sentence about the weather, which was cold and wet all week."]
    batched = model.score_texts(texts)
    alone = [model.score_texts([t])[0] for t in texts]
    assert batched == pytest.approx(alone, abs=1e-3)
    assert all(s < 0 for s in batched)
    assert batched[0] > batched[1] + 2 and batched[2] > batched[3] + 2  # the right version is clearly likelier
    assert model.score_texts([]) == []
    with_context = model.score_texts(["the library."], context="I went to ")[0]
    assert with_context > model.score_texts(["the library."])[0]  # context is read, not counted


def test_scores_cross_the_process_boundary(default_model_path, model):
    from engine.process import open_model
    from engine.runtime import LoadOptions

    remote = open_model(default_model_path, LoadOptions(n_ctx=2048))
    try:
        texts = ["I went to the library.", "I went to the libary."]
        assert remote.score_texts(texts) == pytest.approx(model.score_texts(texts), abs=0.05)
    finally:
        remote.close()


def test_names_rare_words_and_conjunctions_survive(model):
    """The three slips from the issue: a rare word, a name, a conjunction."""
    for text, kept in (("Zanzibar quokkas recieve 7731 visitors.", "quokkas"),
                       ("Priya will lead the redesign.", "Priya"),
                       ("Room was clean and the bed was comfy, but the walls are super thin.", "but the walls are")):
        result = proofread(model, text)
        assert kept in result.text, (text, result.text)
    assert "receive" in proofread(model, "Zanzibar quokkas recieve 7731 visitors.").text


def test_common_grammar_is_caught(model):
    result = proofread(model, "I has went there yesterday, and the librarian were very helpfull. "
                              "We should of asked her for some book.")
    fixed = result.text
    for wrong, right in (("I has", "I have"), ("librarian were", "librarian was"), ("helpfull", "helpful"),
                         ("should of", "should have"), ("some book.", "some books.")):
        assert wrong not in fixed and right in fixed, (wrong, fixed)
    reasons = {e.original: e.reason for e in result.edits}
    assert "“have”" in reasons["of"] and "should" in reasons["of"]


def test_ignored_and_dictionary_words_are_never_changed(model):
    result = proofread(model, "We shipped teh recieve module to Zanzibar.", dictionary=["teh", "recieve"])
    assert "teh recieve" in result.text

"""Output clean-up for what small models emit (pure functions, no model)."""

from __future__ import annotations

import pytest

from engine.tasks.cleanup import clean_output, cut_repetition, is_refusal, judge_output, strip_preamble, strip_quotes, strip_trailer


@pytest.mark.parametrize(
    "raw",
    [
        "Sure! Here's the corrected text: I went to the library.",
        "Here is the rewritten text:\nI went to the library.",
        "Corrected version: I went to the library.",
        "Certainly!\n\nThe revised sentence:\n\"I went to the library.\"",
        "I went to the library.\n\nI changed 'has went' to 'went' and fixed the spelling of 'library'.",
        "I went to the library.\n\nNote: the verb tense was wrong.",
        "\"I went to the library.\"",
        "I went to the library. I went to the library. I went to the library.",
    ],
)
def test_clean_output_recovers_the_answer(raw):
    assert clean_output(raw, "i has went to the libary") == "I went to the library."


def test_preamble_only_removed_at_start():
    assert strip_preamble("The corrected text: the answer") == "the answer"
    assert strip_preamble("We met here: at noon.") == "We met here: at noon."


def test_quotes_kept_when_the_original_was_quoted():
    assert strip_quotes('"Hello," she said.', '"hello," she said') == '"Hello," she said.'
    assert strip_quotes('"Go home"', '"go home"') == '"Go home"'
    assert strip_quotes('"Go home"', "go home") == "Go home"


def test_trailer_glued_to_last_line():
    assert strip_trailer("She went home. I changed 'goed' to 'went'.") == "She went home."


def test_runaway_phrase_loop_is_cut():
    out = cut_repetition("It was very very very very very very good")
    assert out.count("very") <= 2


def test_refusals_detected():
    assert is_refusal("As an AI language model, I cannot rewrite this.")
    assert is_refusal("I'm sorry, but I can't help with that.")
    assert not is_refusal("The report is due on Friday.")


def test_judge_rejects_empty_refusal_and_runaway():
    original = "Please send the report by Friday."
    assert not judge_output("", original).ok
    assert "refused" in judge_output("I'm sorry, I cannot assist with that request.", original).problem
    assert not judge_output("word " * 200, original, max_ratio=3).ok
    assert judge_output("Please send the report on Friday.", original).ok

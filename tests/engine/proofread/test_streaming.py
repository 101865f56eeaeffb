"""Proofreading shows its first checked sentence before the rest are checked (real model), and the
result is the same as when everything is checked together."""

from __future__ import annotations

from engine.proofread import proofread
from engine.proofread.pipeline import _windows
from engine.proofread.segment import sentences

EMAIL = ("Hi Sam,\n\nI recieve the invoice yesterday and the total were wrong. Their going to send a new one "
         "on Friday. I has asked them to add the 12 % discount.\n\nThanks,\nMaria\n")


def test_the_first_sentence_comes_first_and_the_result_is_unchanged(model):
    seen: list[str] = []
    streamed = proofread(model, EMAIL, on_text=seen.append)
    together = proofread(model, EMAIL)
    assert streamed.text == together.text and streamed.edits == together.edits
    assert len(seen) == 2 and seen[-1] == streamed.text
    first = seen[0]
    assert streamed.text.startswith(first)
    assert first.startswith("Hi Sam,\n\n") and first.rstrip().endswith(".") and "Friday" not in first
    assert "receive" in first  # already corrected when shown


def test_windows():
    units = sentences(EMAIL)
    todo = [i for i, s in enumerate(units) if len(s.text.split()) >= 2]
    assert _windows(units, todo, first_alone=False) == [list(range(len(units)))]
    first, rest = _windows(units, todo, first_alone=True)
    assert units[first[-1]].text.startswith("I recieve") and first[0] == 0  # the salutation goes with it
    assert first + rest == list(range(len(units)))
    one = sentences("Their going to the store tomorow.")
    assert _windows(one, [0], first_alone=True) == [[0]]  # nothing to show early
    assert _windows([], [], first_alone=True) == []

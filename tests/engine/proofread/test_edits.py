import pytest

from engine.errors import InputError
from engine.proofread import Edit, apply_edits
from engine.proofread.diff import inline_diff

TEXT = "She go to school every days."
GO = Edit(4, 6, "go", "goes", "grammar", "agreement")
DAYS = Edit(23, 27, "days", "day", "grammar", "number")


def test_apply_all_and_any_subset():
    assert apply_edits(TEXT, [DAYS, GO]) == "She goes to school every day."
    assert apply_edits(TEXT, [GO]) == "She goes to school every days."
    assert apply_edits(TEXT, [DAYS]) == "She go to school every day."
    assert apply_edits(TEXT, []) == TEXT


def test_insertion_and_deletion():
    text = "We went in factory today today."
    edits = [Edit(11, 11, "", "a ", "grammar", "article"), Edit(24, 30, " today", "", "style", "repeat")]
    assert apply_edits(text, edits) == "We went in a factory today."


def test_stale_or_overlapping_edits_are_refused_with_a_message():
    with pytest.raises(InputError, match="expects 'go'"):
        apply_edits("He does not go to school.", [GO])
    with pytest.raises(InputError, match="overlaps"):
        apply_edits(TEXT, [GO, Edit(5, 8, "o t", "x", "style", "r")])


def test_as_dict_has_every_field():
    assert GO.as_dict() == {"start": 4, "end": 6, "original": "go", "replacement": "goes", "category": "grammar", "reason": "agreement"}


def test_inline_diff():
    assert inline_diff(TEXT, [GO, DAYS]) == "She [-go-]{+goes+} to school every [-days-]{+day+}."
    assert inline_diff("in factory", [Edit(3, 3, "", "a ", "grammar", "r")]) == "in {+a +}factory"
    colored = inline_diff(TEXT, [GO], color=True)
    assert "\033[31m[-go-]" in colored and "\033[32m{+goes+}" in colored

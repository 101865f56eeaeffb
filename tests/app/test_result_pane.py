"""The result pane marks the paragraphs a rewrite kept as written. Real widget, no model."""

from __future__ import annotations

import pytest

from app.result_pane import ResultPane

PARTS = [
    {"paragraph": 0, "status": "as-is", "reason": "nothing to rewrite", "original": "Hi Sam,", "text": "Hi Sam,"},
    {"paragraph": 1, "status": "rewritten", "reason": "", "original": "i paid 5 euros.", "text": "I paid 5 euros."},
    {"paragraph": 2, "status": "kept", "reason": "every candidate failed the check: dropped the date “2 May”",
     "original": "It was due on 2 May.", "text": "It was due on 2 May."},
    {"paragraph": 3, "status": "as-is", "reason": "nothing to rewrite", "original": "Thanks,\nMaria", "text": "Thanks,\nMaria"},
]
TEXT = "Hi Sam,\n\nI paid 5 euros.\n\nIt was due on 2 May.\n\nThanks,\nMaria"


@pytest.fixture()
def pane(qtbot):
    p = ResultPane()
    qtbot.addWidget(p)
    p.show()
    return p


def test_kept_paragraphs_are_marked_and_explained(pane):
    pane.start("Rewrite ▸ Professional")
    pane.finish(TEXT, "", parts=PARTS)
    start = TEXT.index("It was due")
    assert pane.kept_ranges == [(start, start + len("It was due on 2 May."))]
    marks = pane.output.extraSelections()
    assert len(marks) == 1 and marks[0].cursor.selectedText() == "It was due on 2 May."
    assert "1 of 2 paragraphs kept as written" in pane.banner.text() and "2 May" in pane.banner.text()
    assert pane.output.toPlainText() == TEXT and pane.copy_btn.isEnabled()


def test_no_marks_without_kept_parts(pane):
    pane.start("Rewrite")
    pane.finish(TEXT, "", parts=[p | {"status": "rewritten"} if p["status"] == "kept" else p for p in PARTS])
    assert pane.kept_ranges == [] and pane.output.extraSelections() == []
    assert pane.banner.text() == ""
    pane.finish("summary text")  # other tools call finish without parts
    assert pane.kept_ranges == []


def test_a_draft_is_greyed_cannot_be_copied_and_leaves_with_a_failure(pane):
    pane.start("Rewrite ▸ Friendly")
    pane.show_draft("Hi Sam,\n\n", "The meeting is on Thursday.")
    assert pane.output.toPlainText() == "Hi Sam,\n\nThe meeting is on Thursday."

    def italic_at(pos: int) -> bool:
        cursor = pane.output.textCursor()
        cursor.setPosition(pos)
        return cursor.charFormat().fontItalic()

    assert italic_at(len("Hi Sam,\n\nThe m")) and not italic_at(3)
    assert not pane.copy_btn.isEnabled() and not pane.replace_btn.isEnabled()
    pane.stream("Hi Sam,\n\n")  # a decided-text update does not wipe the draft shown with it
    assert pane.output.toPlainText().endswith("Thursday.")
    pane.fail("The model runtime crashed.")
    assert pane.output.toPlainText() == "" and not pane.copy_btn.isEnabled()  # no unchecked text left to copy


def test_the_result_replaces_the_draft(pane):
    pane.start("Rewrite")
    pane.show_draft("", "i paid 5 euros")
    pane.finish(TEXT, "", parts=PARTS)
    cursor = pane.output.textCursor()
    cursor.setPosition(len("Hi Sam,\n\nI p"))
    assert pane.output.toPlainText() == TEXT and not cursor.charFormat().fontItalic() and pane.copy_btn.isEnabled()

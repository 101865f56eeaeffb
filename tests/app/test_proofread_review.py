"""Paste → Proofread → accept one edit, reject another → Apply → expected text → Ctrl+Z restores.
Real default model, real widgets, keyboard and mouse like a user."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.app.conftest import paste

TEXT = "Teh meeting is on tuesday. We has recieved you're email and will answer shortly."


def fragments(view):
    """(text, QTextCharFormat) for every run of the review's rendered document."""
    out = []
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            out.append((it.fragment().text(), it.fragment().charFormat()))
            it += 1
        block = block.next()
    return out


def row_of(review, original: str) -> int:
    return next(i for i, e in enumerate(review.edits) if e.original == original)


def test_proofread_accept_one_reject_another_apply_then_undo(qtbot, window):
    from engine.proofread import apply_edits

    paste(window, TEXT)
    qtbot.keyClick(window.editor, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.job is not None and window.job.tool == "proofread"
    qtbot.waitUntil(lambda: window.side.currentWidget() is window.review, timeout=180_000)

    review = window.review
    assert review.edit_list.count() == len(review.edits) >= 2
    teh, tuesday = row_of(review, "Teh"), row_of(review, "tuesday")
    # inline: the removed word is struck through, its replacement marked, the reason on hover
    runs = fragments(review.view)
    assert any(t == "Teh" and f.fontStrikeOut() for t, f in runs)
    assert any(t == "The" and f.fontUnderline() and not f.fontStrikeOut() for t, f in runs)
    assert review.edits[teh].reason and review.edits[teh].reason in review.tooltip_at_edit(teh)
    assert review.edits[teh].reason in review.edit_list.item(teh).text()  # and in the side list

    review.edit_list.setCurrentRow(teh)
    qtbot.mouseClick(review.accept_btn, Qt.MouseButton.LeftButton)
    review.edit_list.setCurrentRow(tuesday)
    qtbot.mouseClick(review.reject_btn, Qt.MouseButton.LeftButton)
    assert review.decisions[teh] is True and review.decisions[tuesday] is False
    assert not any(t == "tuesday" and f.fontStrikeOut() for t, f in fragments(review.view))  # rejected: shown as is

    qtbot.mouseClick(review.apply_btn, Qt.MouseButton.LeftButton)
    expected = apply_edits(TEXT, [review.edits[teh]])
    assert window.editor.text() == expected
    assert expected.startswith("The meeting is on tuesday.")
    assert window.side.currentWidget() is window.result

    qtbot.keyClick(window.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.text() == TEXT  # one undo step restores the original


def test_accept_all_applies_every_edit(qtbot, window):
    from engine.proofread import proofread

    model = window.ctx.engine._worker.model
    result = proofread(model, TEXT)  # the same engine call the window makes, to compare against
    paste(window, TEXT)
    window.run_tool("proofread")
    qtbot.waitUntil(lambda: window.side.currentWidget() is window.review, timeout=180_000)
    qtbot.mouseClick(window.review.accept_all_btn, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.review.apply_btn, Qt.MouseButton.LeftButton)
    assert window.editor.text() == result.text != TEXT


def test_proofreading_a_selection_changes_only_the_selection(qtbot, window):
    from PySide6.QtGui import QTextCursor

    intro = "This first paragraph is fine and stays exactly as it is."
    paste(window, f"{intro}\n\n{TEXT}")
    cursor = window.editor.textCursor()
    cursor.setPosition(len(intro) + 2)
    cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)
    window.run_tool("proofread")
    qtbot.waitUntil(lambda: window.side.currentWidget() is window.review, timeout=180_000)
    assert window.review.original == TEXT  # offsets are relative to the selection
    window.review.accept_all()
    qtbot.mouseClick(window.review.apply_btn, Qt.MouseButton.LeftButton)
    text = window.editor.text()
    assert text.startswith(intro + "\n\nThe meeting is on Tuesday.")
    window.editor.undo()
    assert window.editor.text() == f"{intro}\n\n{TEXT}"

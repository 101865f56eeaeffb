"""Rewrite ▸ Friendly replaces the selection; Stop cancels a long generation. Real model, real widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from tests.app.conftest import paste

INTRO = "Quarterly update for the team."
MIDDLE = "send me the report by tomorrow or we will miss the deadline."
OUTRO = "Thanks, Dana"


def select(editor, start: int, end: int) -> None:
    cursor = editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)


def test_rewrite_friendly_replaces_only_the_selection(qtbot, window):
    paste(window, f"{INTRO}\n\n{MIDDLE}\n\n{OUTRO}")
    start = window.editor.text().index(MIDDLE)
    select(window.editor, start, start + len(MIDDLE))

    qtbot.keyClick(window.editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.job is not None and window.job.variant == "friendly"
    with qtbot.waitSignal(window.job.finished, timeout=120_000) as done:
        pass
    result = done.args[0]
    assert result.ok, result.problem
    assert window.result.replace_btn.isEnabled()

    qtbot.mouseClick(window.result.replace_btn, Qt.MouseButton.LeftButton)
    text = window.editor.text()
    assert text == f"{INTRO}\n\n{result.text}\n\n{OUTRO}"
    assert MIDDLE not in text

    window.editor.undo()
    assert window.editor.text() == f"{INTRO}\n\n{MIDDLE}\n\n{OUTRO}"


def test_stop_cancels_a_long_generation(qtbot, window):
    long_text = "\n\n".join(
        f"Paragraph {i}: the committee met on Tuesday to discuss the budget, the hiring plan and the "
        "office move, and agreed to revisit every open question at the next meeting in March." for i in range(40)
    )
    paste(window, long_text)
    window.run_tool("rewrite", "professional")
    job = window.job
    with qtbot.waitSignal(job.text_streamed, timeout=120_000):
        pass  # tokens are flowing
    assert window.result.stop_btn.isEnabled()
    # the status bar says what is happening, with the live speed
    qtbot.waitUntil(lambda: window.model_label.text().startswith("Generating at "), timeout=5000)
    assert window.model_label.text().endswith("tokens/s")
    with qtbot.waitSignal(job.cancelled, timeout=2000):
        qtbot.mouseClick(window.result.stop_btn, Qt.MouseButton.LeftButton)
    assert window.job is None
    assert window.result.title.text().endswith("stopped")
    assert window.editor.text() == long_text  # nothing was changed
    assert window.tool_actions["proofread"].isEnabled()  # ready for the next job


def test_unusable_answer_is_reported_and_the_text_kept(qtbot, window):
    # the small model answers a French text in French unchanged: the rewrite judge refuses it
    french = ("Bonjour, je voudrais réserver une table pour deux personnes ce soir à vingt heures, "
              "près de la fenêtre si possible.")
    paste(window, french)
    window.run_tool("rewrite", "friendly")
    with qtbot.waitSignal(window.job.finished, timeout=120_000) as done:
        pass
    assert not done.args[0].ok
    banner = window.result.banner
    assert banner.isVisible() and banner.kind == "warning"
    assert "not usable" in banner.label.text() and "unchanged" in banner.label.text()
    assert not window.result.replace_btn.isEnabled()  # nothing to put into the text
    assert window.editor.text() == french

"""The window prefills what a tool would take when a tool menu opens; typing drops it."""

from __future__ import annotations

from .conftest import paste


def test_opening_the_rewrite_menu_prefills_and_typing_cancels(qtbot, ctx, window):
    paste(window, "Our team finished the report on Tuesday. Maria will present it on Monday.")
    window.menus.task_menus["rewrite"].aboutToShow.emit()
    assert ctx.engine.prefilling
    model = ctx.engine._worker.model
    qtbot.waitUntil(lambda: model.prefill_status()["decoded_tokens"] > 0, timeout=60000)
    window.menus.task_menus["summarize"].aboutToShow.emit()  # the same text: nothing new to do
    assert ctx.engine.prefilling
    window.editor.insertPlainText(" More.")
    assert not ctx.engine.prefilling
    qtbot.waitUntil(lambda: model.prefill_status()["slots"] == 0, timeout=10000)


def test_a_long_text_without_a_selection_is_not_prefilled(ctx, window):
    paste(window, " ".join(["The office shipped the orders on time."] * 80))
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    window.menus.task_menus["summarize"].aboutToShow.emit()
    assert not ctx.engine.prefilling

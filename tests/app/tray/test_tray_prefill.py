"""The tray popup starts a prefill when it opens and cancels it when it closes (real engine process,
real default model, offscreen Qt)."""

from __future__ import annotations

from app.settings import TraySettings
from app.tray.quick_flow import QuickFlow
from app.tray.selection import Capture

TEXT = "Maria will present the findings to the board next Monday at ten."


def status(ctx) -> dict:
    return ctx.engine._worker.model.prefill_status()


def test_opening_the_popup_starts_a_prefill_and_closing_it_cancels(qtbot, ctx, flow):
    flow._on_captured(Capture(text=TEXT, source="clipboard"))
    assert flow.popup.isVisible() and flow._job is None  # it waits for a choice
    assert ctx.engine.prefilling
    qtbot.waitUntil(lambda: status(ctx)["decoded_tokens"] > 0, timeout=60000)
    flow.popup.cancel_requested.emit()  # Esc, or a click outside the popup
    assert not flow.popup.isVisible() and not ctx.engine.prefilling
    qtbot.waitUntil(lambda: status(ctx)["slots"] == 0 and status(ctx)["state"] == "idle", timeout=10000)


def test_a_tool_chosen_after_the_prefill_reuses_it(qtbot, ctx, flow):
    flow._on_captured(Capture(text=TEXT, source="clipboard"))
    qtbot.waitUntil(lambda: status(ctx)["state"] == "done", timeout=60000)
    from engine.tasks.prefill import rewrite_prefixes

    rewrite_heads = rewrite_prefixes(ctx.engine._worker.model, TEXT)
    results = []
    flow.popup.choose("friendly")
    flow._job.finished.connect(results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=120000)
    stats = results[0].stats
    # both prompts of the sentence started with a prefilled prefix: none of it was decoded again
    assert stats.cached_tokens >= sum(len(h) for h in rewrite_heads) > 0
    assert stats.prompt_tokens > stats.cached_tokens


def test_with_the_last_tool_starting_at_once_the_prefill_follows_it(qtbot, ctx):
    f = QuickFlow(ctx, TraySettings(start_last_tool=True, last_tool="concise"))
    qtbot.addWidget(f.popup)
    try:
        f._on_captured(Capture(text=TEXT, source="clipboard"))
        assert f._job is not None and ctx.engine.prefilling  # the job first, the prefill queued after it
        qtbot.waitUntil(lambda: f._job is None, timeout=120000)
        qtbot.waitUntil(lambda: status(ctx)["state"] == "done", timeout=60000)
        assert status(ctx)["slots"] > 0
    finally:
        f._cancel()
    assert not ctx.engine.prefilling

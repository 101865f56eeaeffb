"""A native crash in the model runtime never takes the window, the tray popup or the text with it.

Real widgets, the real default model in a real engine process, real signals sent to it.
"""

from __future__ import annotations

import argparse
import os
import signal

import pytest

TEXT = "Dear Ana,\n\nthe hotel was not great. We paid 120 euros on 3 May.\n\nBest,\nLuis"


@pytest.fixture()
def own_ctx(qapp, tmp_path, monkeypatch, default_model_path):
    """An AppContext of this test's own (crashing it must not disturb the shared one)."""
    from app.context import AppContext
    from app.settings import Settings

    from .conftest import wait_until

    monkeypatch.setenv("HUSHWRITE_DATA_DIR", str(tmp_path / "data"))
    ctx = AppContext(argparse.Namespace(no_store=True, model=None),
                     Settings(model_path=str(default_model_path), threads=2, n_ctx=2048))
    ctx.start()
    wait_until(qapp, lambda: ctx.engine.state in ("ready", "error"), 120)
    assert ctx.engine.state == "ready", ctx.engine.detail
    yield ctx
    ctx.shutdown()


@pytest.fixture()
def crash_window(qtbot, own_ctx):
    from app.main_window import MainWindow

    w = MainWindow(own_ctx)
    qtbot.addWidget(w)
    w.show()
    w.editor.set_text(TEXT)
    w.editor.document().setModified(False)
    return w


def _kill_when_running(qtbot, w, sig) -> int:
    """Kill the engine process once the job is running in it (a sentence-level rewrite streams
    only per paragraph, so waiting for text could find the job already finished)."""
    pid = w.ctx.engine.engine_pid
    assert pid and pid != os.getpid()
    with qtbot.waitSignal(w.job.started, timeout=240_000):
        pass
    os.kill(pid, sig)
    qtbot.waitUntil(lambda: w.job is None, timeout=60_000)
    return pid


@pytest.mark.parametrize("sig, words", [(signal.SIGKILL, "killed"), (signal.SIGILL, "illegal instruction (signal 4)")])
def test_window_survives_an_engine_crash_and_the_retry_succeeds(qtbot, crash_window, sig, words):
    w = crash_window
    w.run_tool("rewrite", "professional")
    old_pid = _kill_when_running(qtbot, w, sig)
    message = w.result.banner.label.text()
    assert "The model runtime crashed" in message and words in message and "unchanged" in message
    assert w.result.banner.action.text() == "Retry" and w.result.banner.action.isVisible()
    assert w.editor.text() == TEXT and w.isVisible()  # nothing typed was lost
    # restarted with safe settings: a new engine process that is ready (the state alone may still
    # read "ready" for a moment after the failed job, before the crash is handled)
    qtbot.waitUntil(lambda: w.ctx.engine.state == "ready" and w.ctx.engine.engine_pid not in (None, old_pid),
                    timeout=120_000)
    assert "safe settings" in w.ctx.engine.detail
    results = []
    w.result.banner.action.click()  # Retry
    w.job.finished.connect(results.append)
    qtbot.waitUntil(lambda: w.job is None, timeout=240_000)
    assert results and results[0].tool == "rewrite"
    assert w.editor.text() == TEXT


def test_an_abort_in_the_runtime_is_reported_and_the_engine_comes_back(qtbot, qapp, tmp_path, monkeypatch,
                                                                       default_model_path):
    from app.context import AppContext
    from app.main_window import MainWindow
    from app.settings import Settings

    monkeypatch.setenv("HUSHWRITE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HUSHWRITE_ENGINE_TEST_HOOK", f"abort:{tmp_path / 'fired'}")  # a GGML_ASSERT, once
    ctx = AppContext(argparse.Namespace(no_store=True, model=None),
                     Settings(model_path=str(default_model_path), threads=2, n_ctx=2048))
    try:
        ctx.start()
        w = MainWindow(ctx)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitUntil(lambda: ctx.engine.state == "ready", timeout=120_000)
        first_pid = ctx.engine.engine_pid
        w.editor.set_text("i has went to the libary")
        w.run_tool("proofread")
        qtbot.waitUntil(lambda: w.job is None, timeout=120_000)
        assert "aborted (signal 6)" in w.result.banner.label.text()
        qtbot.waitUntil(lambda: ctx.engine.state == "ready" and ctx.engine.engine_pid not in (None, first_pid),
                        timeout=120_000)
        w.result.banner.action.click()
        qtbot.waitUntil(lambda: w.job is None, timeout=240_000)
        assert w.side.currentWidget() is w.review  # the proofread review, from the restarted engine
        assert w.editor.text() == "i has went to the libary"
    finally:
        ctx.shutdown()


def test_a_model_that_crashed_twice_is_not_loaded_by_itself(qtbot, qapp, tmp_path, monkeypatch, default_model_path):
    from app.context import AppContext
    from app.main_window import MainWindow
    from app.settings import Settings
    from engine.process import crashes

    monkeypatch.setenv("HUSHWRITE_DATA_DIR", str(tmp_path / "data"))
    crashes.record_crash(default_model_path, "illegal instruction (signal 4)")
    crashes.record_crash(default_model_path, "illegal instruction (signal 4)")
    ctx = AppContext(argparse.Namespace(no_store=True, model=None),
                     Settings(model_path=str(default_model_path), threads=2, n_ctx=2048))
    try:
        w = MainWindow(ctx)
        qtbot.addWidget(w)
        w.show()
        ctx.start()
        qtbot.waitUntil(lambda: ctx.engine.state == "blocked", timeout=60_000)
        assert ctx.engine.engine_pid is None
        assert "crashed the model runtime twice" in w.banner.label.text() and w.banner.action.text() == "Load anyway"
        w.banner.action.click()
        qtbot.waitUntil(lambda: ctx.engine.state == "ready", timeout=120_000)
    finally:
        ctx.shutdown()


def test_tray_popup_survives_an_engine_crash(qtbot, own_ctx):
    from app.tray.selection import Capture
    from app.settings import TraySettings
    from app.tray.quick_flow import QuickFlow

    flow = QuickFlow(own_ctx, TraySettings.load())
    try:
        original = ("Please send me the reports by friday, we are not ready yet. The client meeting moved to "
                    "Tuesday at 10am and Priya will not be there. Tell the team the budget is 4,500 euros.")
        pid = own_ctx.engine.engine_pid
        flow._on_captured(Capture(original, "primary", 0))  # the popup opens and runs the default tool
        flow._run_tool("rewrite", "")  # the user picks Rewrite (a long answer: time to crash it)
        job = flow._job
        assert job is not None
        with qtbot.waitSignal(job.started, timeout=240_000):
            pass  # the rewrite is running in the engine process
        os.kill(pid, signal.SIGILL)
        qtbot.waitUntil(lambda: flow._job is None, timeout=60_000)
        status = flow.popup.status.text()
        assert "illegal instruction (signal 4)" in status and "retry" in status and "Nothing was changed" in status
        assert flow.popup.isVisible() and flow.popup.ready_text is None
        qtbot.waitUntil(lambda: own_ctx.engine.state == "ready", timeout=120_000)
        flow._run_tool("rewrite", "")  # the user presses the tool again
        qtbot.waitUntil(lambda: flow._job is None, timeout=900_000)
        assert "crashed" not in flow.popup.status.text()
        assert flow.popup.original == original
    finally:
        flow.popup.close_quietly()
        flow.close()

"""App test fixtures: one real AppContext with the real default model, shared by the session;
a fresh MainWindow per test."""

from __future__ import annotations

import argparse
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The app asks its engine to calibrate in the background; app tests keep the CPU for themselves
# (tests/engine/test_calibrate_measure.py covers the calibration).
os.environ.setdefault("HUSHWRITE_NO_BACKGROUND_CALIBRATION", "1")


@pytest.fixture(autouse=True)
def unsaved_text_answer(monkeypatch):
    """Closing a window with unsaved text asks the user (a modal box); tests answer "discard"
    unless they test the question itself (they patch MainWindow.ask_unsaved again)."""
    from app.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "ask_unsaved", lambda self: "discard")


@pytest.fixture(scope="session")
def app_data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("hushwrite-app")
    os.environ["HUSHWRITE_DATA_DIR"] = str(d)  # settings and store stay inside the test's folder
    return d


@pytest.fixture(scope="session")
def ctx(qapp, app_data_dir, default_model_path):
    """AppContext with the real SmolLM2-135M loaded (2 threads, no personal store)."""
    from app.context import AppContext
    from app.settings import Settings

    context = AppContext(argparse.Namespace(no_store=True, model=None),
                         Settings(model_path=str(default_model_path), threads=2, n_ctx=4096,
                                      live_check=False))  # tests of live checking switch it on themselves
    states = []
    context.engine.model_state.connect(lambda s, d: states.append((s, d)))
    context.start()
    wait_until(qapp, lambda: context.engine.state in ("ready", "error"), 60)
    assert context.engine.state == "ready", states
    yield context
    context.shutdown()


def wait_until(qapp, predicate, seconds: float) -> None:
    import time

    end = time.monotonic() + seconds
    while not predicate() and time.monotonic() < end:
        qapp.processEvents()
        time.sleep(0.01)


@pytest.fixture()
def window(qtbot, ctx):
    from app.main_window import MainWindow

    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    if w.job is not None:
        w.job.cancel()
        qtbot.waitUntil(lambda: w.job is None, timeout=5000)


def paste(window, text: str) -> None:
    """Put text in the editor the way a user's paste does (through the clipboard)."""
    from app.qt import QGuiApplication, QKeySequence

    QGuiApplication.clipboard().setText(text)
    window.editor.setFocus()
    window.editor.selectAll()
    window.editor.paste()


@pytest.fixture()
def store_ctx(ctx, tmp_path, monkeypatch):
    """The shared context with a fresh encrypted store of its own (passphrase mode), closed after."""
    monkeypatch.setenv("HUSHWRITE_KEYRING", "off")
    monkeypatch.setattr(ctx.args, "data_dir", str(tmp_path / "data"), raising=False)
    before = (ctx.store_state, ctx.store_detail)
    ctx.unlock_store("correct horse battery staple")
    assert ctx.store_state == "open"
    yield ctx
    ctx.close_store()
    ctx._set_store(*before)

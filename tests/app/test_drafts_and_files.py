"""Nothing typed is lost: drafts in the encrypted store survive kill -9; Save/Save As/Open round-trip."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET_TEXT = "Zanzibar quokka ledger: Priya owes 7731 euros, not 7713, due 14 July."


def _events(proc, until: str, timeout: float) -> list[dict]:
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith("{"):
            seen.append(json.loads(line))
            if seen[-1]["event"] == until:
                return seen
    raise AssertionError(f"no {until!r} event; saw {seen}; stderr: {proc.stderr.read()[-2000:] if proc.poll() is not None else ''}")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return "zombie" not in fh.read()
    except OSError:
        return False


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 and /proc are POSIX")
def test_kill_9_of_the_app_then_the_next_start_restores_the_draft(tmp_path):
    data = tmp_path / "data"
    env = dict(os.environ, HUSHWRITE_DATA_DIR=str(data), HUSHWRITE_KEYRING="off", HUSHWRITE_PASSPHRASE="draft test pass",
               QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    from engine.store import Store

    Store.open(data_dir=data, passphrase="draft test pass", interactive=False).close()  # the user's store exists
    app = subprocess.Popen([sys.executable, str(ROOT / "tests" / "app" / "draft_probe.py"), "type", SECRET_TEXT],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        events = _events(app, "saved", 180)
        engine_pids = {e["engine_pid"] for e in events if e.get("engine_pid")}
        os.kill(app.pid, signal.SIGKILL)  # the whole app, no chance to clean up
        app.wait(10)
    finally:
        if app.poll() is None:
            app.kill()
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in engine_pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in engine_pids), "the engine process outlived the app"

    raw = b"".join(p.read_bytes() for p in data.rglob("*") if p.is_file())
    for needle in ("Zanzibar", "quokka", "7731", "Priya"):
        assert needle.encode() not in raw and needle.encode("utf-16-le") not in raw, f"{needle} in plaintext on disk"

    again = subprocess.run([sys.executable, str(ROOT / "tests" / "app" / "draft_probe.py"), "restore"],
                           capture_output=True, text=True, env=env, timeout=180)
    restored = [json.loads(line) for line in again.stdout.splitlines() if line.startswith("{")]
    assert restored and restored[-1]["event"] == "restored", (again.stdout, again.stderr[-2000:])
    assert restored[-1]["text"] == SECRET_TEXT and not restored[-1]["banner"] and restored[-1]["modified"]


@pytest.mark.parametrize("suffix", [".txt", ".md", ".docx"])
def test_save_as_then_open_round_trips(qtbot, ctx, tmp_path, suffix, monkeypatch):
    from app.main_window import MainWindow
    from app.qt import QFileDialog

    text = "Dear Ana,\n\nthe hotel was *not* great — 120 € on 3 May.\nSee https://example.org\n\n- one\n- two"
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    w.editor.set_text(text)
    assert w.isWindowModified()
    target = tmp_path / f"letter{suffix}"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert w.save_as()
    assert not w.isWindowModified() and target.name in w.windowTitle()
    w.editor.insertPlainText("!")
    assert w.isWindowModified()
    assert w.save()  # Save goes to the same file, no dialog
    w.editor.set_text("something else")
    with qtbot.waitSignal(w.file_opened, timeout=60_000) as opened:
        w.open_path(str(target))  # read off the UI thread
    assert opened.args == [True]
    assert w.editor.text() == "!" + text and not w.isWindowModified()


def test_open_refuses_what_the_editor_cannot_hold(qtbot, ctx, tmp_path):
    from app.main_window import MainWindow

    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    w.editor.set_text("keep me")
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing")
    with qtbot.waitSignal(w.file_opened, timeout=60_000) as opened:
        w.open_path(str(bad))
    assert opened.args == [False]
    assert "Could not open scan.pdf" in w.banner.label.text() and w.editor.text() == "keep me"


def test_closing_with_unsaved_text_asks_and_cancel_keeps_the_window(qtbot, ctx, monkeypatch):
    from app.main_window import MainWindow

    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    w.editor.set_text("unsaved words")
    monkeypatch.setattr(MainWindow, "ask_unsaved", lambda self: "cancel")
    assert not w.close() and w.isVisible() and w.editor.text() == "unsaved words"
    monkeypatch.setattr(MainWindow, "ask_unsaved", lambda self: "discard")
    assert w.close()

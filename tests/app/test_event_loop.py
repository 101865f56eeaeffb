"""app/event_loop.py: Ctrl+C (SIGINT) in the terminal ends the event loop cleanly, for the window
and the tray-only runs alike; the lazy QtNetwork names of the Qt seam load only when asked for."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LOOP = (
    "import sys\n"
    "from app.event_loop import application, run_event_loop\n"
    "from app.qt import QTimer\n"
    "app = application()\n"
    "assert application() is app\n"
    "QTimer.singleShot(0, lambda: print('running', flush=True))\n"
    "code = run_event_loop(app)\n"
    "print('ended', code, flush=True)\n"
)


def test_sigint_quits_the_event_loop_without_a_traceback():
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen([sys.executable, "-c", LOOP], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "running"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert out.split() == ["ended", "0"]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err


def test_qt_seam_loads_qtnetwork_only_on_first_use():
    code = ("import sys, app.qt\n"
            "print('PySide6.QtNetwork' in sys.modules)\n"
            "from app.qt import QLocalServer\n"
            "print('PySide6.QtNetwork' in sys.modules, QLocalServer.__name__)\n")
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True", "QLocalServer"]

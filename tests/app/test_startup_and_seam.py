"""Start-up promises: the app never imports llama_cpp before the model loads, and the Qt seam keeps a
long-running app alive on PySide6 builds that drop references to None/True/False."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)


def test_window_modules_do_not_import_llama_cpp():
    out = run_python(
        "import sys, argparse\n"
        "from app.qt import QApplication\n"
        "app = QApplication([])\n"
        "from app.context import AppContext\n"
        "from app.main_window import MainWindow\n"
        "from app.dialogs import settings, history, dictionary, style, unlock\n"
        "w = MainWindow(AppContext(argparse.Namespace(no_store=True)))\n"
        "w.show(); app.processEvents()\n"
        "print('llama_cpp' in sys.modules, 'engine.runtime' in sys.modules)\n"
        "w.ctx.shutdown()\n"
    )
    assert out.returncode == 0, out.stderr[-1500:]
    assert out.stdout.split()[-2:] == ["False", "False"]


def test_many_qt_calls_and_signals_do_not_crash_the_interpreter():
    # 150k void calls + 150k emits: enough to exhaust None's reference count on an affected binding
    out = run_python(
        "from app.qt import QApplication, QObject, QPushButton, Signal\n"
        "app = QApplication([])\n"
        "class Ping(QObject):\n"
        "    ping = Signal(str)\n"
        "seen = []\n"
        "p = Ping(); p.ping.connect(lambda s: seen.append(1) if len(seen) < 1 else None)\n"
        "b = QPushButton(); b.clicked.connect(lambda *a: None)\n"
        "for _ in range(150_000):\n"
        "    b.click(); app.processEvents(); p.ping.emit('x')\n"
        "print('alive')\n"
    )
    assert out.returncode == 0, out.stderr[-1500:]
    assert out.stdout.strip() == "alive"

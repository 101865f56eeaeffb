"""The QApplication and its event loop for every way the app runs (window, tray only,
`hushwrite quick`), with Ctrl+C in the terminal closing it cleanly instead of a traceback at
the next Python call."""

from __future__ import annotations

import signal
import sys

WAKE_MS = 300  # how often Python gets a turn to run its signal handler while Qt sleeps


def application():
    """The process's QApplication, created on first use."""
    from .qt import QApplication

    return QApplication.instance() or QApplication(sys.argv[:1])


def run_event_loop(app) -> int:
    """app.exec(), quitting on SIGINT; returns the exit code."""
    from .qt import QTimer

    signal.signal(signal.SIGINT, lambda *_: app.quit())
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(WAKE_MS)
    try:
        return int(app.exec())
    finally:
        wake.stop()

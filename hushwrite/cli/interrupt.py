"""Ctrl+C on the command line, handled in one place.

The first Ctrl+C sets the running job's cancel Event when it has one (the model aborts within
milliseconds and finished parts stay cached), else stops at once; a second one always stops at
once. Either way the command ends with "cancelled" and exit 130, never a traceback."""

from __future__ import annotations

import signal
import threading

from engine.errors import Cancelled


class CtrlC:
    def __init__(self, event: threading.Event | None = None) -> None:
        self.event = event
        self.previous = None

    def __enter__(self) -> "CtrlC":
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum, frame) -> None:
        if self.event is None or self.event.is_set():
            raise Cancelled("cancelled")
        self.event.set()

    def __exit__(self, *exc) -> bool:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
        return False


def install() -> None:
    """The process-wide default: Ctrl+C stops now (commands with a cancel Event add their own)."""
    CtrlC().__enter__()

"""A model's cancel flag and the job scope around it, shared by every model backend.

`cancel()` may come from any thread. A lone model call drops a cancel left from before; inside
`job()` (a task made of several calls) a cancel that lands between two calls is kept, and the
next call stops at once instead of clearing it."""

from __future__ import annotations

import contextlib
import threading
from typing import Iterator

from .errors import Cancelled


class CancelScope:
    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock  # the model's own lock (re-entrant: calls take it around start_call)
        self._event = threading.Event()
        self._depth = 0  # > 0 inside `with scope.job():`
        self._armed = threading.local()  # a lone call that dropped stale cancels when it was asked for

    def set(self) -> None:
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    @contextlib.contextmanager
    def job(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._event.clear()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1

    def arm(self) -> None:
        """When a lone call is asked for, before it waits for the model (a background calibration
        may hold it): a cancel left from before is dropped here, so a cancel that comes while the
        call waits is kept and stops it at its start."""
        if self._depth == 0:
            self._event.clear()
            self._armed.on = True

    def start_call(self) -> None:
        """At the start of each model call."""
        with self._lock:
            armed, self._armed.on = getattr(self._armed, "on", False), False
            if self._depth == 0 and not armed:
                self._event.clear()
            elif self._event.is_set():
                raise Cancelled("stopped")

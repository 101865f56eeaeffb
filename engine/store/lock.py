"""An advisory lock file beside the store: every open Store holds it shared; re-key, forget and
quarantine need it alone, so they never swap or delete a file another Hushwrite process is writing.

Uses flock(2) where it exists (Linux, macOS); elsewhere (Windows) it is a no-op, and Windows itself
refuses to replace or delete a file that is open.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from engine.store.errors import StoreBusy

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

WAIT_SHARED_S = 15.0


class StoreLock:
    def __init__(self, path: Path):
        self.path = path
        self.fd: int | None = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    def shared(self) -> "StoreLock":
        """Wait (briefly) while a re-key or forget holds the store alone, then share it."""
        deadline = time.monotonic() + WAIT_SHARED_S
        while not self._try(fcntl.LOCK_SH if fcntl else 0):
            if time.monotonic() > deadline:
                raise StoreBusy(f"Another Hushwrite process is changing the store key or deleting the store ({self.path.parent}). Try again in a moment.")
            time.sleep(0.05)
        return self

    def exclusive(self, action: str) -> None:
        """Take the store alone right now or fail: a running window or tray must be closed first."""
        if not self._try(fcntl.LOCK_EX if fcntl else 0):
            raise StoreBusy(f"Hushwrite is running elsewhere (window, tray or another command) with this store open. "
                            f"Close it, then {action} again. Nothing was changed.")

    def try_alone(self) -> bool:
        """Take the store alone if nobody else holds it; never waits. On failure the lock is not held at
        all (flock drops the shared lock before it tries the exclusive one): call shared() again."""
        return self._try(fcntl.LOCK_EX if fcntl else 0)

    def release(self) -> None:
        if fcntl is not None and self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)

    def back_to_shared(self) -> None:
        self._try(fcntl.LOCK_SH if fcntl else 0)

    def _try(self, mode: int) -> bool:
        if fcntl is None or self.fd is None:
            return True
        try:
            fcntl.flock(self.fd, mode | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing drops the flock
            self.fd = None

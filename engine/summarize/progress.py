"""Progress reports for long jobs: chunks done / total, what is running, and an ETA.

The ETA is measured, not guessed: seconds per input token of the calls actually computed so far
(cached chunks cost nothing and are left out) times the input tokens still to go.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from ..progress import OnProgress, Progress  # noqa: F401 - re-exported for the summarizer


class Clock:
    """Work left in input tokens, seconds per token measured on computed calls."""

    def __init__(self) -> None:
        self.tokens_timed = 0
        self.seconds = 0.0

    def record(self, tokens: int, seconds: float) -> None:
        self.tokens_timed += max(1, tokens)
        self.seconds += seconds

    def eta(self, tokens_left: int) -> float | None:
        if not self.tokens_timed:
            return None
        return self.seconds / self.tokens_timed * tokens_left


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    s = int(round(seconds))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class ProgressBar:
    """A one-line carriage-return bar on stderr: `[#####.....] 12/40 chunks  ETA 03:12  summarizing`."""

    def __init__(self, stream: TextIO | None = None, width: int = 28) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.shown = False
        self.last = 0.0

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        if p.stage != "done" and now - self.last < 0.1 and p.done < p.total:
            return
        self.last = now
        filled = int(self.width * p.fraction)
        bar = "#" * filled + "." * (self.width - filled)
        reused = f"  ({p.reused} from cache)" if p.reused else ""
        line = f"\r[{bar}] {p.done}/{p.total}  ETA {format_eta(p.eta_seconds)}  {p.stage}{reused}"
        self.stream.write(line.ljust(78))
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False

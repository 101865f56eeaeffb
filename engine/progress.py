"""How far a long job is: the one progress report every task sends (proofread, summarize)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    eta_seconds: float | None  # None until one call has been timed
    stage: str  # e.g. "reading", "summarizing", "combining", "proofreading", "done"
    reused: int = 0  # calls answered from a cache so far

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


OnProgress = Callable[[Progress], None]

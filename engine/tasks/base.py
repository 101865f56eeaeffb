"""What every task returns, and the exit status it maps to."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import UnusableOutput
from ..model import GenerationStats

OnText = Callable[[str], None]


@dataclass
class TaskResult:
    tool: str  # "proofread", "rewrite", "summarize"
    original: str
    text: str  # what we show/return: the cleaned output, or the original when unusable
    ok: bool = True
    problem: str = ""  # why the output was not usable (ok=False)
    variant: str = ""  # tone or kind
    raw: str = ""  # raw model output, for transparency (`--json`) and debugging
    stats: GenerationStats = field(default_factory=GenerationStats)
    edits: list[Any] = field(default_factory=list)  # proofreading edits
    model: str = ""
    parts: list[dict] = field(default_factory=list)  # rewrite: per paragraph, rewritten or kept and why

    def as_dict(self) -> dict:
        return {
            "tool": self.tool,
            "variant": self.variant,
            "ok": self.ok,
            "problem": self.problem,
            "text": self.text,
            "raw": self.raw,
            "model": self.model,
            "edits": [e.as_dict() if hasattr(e, "as_dict") else e for e in self.edits],
            "timings": self.stats.as_dict(),
            **({"parts": self.parts} if self.parts else {}),
        }


def exit_status(result: TaskResult) -> int:
    """The CLI exit code of a finished task: 0, or 4 (UnusableOutput) with the reason on stderr."""
    if result.ok:
        return 0
    print(f"hushwrite: {result.problem}", file=sys.stderr)
    return UnusableOutput.exit_code



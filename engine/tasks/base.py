"""What every task returns, and the loop that streams a prompt through the model and cleans it."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from ..errors import UnusableOutput
from ..model import GenerationStats, Model, SamplingOptions
from .cleanup import Verdict, clean_output, judge_output

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


def budget_for(model: Model, text: str, factor: float, floor: int = 32, ceiling: int = 2048) -> int:
    """Output token budget proportional to the input: a runaway generation ends early."""
    n = model.count_tokens(text)
    return int(max(floor, min(ceiling, n * factor + floor)))


def generate_clean(
    model: Model,
    messages: Sequence[dict[str, str]],
    original: str,
    max_tokens: int,
    stop: Sequence[str] = (),
    on_text: OnText | None = None,
    sampling: SamplingOptions | None = None,
    judge: Callable[[str, str], Verdict] | None = None,
    prefix: str = "",
) -> tuple[str, str, Verdict, GenerationStats]:
    """Stream a reply (calling on_text with the raw text so far), then clean and judge it.
    Returns (cleaned, raw, verdict, stats)."""
    stats = GenerationStats()
    raw = ""
    for piece in model.stream(messages, max_tokens=max_tokens, stop=stop, sampling=sampling, stats=stats, prefix=prefix):
        raw += piece
        if on_text:
            on_text(raw)
    cleaned = clean_output(raw, original)
    verdict = (judge or judge_output)(cleaned, original)
    if verdict.ok and stats.finish_reason == "length" and len(cleaned.split()) > 3 * len(original.split()) + 20:
        verdict = Verdict(False, "the model did not stop (it ran to its length limit)")
    return cleaned, raw, verdict, stats

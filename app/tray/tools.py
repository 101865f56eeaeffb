"""The quick tools offered in the popup, and how each maps onto an engine task."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class QuickTool:
    key: str  # stable id, stored in the tray settings
    label: str
    task: str  # EngineService tool: "proofread" | "rewrite" | "summarize"
    params: dict = field(default_factory=dict)
    diff: bool = True  # preview as a diff against the original (not for summaries)


TOOLS = (
    QuickTool("proofread", "Proofread", "proofread"),
    QuickTool("rewrite", "Rewrite", "rewrite", {"tone": "rewrite"}),
    QuickTool("friendly", "Friendly", "rewrite", {"tone": "friendly"}),
    QuickTool("professional", "Professional", "rewrite", {"tone": "professional"}),
    QuickTool("concise", "Concise", "rewrite", {"tone": "concise"}),
    QuickTool("summary", "Summary", "summarize", {"kind": "summary"}, diff=False),
    QuickTool("key-points", "Key points", "summarize", {"kind": "key-points"}, diff=False),
    QuickTool("custom", "Custom…", "rewrite", {"tone": "custom"}),
)
BY_KEY = {t.key: t for t in TOOLS}
DEFAULT_TOOL = "proofread"


def tool(key: str) -> QuickTool:
    return BY_KEY.get(key) or BY_KEY[DEFAULT_TOOL]

"""The tool menu model: every tool variant with its label and keyboard shortcut, in one table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ToolSpec:
    tool: str  # "proofread" | "rewrite" | "summarize"
    variant: str  # tone / kind ("" for proofread)
    label: str
    shortcut: str
    tip: str


PROOFREAD = ToolSpec("proofread", "", "&Proofread", "Ctrl+Shift+P", "Check spelling, grammar and punctuation")
REWRITES = [
    ToolSpec("rewrite", "rewrite", "&Rewrite", "Ctrl+Shift+R", "Rewrite so it reads clearly"),
    ToolSpec("rewrite", "friendly", "&Friendly", "Ctrl+Shift+F", "Rewrite in a warm, friendly tone"),
    ToolSpec("rewrite", "professional", "&Professional", "Ctrl+Shift+W", "Rewrite in a polished tone for work"),
    ToolSpec("rewrite", "concise", "&Concise", "Ctrl+Shift+C", "Make it shorter and more direct"),
    ToolSpec("rewrite", "custom", "Custom &instruction…", "Ctrl+Shift+I", "Tell the model what to do with the text"),
]
SUMMARIES = [
    ToolSpec("summarize", "summary", "&Summary", "Ctrl+Shift+M", "A short summary"),
    ToolSpec("summarize", "key-points", "&Key points", "Ctrl+Shift+K", "The key points as bullets"),
    ToolSpec("summarize", "list", "&List", "Ctrl+Shift+L", "A list of what the text covers"),
    ToolSpec("summarize", "table", "&Table", "Ctrl+Shift+T", "The facts as a table"),
]
ALL_TOOLS = [PROOFREAD, *REWRITES, *SUMMARIES]


def title_for(spec_tool: str, variant: str) -> str:
    for s in ALL_TOOLS:
        if s.tool == spec_tool and s.variant == variant:
            name = s.label.replace("&", "").rstrip("…")
            return name if s.tool != "rewrite" or variant == "rewrite" else f"Rewrite ▸ {name}"
    return spec_tool.capitalize()

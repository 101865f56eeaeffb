"""The built-in tasks and tools, registered through the same hook as the user's own tools and any
plugin (`register(registry)`), so there is one list."""

from __future__ import annotations

from . import run
from .spec import Task, Tool

TASKS = (
    Task("proofread", "Proofread", "correct spelling, grammar and punctuation", run.proofread,
         params=("dictionary", "mode"), context=("dictionary",)),
    Task("rewrite", "Rewrite", "rewrite in a tone, or by your own instruction", run.rewrite,
         params=("tone", "instruction", "style"), context=("style",), variant="tone", titled=True),
    Task("summarize", "Summarize", "summarize text or a document (txt, md, docx, pdf, html)", run.summarize,
         params=("kind", "instruction", "path", "headings", "cache"), context=("cache",), variant="kind"),
)

TOOLS = (
    Tool("proofread", "&Proofread", "proofread", shortcut="Ctrl+Shift+P", tip="Check spelling, grammar and punctuation"),
    Tool("rewrite", "&Rewrite", "rewrite", {"tone": "rewrite"}, "Ctrl+Shift+R", "Rewrite so it reads clearly"),
    Tool("friendly", "&Friendly", "rewrite", {"tone": "friendly"}, "Ctrl+Shift+F", "Rewrite in a warm, friendly tone"),
    Tool("professional", "&Professional", "rewrite", {"tone": "professional"}, "Ctrl+Shift+W",
         "Rewrite in a polished tone for work"),
    Tool("concise", "&Concise", "rewrite", {"tone": "concise"}, "Ctrl+Shift+C", "Make it shorter and more direct"),
    Tool("custom", "Custom &instruction…", "rewrite", {"tone": "custom"}, "Ctrl+Shift+I",
         "Tell the model what to do with the text", asks=True),
    Tool("summary", "&Summary", "summarize", {"kind": "summary"}, "Ctrl+Shift+M", "A short summary"),
    Tool("key-points", "&Key points", "summarize", {"kind": "key-points"}, "Ctrl+Shift+K", "The key points as bullets"),
    Tool("list", "&List", "summarize", {"kind": "list"}, "Ctrl+Shift+L", "A list of what the text covers"),
    Tool("table", "&Table", "summarize", {"kind": "table"}, "Ctrl+Shift+T", "The facts as a table"),
)


def register(registry) -> None:
    for task in TASKS:
        registry.add_task(task)
    for tool in TOOLS:
        registry.add_tool(tool)

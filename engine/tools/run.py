"""How each task runs: one function per task with the same shape,
`run(model, text, params, hooks) -> TaskResult`, so the worker, the CLI and the tray call every
tool — built-in or the user's own — the same way. The task modules are imported when a task runs,
not when the registry is read (the CLI's start-up stays short)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..errors import InputError


@dataclass
class Hooks:
    on_text: Callable[[str], None] | None = None  # the text so far (streaming)
    on_progress: Callable[[Any], None] | None = None  # chunked work: done/total/eta/stage
    cancel: Any = None  # a threading.Event; setting it stops the task (Cancelled)
    # (checked text, draft of the rest) while a task runs: a preview, never a result (a rewrite's
    # unchecked sentences; a short summary's chosen sentences before the model shortens them)
    on_draft: Callable[[str, str], None] | None = None


def proofread(model, text: str, params: Mapping[str, Any], hooks: Hooks):
    from ..proofread import proofread as run

    return run(model, text, dictionary=tuple(params.get("dictionary", ())), mode=params.get("mode", "careful"),
               on_progress=hooks.on_progress, on_text=hooks.on_text)


def rewrite(model, text: str, params: Mapping[str, Any], hooks: Hooks):
    from ..tasks.rewrite import rewrite as run

    return run(model, text, tone=params.get("tone", "rewrite"), instruction=params.get("instruction", ""),
               style=params.get("style", ""), on_text=hooks.on_text, on_draft=hooks.on_draft)


def summarize(model, text: str, params: Mapping[str, Any], hooks: Hooks):
    """`path`: a document file, read here in an isolated child process (a cancel kills it)."""
    from ..summarize import summarize as run

    headings = params.get("headings")
    if params.get("path"):
        from ..documents import load_document

        doc = load_document(params["path"], cancel=hooks.cancel)
        text, headings = doc.text, (doc.sections or None)
        if not text.strip():
            raise InputError("it contains no text to summarize (a scanned PDF needs text recognition first)")
    return run(model, text, kind=params.get("kind", "summary"), instruction=params.get("instruction", ""),
               on_progress=hooks.on_progress, on_text=hooks.on_text, cancel=hooks.cancel, headings=headings,
               cache=params.get("cache"), on_draft=hooks.on_draft)

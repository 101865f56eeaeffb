"""Prefill from the app: while the user picks a tool (the tray popup is open, the window's Rewrite or
Summarize menu is showing), the model starts on the text (engine.runtime.prefill).

EngineService takes `Prefilling`: `prefill(text, style)` queues a request for the worker thread
(after any job queued before it), where `run_prefill` picks the prompt prefixes
(engine.tasks.prefill: a few token-count calls) and hands them to the model, which decodes them in
the background of the engine process and returns at once. `cancel_prefill()` comes from the UI
thread and never waits: one frame to the engine process. A request needs nothing: it pauses the
prefill and reuses what is ready.
"""

from __future__ import annotations

import os


class Prefilling:
    """EngineService's prefill methods (it holds `_prefill_key`, `_prefill_requested`, `_worker`)."""

    _prefill_key: tuple | None = None  # (text, style, model) being prefilled; None when none is

    def prefill(self, text: str, style: str = "") -> bool:
        """Start feeding `text` to the model. False when there is nothing to do: no model ready,
        no text, the same text already prefilled, or HUSHWRITE_NO_PREFILL set."""
        if not self.ready or not text.strip() or os.environ.get("HUSHWRITE_NO_PREFILL"):
            return False
        key = (text, style, id(self._worker.model))  # a model loaded since has none of it
        if key == self._prefill_key:
            return False
        self._prefill_key = key
        self._prefill_requested.emit((key, text, style, lambda: self._prefill_key))
        return True

    @property
    def prefilling(self) -> bool:
        return self._prefill_key is not None

    def cancel_prefill(self) -> None:
        """Stop the prefill and forget what it decoded (the popup closed without a choice, the text
        changed)."""
        if self._prefill_key is None:
            return
        self._prefill_key = None
        model = self._worker.model
        if model is not None:
            model.cancel_prefill()


def run_prefill(model, request: tuple) -> None:
    """In the worker thread: the prefixes of the request's text, handed to the model; skipped
    when it was cancelled while it waited."""
    key, text, style, current = request
    if model is None or not getattr(model, "can_prefill", False) or current() != key:
        return
    try:
        from engine.tasks.prefill import prefixes

        heads = prefixes(model, text, style)
        if current() == key:
            model.prefill(heads)
            if current() != key:  # cancelled while the plan crossed the pipe
                model.cancel_prefill()
    except Exception:  # noqa: BLE001 - a prefill is only a head start, never an error for the user
        return

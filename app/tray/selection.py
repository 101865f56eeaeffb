"""Capture the user's selected text without losing anything.

1. X11: read the PRIMARY selection (what is highlighted) — no key simulation at all.
2. Otherwise: take a full snapshot of the clipboard, wait until the hotkey's modifier keys are
   up (else the app would see Ctrl+Alt+C and type "©"), simulate Ctrl+C, wait for the clipboard
   to change (a slow app may take a while; we wait up to `timeout`), read the text, and put the
   snapshot back if the clipboard still holds what the copy put there.
Nothing changed or no text → Capture with problem "no text selected" (never a paste).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from .clipboard import CLIPBOARD, SELECTION, ClipboardSnapshot, fingerprint, read_formats
from ..qt import QGuiApplication, QObject, QTimer, Signal

NO_TEXT = "No text selected. Select some text in any application, then press the hotkey again."
MODIFIER_WAIT = 0.6  # seconds to wait for the user to let go of the hotkey before copying
POLL_MS = 15


@dataclass
class Capture:
    text: str = ""
    source: str = ""  # "primary", "clipboard" or "" when nothing was captured
    window: int = 0  # the window the text came from (paste back goes there)
    problem: str = ""
    seconds: float = 0.0
    clipboard_restored: bool = False

    @property
    def ok(self) -> bool:
        return not self.problem


class SelectionCapture(QObject):
    """`start()` then wait for `done(Capture)` (emitted exactly once)."""

    done = Signal(object)

    def __init__(self, keys, timeout: float = 2.0, use_primary: bool = True, parent=None):
        super().__init__(parent)
        self.keys = keys
        self.timeout = timeout
        self.use_primary = use_primary
        self._cb = QGuiApplication.clipboard()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._tick)
        self._finished = False
        self._connected = False

    def start(self) -> None:
        self._t0 = time.monotonic()
        try:
            self._window = self.keys.focused_window()
        except Exception:
            self._window = 0
        if self.use_primary and self._cb.supportsSelection():
            text = self._cb.text(SELECTION)
            if text.strip():
                self._finish(Capture(text, "primary", self._window))
                return
        if not self.keys.can_type:
            # no key simulation here (Wayland): use what the clipboard holds, if anything
            text = self._cb.text(CLIPBOARD)
            self._finish(Capture(text, "clipboard", self._window) if text.strip() else Capture(problem=NO_TEXT))
            return
        self._snapshot = ClipboardSnapshot.take(CLIPBOARD)
        self._before = fingerprint(self._snapshot.formats)
        self._before_text = self._cb.text(CLIPBOARD)
        self._changed = False
        self._cb.dataChanged.connect(self._on_changed)
        self._connected = True
        self._stage = "modifiers"
        self._timer.start()
        self._tick()

    def _on_changed(self) -> None:
        self._changed = True

    def _tick(self) -> None:
        if self._finished:
            return
        elapsed = time.monotonic() - self._t0
        try:
            if self._stage == "modifiers":
                held = self.keys.held_modifiers()
                if held and elapsed < MODIFIER_WAIT:
                    return
                if held:
                    self.keys.release(held)
                self._stage = "copy"
                self._copy_t0 = time.monotonic()
                self.keys.send_copy(self._window)
                return
            text_now = self._cb.text(CLIPBOARD)
            if self._changed or text_now != self._before_text:
                self._collect()
            elif time.monotonic() - self._copy_t0 > self.timeout:
                self._finish(Capture(problem=NO_TEXT, window=self._window))
        except Exception as exc:  # an X error, a vanished window: say so, never crash
            self._finish(Capture(problem=f"Could not read the selection ({exc}).", window=self._window))

    def _collect(self) -> None:
        after = read_formats(CLIPBOARD)
        text = self._cb.text(CLIPBOARD)
        restored = self._snapshot.restore_if(fingerprint(after))
        if not text.strip():
            self._finish(Capture(problem=NO_TEXT, window=self._window, clipboard_restored=restored))
        else:
            self._finish(Capture(text, "clipboard", self._window, clipboard_restored=restored))

    def _finish(self, capture: Capture) -> None:
        if self._finished:
            return
        self._finished = True
        self._timer.stop()
        if self._connected:
            self._cb.dataChanged.disconnect(self._on_changed)
            self._connected = False
        capture.seconds = time.monotonic() - self._t0
        self.done.emit(capture)

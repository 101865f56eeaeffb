"""Put the result into the original window: give it the keyboard back, paste, restore the clipboard.

The paste goes through the clipboard (the only way every app accepts), so: snapshot the
clipboard, give the original window focus and wait until it really has it, put the result on
the clipboard, simulate paste, wait until the target has fetched the data (we see the request
arrive) plus a short grace, then put the snapshot back if the clipboard still holds our result.
If the window cannot be refocused, nothing is pasted and the clipboard is left untouched.
"""

from __future__ import annotations

import time

from .clipboard import CLIPBOARD, ClipboardSnapshot
from ..qt import QGuiApplication, QMimeData, QObject, QTimer, Signal

FOCUS_TIMEOUT = 1.0
SERVE_TIMEOUT = 2.0  # the target fetches the pasted text within this, or we restore anyway
GRACE_MS = 150  # after the target fetched it (some apps ask twice: TARGETS, then the text)
POLL_MS = 10


class ServedText(QMimeData):
    """Our result on the clipboard; tells when another app has fetched it."""

    def __init__(self, text: str, on_served):
        super().__init__()
        self.setText(text)
        self._on_served = on_served

    def retrieveData(self, mimetype, preferred):  # noqa: N802 (Qt override)
        self._on_served()
        return super().retrieveData(mimetype, preferred)


class PasteBack(QObject):
    """`start()`; then `done(ok: bool, problem: str)` once."""

    done = Signal(bool, str)

    def __init__(self, keys, text: str, window: int, parent=None):
        super().__init__(parent)
        self.keys = keys
        self.text = text
        self.window = window
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._tick)
        self._finished = False
        self._served_at = 0.0

    def start(self) -> None:
        self._t0 = time.monotonic()
        if not self.window or not self.keys.can_type:
            self._finish(False, "Hushwrite cannot paste into other windows on this desktop.")
            return
        try:
            self.keys.request_focus(self.window)
        except Exception as exc:
            self._finish(False, f"Could not return to the original window ({exc}); nothing was pasted.")
            return
        self._stage = "focus"
        self._timer.start()

    def _served(self) -> None:
        if not self._served_at:
            self._served_at = time.monotonic()

    def _tick(self) -> None:
        if self._finished:
            return
        now = time.monotonic()
        try:
            if self._stage == "focus":
                if self.keys.focus_matches(self.window) and not self.keys.held_modifiers():
                    self._paste()
                elif now - self._t0 > FOCUS_TIMEOUT:
                    self._finish(False, "The original window did not take the keyboard back; nothing was pasted.")
                return
            if self._served_at and now - self._served_at > GRACE_MS / 1000:
                self._restore_and_finish()
            elif now - self._paste_t0 > SERVE_TIMEOUT:
                self._restore_and_finish()
        except Exception as exc:  # X errors, a closed window
            self._finish(False, f"Pasting failed ({exc}).")

    def _paste(self) -> None:
        self._snapshot = ClipboardSnapshot.take(CLIPBOARD)
        self._mime = ServedText(self.text, self._served)
        cb = QGuiApplication.clipboard()
        cb.setMimeData(self._mime, CLIPBOARD)
        self._stage = "paste"
        self._paste_t0 = time.monotonic()
        self.keys.send_paste(self.window)

    def _restore_and_finish(self) -> None:
        served = bool(self._served_at)  # read first: our own check below also fetches the data
        cb = QGuiApplication.clipboard()
        # restore only if the clipboard still holds our result (nobody copied since)
        if cb.ownsClipboard() and cb.text(CLIPBOARD) == self.text:
            self._snapshot.restore()
        self._finish(served, "" if served else "The window did not accept the paste.")

    def _finish(self, ok: bool, problem: str) -> None:
        if self._finished:
            return
        self._finished = True
        self._timer.stop()
        self.done.emit(ok, problem)

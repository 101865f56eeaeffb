"""A full snapshot of the clipboard (every format it offers), restored only if nobody changed it since.

The quick rewrite borrows the clipboard twice (simulated copy, paste back). The user's own
clipboard content — text, an image, files, rich text, app-private formats — must come back
exactly, but never over something the user (or another app) copied in the meantime.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ..qt import QClipboard, QGuiApplication, QMimeData

# Targets the X11 selection protocol adds by itself, and formats Qt synthesizes from others:
# copying them back would duplicate or confuse, and the real formats carry the same data.
SYNTHETIC = frozenset({"TARGETS", "MULTIPLE", "TIMESTAMP", "SAVE_TARGETS", "DELETE", "INCR", "application/x-qt-image"})

CLIPBOARD = QClipboard.Mode.Clipboard
SELECTION = QClipboard.Mode.Selection


def _clipboard():
    return QGuiApplication.clipboard()


def read_formats(mode=CLIPBOARD) -> dict[str, bytes]:
    """Every format the clipboard offers now, with its bytes (an empty dict when empty)."""
    md = _clipboard().mimeData(mode)
    if md is None:
        return {}
    out: dict[str, bytes] = {}
    for fmt in md.formats():
        if fmt in SYNTHETIC:
            continue
        out[fmt] = bytes(md.data(fmt).data())
    return out


def fingerprint(formats: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for fmt in sorted(formats):
        h.update(fmt.encode() + b"\0" + hashlib.sha256(formats[fmt]).digest())
    return h.hexdigest()


def current_fingerprint(mode=CLIPBOARD) -> str:
    return fingerprint(read_formats(mode))


@dataclass
class ClipboardSnapshot:
    """What the clipboard held, format by format. `restore_if(expected)` puts it back."""

    formats: dict[str, bytes] = field(default_factory=dict)
    mode: object = CLIPBOARD

    @classmethod
    def take(cls, mode=CLIPBOARD) -> "ClipboardSnapshot":
        return cls(read_formats(mode), mode)

    @property
    def empty(self) -> bool:
        return not self.formats

    def to_mime(self) -> QMimeData:
        md = QMimeData()
        for fmt, data in self.formats.items():
            md.setData(fmt, data)
        return md

    def restore(self) -> None:
        """Put the snapshot back unconditionally (an empty snapshot clears the clipboard)."""
        cb = _clipboard()
        if self.empty:
            cb.clear(self.mode)
        else:
            cb.setMimeData(self.to_mime(), self.mode)

    def restore_if(self, expected_fingerprint: str) -> bool:
        """Restore only if the clipboard still holds what we put there (its fingerprint);
        if someone copied something else since, leave theirs alone. True when restored."""
        if current_fingerprint(self.mode) != expected_fingerprint:
            return False
        self.restore()
        return True

"""The unit of proofreading output: one change to the original text, with a reason.

Offsets are character offsets into the *original* text, so the GUI can underline exactly the
span a person wrote and accept or reject each change on its own.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable

from ..errors import InputError

CATEGORIES = ("spelling", "grammar", "punctuation", "word choice", "capitalization", "style")


@dataclass(frozen=True)
class Edit:
    start: int  # offset of the first replaced character in the original text
    end: int  # offset after the last replaced character (== start for an insertion)
    original: str  # text[start:end]
    replacement: str
    category: str  # one of CATEGORIES
    reason: str  # a short sentence a person understands

    def as_dict(self) -> dict:
        return asdict(self)

    def shifted(self, offset: int) -> "Edit":
        """The same edit, moved by `offset` characters (sentence-relative -> document offsets)."""
        return Edit(self.start + offset, self.end + offset, self.original, self.replacement, self.category, self.reason)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply any subset of a proofreading result's edits (e.g. the accepted ones) to `text`.

    Edits must not overlap and must match the text they claim to replace; otherwise the text was
    changed since it was proofread, and we say so rather than corrupt it.
    """
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    out: list[str] = []
    pos = 0
    for e in ordered:
        if e.start < pos or e.end < e.start or e.end > len(text):
            raise InputError(f"edit at {e.start}-{e.end} overlaps another edit or lies outside the text")
        if text[e.start : e.end] != e.original:
            raise InputError(
                f"edit at {e.start}-{e.end} expects {e.original!r} but the text has {text[e.start:e.end]!r}; "
                "was the text changed after proofreading?"
            )
        out.append(text[pos : e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)

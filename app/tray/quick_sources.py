"""Where each point of a summary in the quick popup comes from: the point and the passage of the
captured selection it rests on (its character spans), shown when the preview is hovered — the
same grounding the window shows by highlighting."""

from __future__ import annotations

from html import escape
from typing import Sequence

MAX_PASSAGE = 220  # characters of a passage shown per point


def passage(original: str, spans: Sequence[Sequence[int]]) -> str:
    parts = [" ".join(original[s:e].split()) for s, e in spans if 0 <= s < e <= len(original)]
    text = " … ".join(p for p in parts if p)
    return text if len(text) <= MAX_PASSAGE else text[: MAX_PASSAGE - 1].rsplit(" ", 1)[0] + "…"


def sources_html(points: Sequence, original: str) -> str:
    """One paragraph per point that has a source: the point, then the selection's words it rests on.
    Empty when no point has one (a rewrite, or a result without points)."""
    rows = []
    for p in points:
        found = passage(original, getattr(p, "spans", None) or [])
        if found:
            rows.append(f"<p><b>{escape(p.text)}</b><br>from your text: “{escape(found)}”</p>")
    return "".join(rows)

"""Where a point's source spans are in the document: line numbers (pages for PDFs whose loader
recorded where each page starts), and the passage itself, for `--sources` and `--json`."""

from __future__ import annotations

from bisect import bisect_right
from typing import Sequence

from .ground import Point


class Locator:
    def __init__(self, text: str, page_starts: Sequence[int] | None = None) -> None:
        self.text = text
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        self.page_starts = sorted(page_starts) if page_starts else None

    def line(self, offset: int) -> int:
        """1-based line number of a character offset."""
        return bisect_right(self.line_starts, offset)

    def page(self, offset: int) -> int | None:
        return bisect_right(self.page_starts, offset) if self.page_starts else None

    def describe(self, p: Point, passage_chars: int = 300) -> dict:
        spans = [{"start": s, "end": e, "lines": [self.line(s), self.line(max(s, e - 1))],
                  "passage": _clip(self.text[s:e], passage_chars)} for s, e in p.spans]
        if self.page_starts:
            for d in spans:
                d["pages"] = [self.page(d["start"]), self.page(max(d["start"], d["end"] - 1))]
        return {**p.as_dict(), "sources": spans}

    def label(self, p: Point) -> str:
        """'lines 3-4, 9' or 'pages 2, 5' for one point."""
        if not p.spans:
            return "no source"
        if self.page_starts:
            nums = sorted({self.page(s) for s, _ in p.spans})
            return ("page " if len(nums) == 1 else "pages ") + ", ".join(str(n) for n in nums)
        ranges = []
        for s, e in p.spans:
            a, b = self.line(s), self.line(max(s, e - 1))
            ranges.append(str(a) if a == b else f"{a}-{b}")
        many = len(ranges) > 1 or "-" in ranges[0]
        return ("lines " if many else "line ") + ", ".join(ranges)


def _clip(text: str, n: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[: n - 1].rsplit(" ", 1)[0] + "…"


def sources_block(points: Sequence[Point], locator: Locator) -> str:
    """The `--sources` listing: each point, then where it comes from and the passage."""
    out = ["", "Sources:"]
    for i, p in enumerate(points, 1):
        where = locator.label(p)
        section = f" ({p.section})" if p.section else ""
        note = {"repaired": " [the source sentence: the model's version was not supported]",
                "extract": " [the source sentence]", "quote": " [quoted, not stated as fact]"}.get(p.how, "")
        out.append(f"[{i}]{section} {where}{note}")
        for s, e in p.spans:
            out.append(f"    “{_clip(locator.text[s:e], 200)}”")
    return "\n".join(out)

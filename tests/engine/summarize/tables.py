"""What the tests accept as a markdown table (the summarizer draws tables; only tests check them)."""

from __future__ import annotations

import re

_TABLE_LINE = re.compile(r"^\|.*\|$")
_SEPARATOR = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+$")


def is_table(text: str) -> bool:
    """A header row, a separator row, and at least one body row; every line a table row."""
    lines = [ln.strip() for ln in text.strip().splitlines()]
    return len(lines) >= 3 and all(_TABLE_LINE.match(ln) for ln in lines) and bool(_SEPARATOR.match(lines[1]))

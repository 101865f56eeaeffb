"""A readable inline diff of an edit list: `[-old-]{+new+}`, optionally in terminal colours."""

from __future__ import annotations

from typing import Iterable

from .edits import Edit

_RED, _GREEN, _RESET = "\033[31m", "\033[32m", "\033[0m"


def inline_diff(text: str, edits: Iterable[Edit], color: bool = False) -> str:
    """`text` with each edit shown in place: removed text in [-...-], inserted text in {+...+}."""
    out, pos = [], 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos : e.start])
        if e.original:
            out.append(f"{_RED}[-{e.original}-]{_RESET}" if color else f"[-{e.original}-]")
        if e.replacement:
            out.append(f"{_GREEN}{{+{e.replacement}+}}{_RESET}" if color else f"{{+{e.replacement}+}}")
        pos = e.end
    out.append(text[pos:])
    return "".join(out)

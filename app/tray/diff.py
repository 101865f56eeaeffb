"""Word-level inline diff as HTML: removed words struck through in red, inserted words in green."""

from __future__ import annotations

import difflib
import html
import re

TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
DEL = '<span style="color:#b3261e;text-decoration:line-through;background:#fde7e9">{}</span>'
INS = '<span style="color:#146c2e;background:#e3f6e8">{}</span>'


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def diff_ops(old: str, new: str) -> list[tuple[str, str]]:
    """[(op, text)] with op "=", "-" or "+", in reading order."""
    a, b = tokens(old), tokens(new)
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("=", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                ops.append(("-", "".join(a[i1:i2])))
            if j2 > j1:
                ops.append(("+", "".join(b[j1:j2])))
    return ops


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def inline_diff_html(old: str, new: str) -> str:
    parts = []
    for op, text in diff_ops(old, new):
        if op == "=":
            parts.append(_esc(text))
        elif op == "-":
            parts.append(DEL.format(_esc(text)))
        else:
            parts.append(INS.format(_esc(text)))
    return "".join(parts)


def plain_html(text: str) -> str:
    return _esc(text)

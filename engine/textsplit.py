"""Split text at paragraph and sentence boundaries, keeping every character.

Shared by the tasks (rewrite chunks, proofreading sentence by sentence) and document
summarizing (token-budgeted chunks). `split_sentences` returns spans, so callers can put edits
back at exact offsets and whitespace/markup between sentences is preserved.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace
# and an uppercase letter, digit, quote or end. Common abbreviations are not ends.
_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "fig", "no",
    "vol", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "mt", "approx", "dept", "est", "u.s", "a.m", "p.m",
}
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+|$)")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of paragraphs (runs of non-blank lines)."""
    spans = []
    for m in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text):
        spans.append((m.start(), m.end()))
    return spans


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end]; each line of a list or heading is its own unit."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text[start:end]):
        ls, le = start + line.start(), start + line.end()
        pos = ls
        for m in _END.finditer(text, ls, le):
            cut = m.end()
            word = re.search(r"([\w.]+)[.!?…]*[\"'”’)\]]*$", text[pos:cut])
            if word and text[m.start()] == "." and word.group(1).lower().rstrip(".") in _ABBREV:
                continue
            nxt = text[cut:le].lstrip()
            if nxt and not (nxt[0].isupper() or nxt[0].isdigit() or nxt[0] in "\"'“‘([*-#"):
                continue
            if text[pos:cut].strip():
                spans.append(_trim(text, pos, cut))
            pos = cut
        if text[pos:le].strip():
            spans.append(_trim(text, pos, le))
    return spans


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def pack(units: list[str], budget: int, count: Callable[[str], int], sep: str = "\n\n") -> Iterator[str]:
    """Greedily join units into chunks of at most `budget` tokens; a unit over budget is split
    by sentences, then by words, so nothing is ever dropped."""
    cur: list[str] = []
    cur_n = 0
    sep_n = count(sep) if sep.strip() else 1
    for unit in units:
        n = count(unit)
        if n > budget:
            if cur:
                yield sep.join(cur)
                cur, cur_n = [], 0
            yield from _split_big(unit, budget, count)
            continue
        if cur and cur_n + sep_n + n > budget:
            yield sep.join(cur)
            cur, cur_n = [], 0
        cur.append(unit)
        cur_n += n + (sep_n if len(cur) > 1 else 0)
    if cur:
        yield sep.join(cur)


def _split_big(unit: str, budget: int, count: Callable[[str], int]) -> Iterator[str]:
    sents = [unit[s:e] for s, e in split_sentences(unit)]
    if len(sents) > 1:
        yield from pack(sents, budget, count, sep=" ")
        return
    words = unit.split(" ")
    cur: list[str] = []
    for w in words:
        if cur and count(" ".join(cur + [w])) > budget:
            yield " ".join(cur)
            cur = []
        cur.append(w)
    if cur:
        yield " ".join(cur)

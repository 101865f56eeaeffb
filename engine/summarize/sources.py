"""A document as source sentences with spans, cut into parts (headings) and chunks (token budget).

Unlike `chunks.py`, which hands whole passages to the model, this plan keeps every sentence's
character offsets in the loaded text, so whatever is chosen or written from a chunk can point back
into the original document at every level of the map-reduce.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .chunks import heads_from
from ..documents.structure import sections_from_headings
from .extract import Sentence, source_sentences


@dataclass
class SourcePart:
    title: str
    start: int
    end: int
    sentences: list[Sentence] = field(default_factory=list)
    chunks: list[list[Sentence]] = field(default_factory=list)
    tokens: int = 0


def plan_sources(text: str, headings, budget: int, count: Callable[[str], int]) -> tuple[list[SourcePart], list[str]]:
    """Parts along the headings (a heading with no text of its own and tiny neighbours are joined,
    as in chunks.parts_of), each cut into chunks of whole sentences of at most `budget` tokens; and
    the heading title of every section (Sentence.section indexes it)."""
    sections = sections_from_headings(text, heads_from(headings, text))
    bounds = [(s.title, s.start, s.end) for s in sections] or [("", 0, len(text))]
    sentences = source_sentences(text, [b[1] for b in bounds])
    sizes = [count(s.text) + 1 for s in sentences]
    parts: list[SourcePart] = []
    for title, start, end in bounds:
        mine = [s for s in sentences if start <= s.start < end]
        if mine:
            parts.append(SourcePart(title, start, end, mine, tokens=sum(sizes[s.index] for s in mine)))
    parts = _join_small(parts, budget)
    for p in parts:
        cur: list[Sentence] = []
        n = 0
        for s in p.sentences:
            k = sizes[s.index]
            if cur and n + k > budget:
                p.chunks.append(cur)
                cur, n = [], 0
            cur.append(s)
            n += k
        if cur:
            p.chunks.append(cur)
    return parts, [b[0] for b in bounds]


def _join_small(parts: list[SourcePart], budget: int) -> list[SourcePart]:
    small = budget // 3
    out: list[SourcePart] = []
    carry: SourcePart | None = None  # a heading with no text of its own
    for p in parts:
        if carry is not None:
            p = SourcePart(" / ".join(t for t in (carry.title, p.title) if t) if not p.title else p.title,
                           carry.start, p.end, carry.sentences + p.sentences, tokens=carry.tokens + p.tokens)
            carry = None
        if p.title and len(p.sentences) == 1 and p is not parts[-1]:
            carry = p
            continue
        last = out[-1] if out else None
        if last is not None and (last.tokens < small or p.tokens < small) and last.tokens + p.tokens <= budget:
            last.title = " / ".join(t for t in (last.title, p.title) if t)
            last.end = p.end
            last.sentences += p.sentences
            last.tokens += p.tokens
        else:
            out.append(p)
    if carry is not None:
        out.append(carry)
    return out

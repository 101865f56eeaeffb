"""Cut a document into token-budgeted chunks along its structure.

Parts follow the headings (chapters, sections); tiny neighbouring sections are joined so a
chunk is never wasted on a heading and two lines. Inside a part, paragraphs are packed up to the
budget (a paragraph over budget is split by sentences, then words: `textsplit.pack`), and each
chunk after the first starts with the last sentence of the one before, so a sentence cut by the
boundary keeps its context. Tokens are counted with the model's own tokenizer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence, TypeVar

from ..documents.structure import detect_headings, sections_from_headings
from ..textsplit import pack, paragraphs, split_sentences

OVERLAP_MARK = "[…] "
T = TypeVar("T")


@dataclass
class Part:
    title: str  # "" when the document has no headings (or for text before the first one)
    text: str
    tokens: int
    chunks: list[str] = field(default_factory=list)


def heads_from(headings, text: str) -> list[tuple[int, int, str]]:
    """Accept Section objects, (offset, title) or (offset, level, title); None means detect them."""
    if headings is None:
        return detect_headings(text)
    out = []
    for h in headings:
        if hasattr(h, "start"):
            if h.title:
                out.append((h.start, h.level or 1, h.title))
        elif len(h) == 2:
            out.append((int(h[0]), 1, str(h[1])))
        else:
            out.append((int(h[0]), int(h[1]), str(h[2])))
    return sorted(out)


def parts_of(text: str, headings, budget: int, count: Callable[[str], int]) -> list[Part]:
    sections = sections_from_headings(text, heads_from(headings, text))
    if not sections:
        return [Part("", text.strip(), count(text))]
    parts: list[Part] = []
    small = budget // 3
    carry = ""  # a heading with no text of its own (a title above its first sub-heading)
    for s in sections:
        body = text[s.start:s.end].strip()
        if not body:
            continue
        if s.title and body.count("\n") == 0 and s is not sections[-1]:
            carry += body + "\n\n"
            continue
        body = carry + body
        carry = ""
        n = count(body)
        last = parts[-1] if parts else None
        if last is not None and (last.tokens < small or n < small) and last.tokens + n <= budget:
            last.title = " / ".join(t for t in (last.title, s.title) if t)
            last.text += "\n\n" + body
            last.tokens += n
        else:
            parts.append(Part(s.title, body, n))
    return parts


def _tail(chunk: str, limit: int, count: Callable[[str], int]) -> str:
    """The last sentence of a chunk when it is short enough to repeat."""
    spans = split_sentences(chunk)
    if not spans:
        return ""
    s, e = spans[-1]
    sentence = chunk[s:e]
    return sentence if count(sentence) <= limit else ""


def chunk_part(part: Part, budget: int, count: Callable[[str], int], overlap: int) -> list[str]:
    if part.tokens <= budget:
        return [part.text]
    units = [part.text[s:e] for s, e in paragraphs(part.text)]
    pieces = list(pack(units, budget - overlap, count))
    out = [pieces[0]]
    for prev, piece in zip(pieces, pieces[1:]):
        tail = _tail(prev, overlap, count) if overlap else ""
        out.append(f"{OVERLAP_MARK}{tail}\n\n{piece}" if tail else piece)
    return out


def plan(text: str, headings, budget: int, count: Callable[[str], int], overlap: int = 48) -> list[Part]:
    """The parts of `text`, each with its chunks filled in."""
    parts = parts_of(text, headings, budget, count)
    for p in parts:
        p.chunks = chunk_part(p, budget, count, overlap)
    return parts


def group_by_budget(items: Sequence[str], budget: int, count: Callable[[str], int]) -> list[list[str]]:
    """Consecutive items packed into groups of at most `budget` tokens (an item is never split)."""
    return groups_within(items, lambda item: count(item) + 2, budget)


def groups_within(items: Sequence[T], size: Callable[[T], int], budget: int, most: int = 0) -> list[list[T]]:
    """Consecutive items packed into groups whose sizes add up to at most `budget` (and of at most
    `most` items, when given); an item larger than the budget gets a group of its own."""
    groups: list[list[T]] = []
    cur: list[T] = []
    used = 0
    for item in items:
        n = size(item)
        if cur and (used + n > budget or (most and len(cur) >= most)):
            groups.append(cur)
            cur, used = [], 0
        cur.append(item)
        used += n
    if cur:
        groups.append(cur)
    return groups

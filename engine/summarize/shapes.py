"""Turn what the model wrote into the shape of each kind, and check the shape.

Small models drift from formats, so we never trust them to draw the shape: we take the content
(sentences or list items) out of the reply and draw the paragraph, bullets, numbered list or
markdown table ourselves.
"""

from __future__ import annotations

import re

from ..proofread.align import FUNCTION_WORDS
from ..tasks.cleanup import clean_output, cut_repetition
from ..textsplit import split_sentences

_MARK = re.compile(r"^\s*(?:[-*•·–]|\d{1,3}[.)]|\(\d{1,3}\)|[a-z][.)])\s+", re.IGNORECASE)
_TOPIC = re.compile(r"^\**([^:|*]{2,60}?)\**\s*[:—–-]\s+(.{8,})$")
_LABEL = re.compile(r"^(?:\d{1,3}\s+)?(?:text|passage|summary|answer)\s*:\s*", re.IGNORECASE)  # echoed labels
MAX_ITEMS = 12


def clean(raw: str, prefix: str = "") -> str:
    return clean_output(prefix + raw).strip()


def items(text: str, limit: int = MAX_ITEMS) -> list[str]:
    """List items from a reply: marked lines when there are some, else its sentences."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    marked = [ln for ln in lines if _MARK.match(ln)]
    if len(marked) >= 2 or (marked and len(lines) == 1):
        raw = [_MARK.sub("", ln, count=1) for ln in marked]
    else:
        joined = " ".join(lines)
        raw = [joined[s:e] for s, e in split_sentences(joined)]
    out, seen = [], set()
    for item in raw:
        item = _LABEL.sub("", item.strip())
        while _MARK.match(item):
            item = _MARK.sub("", item, count=1)
        item = cut_repetition(item.strip().strip('"“”').strip())
        key = re.sub(r"\W+", " ", item.lower()).strip()
        if len(key) < 4 or key in seen:
            continue
        seen.add(key)
        out.append(item)
        if len(out) >= limit:
            break
    return out


def prose(text: str) -> str:
    """One paragraph: list marks dropped, lines joined."""
    parts = [_MARK.sub("", ln, count=1).strip() for ln in text.splitlines() if ln.strip()]
    return cut_repetition(" ".join(parts)).strip()


def bullets(entries: list[str]) -> str:
    return "\n".join(f"- {e}" for e in entries)


def numbered(entries: list[str]) -> str:
    return "\n".join(f"{i}. {e}" for i, e in enumerate(entries, 1))


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "/").split())


def table(rows: list[tuple[str, str]], header: tuple[str, str]) -> str:
    lines = [f"| {header[0]} | {header[1]} |", "| --- | --- |"]
    lines += [f"| {_cell(a)} | {_cell(b)} |" for a, b in rows]
    return "\n".join(lines)


def topic_rows(entries: list[str]) -> tuple[list[tuple[str, str]], tuple[str, str]]:
    """'Topic: detail' items become two columns; when the model gave no topics, number the points."""
    pairs = [_TOPIC.match(e) for e in entries]
    if entries and sum(1 for p in pairs if p) >= max(1, len(entries) // 2):
        rows = [(p.group(1).strip(), p.group(2).strip()) if p else ("", e) for p, e in zip(pairs, entries)]
        return rows, ("Topic", "Detail")
    return [(str(i), e) for i, e in enumerate(entries, 1)], ("#", "Key point")


def render(kind: str, text: str, sentences: int | None = None) -> str:
    """The final answer for `kind` from cleaned model text ('' when nothing usable is left).
    `sentences`: for a summary, the count that was asked for; a model that writes on past it
    is cut there (small models rarely stop at the number they were given)."""
    if kind == "summary":
        return _whole_sentences(prose(text), sentences) if sentences else prose(text)
    return render_points(kind, items(text))


def render_points(kind: str, entries: list[str]) -> str:
    """The final answer for `kind` drawn from checked points ('' when there are none)."""
    entries = [e.strip() for e in entries if e.strip()]
    if not entries:
        return ""
    if kind == "summary":
        return " ".join(entries)
    if kind == "key-points":
        return bullets(entries)
    if kind == "list":
        return numbered(entries)
    rows, header = topic_rows(entries)
    return table(rows, header)


def _whole_sentences(flat: str, n: int) -> str:
    """At most n sentences, none of them a restatement of an earlier one; an unfinished last one
    (the reply hit its token limit) is dropped when a finished one comes before it."""
    kept: list[str] = []
    for s, e in split_sentences(flat):
        if len(kept) == n:
            break
        if not any(restates(flat[s:e], k) for k in kept):
            kept.append(flat[s:e])
    if len(kept) > 1 and not kept[-1].rstrip().endswith(_ENDS):
        kept.pop()
    return " ".join(kept) or flat


def _content(sentence: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9']+", sentence.lower()) if w not in FUNCTION_WORDS and len(w) > 1}


def restates(sentence: str, earlier: str, share: float = 0.7) -> bool:
    """Whether most of a sentence's content words were already said in an earlier one (small
    models often repeat their first sentence in other words instead of adding a second point)."""
    words = _content(sentence)
    return len(words) >= 3 and len(words & _content(earlier)) >= share * len(words)


_ENDS = (".", "!", "?", '"', "'", ")", "”", "’")


def short(text: str, sentences: int = 2) -> str:
    """The first sentences of a (section) summary, for one table cell or outline line."""
    flat = prose(text)
    spans = split_sentences(flat)
    return " ".join(flat[s:e] for s, e in spans[:sentences]) or flat

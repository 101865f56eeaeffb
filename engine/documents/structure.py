"""Find headings in plain text and turn a list of heading offsets into sections.

Markdown headings (`# Title`) and book-style chapter lines ("CHAPTER 12. Biographical.",
"Part Two", "BOOK III") count. A chapter heading is a short paragraph of its own; a line that merely starts with "Book" is body text.
"""

from __future__ import annotations

import re

from .document import Section

_MD = re.compile(r"^(#{1,6})[ \t]+(.+)$")  # closing #s are stripped in code: a regex for them is quadratic
_CHAPTER = re.compile(
    r"^[ \t]*((?:CHAPTER|Chapter|BOOK|Book|PART|Part|EPILOGUE|Epilogue|PROLOGUE|Prologue)\b[^\n]{0,80})$",
    re.MULTILINE,
)
# "Chapter 12", "PART TWO", "Book III: The Sea", "Epilogue" -- then nothing, punctuation, or a capital
_CHAPTER_OK = re.compile(
    r"^(?:(?:[Cc]hapter|CHAPTER|[Bb]ook|BOOK|[Pp]art|PART)\s+(?:\d+|[IVXLC]+|[A-Za-z]+)|[Ee]pilogue|EPILOGUE|[Pp]rologue|PROLOGUE)"
    r"(?:$|[.:\-—–]|\s+[A-Z\"“‘(])"
)


def detect_headings(text: str) -> list[tuple[int, int, str]]:
    """(offset, level, title) of each heading line in text, in order."""
    found: dict[int, tuple[int, int, str]] = {}
    in_code = False
    for line in re.finditer(r"^[^\n]*$", text, re.MULTILINE):
        if line.group(0).lstrip().startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        m = _MD.match(line.group(0))
        if m:
            title = m.group(2).rstrip(" \t#") or m.group(2)[:1]
            found[line.start()] = (line.start(), len(m.group(1)), title.strip())
    for m in _CHAPTER.finditer(text):
        # a chapter line starts a short paragraph of its own (one line, or a title wrapped to two)
        if m.start() and text[max(0, m.start() - 2): m.start()] != "\n\n":
            continue
        end = text.find("\n\n", m.start())
        block = text[m.start(): len(text) if end < 0 else end].strip()
        title = " ".join(block.split())
        if block.count("\n") <= 1 and len(block) <= 160 and _CHAPTER_OK.match(title):
            found.setdefault(m.start(), (m.start(), 1, title.rstrip(".")))
    return [found[k] for k in sorted(found)]


def sections_from_headings(text: str, heads: list[tuple[int, int, str]]) -> list[Section]:
    """Sections from (offset, level, title) heads: each runs to the next heading (any level).
    Text before the first heading, when there is some, becomes an untitled first section."""
    if not heads:
        return []
    out: list[Section] = []
    if text[: heads[0][0]].strip():
        out.append(Section("", 0, 0, heads[0][0]))
    for i, (start, level, title) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        out.append(Section(title, level, start, end))
    return out

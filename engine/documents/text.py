"""Plain text and Markdown: detect the encoding, find headings, keep the text as written."""

from __future__ import annotations

from ..errors import InputError
from .decoding import decode_text
from .document import Document
from .policy import POLICY, Limits
from .structure import detect_headings, sections_from_headings


def document_from_text(text: str, name: str) -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    heads = detect_headings(text)
    title = heads[0][2] if heads and heads[0][1] == 1 and heads[0][0] == 0 else _first_line(text) or name
    return Document(text=text, title=title, sections=sections_from_headings(text, heads))


def read_text(data: bytes, name: str, limits: Limits = POLICY) -> Document:
    text = decode_text(data, name).replace("\r\n", "\n").replace("\r", "\n")
    number, longest = longest_line(text)
    if longest > limits.line_chars:
        raise InputError(f"{name}: line {number:,} is {longest:,} characters long; the limit is "
                         f"{limits.line_chars:,} characters in one line. It does not look like a text document")
    return document_from_text(text, name)


def longest_line(text: str) -> tuple[int, int]:
    """(line number, length) of the longest line, without splitting the text into a list."""
    best, best_no, start, no = 0, 0, 0, 0
    n = len(text)
    while start <= n:
        no += 1
        end = text.find("\n", start)
        if end < 0:
            end = n
        if end - start > best:
            best, best_no = end - start, no
        start = end + 1
    return best_no, best


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:80]
    return ""

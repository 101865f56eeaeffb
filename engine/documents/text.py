"""Plain text and Markdown: detect the encoding, find headings, keep the text as written."""

from __future__ import annotations

from ..documents_text import decode_text
from ..errors import InputError
from .model import Document
from .policy import POLICY, Limits
from .structure import detect_headings, sections_from_headings


def document_from_text(text: str, name: str) -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    heads = detect_headings(text)
    title = heads[0][2] if heads and heads[0][1] == 1 and heads[0][0] == 0 else _first_line(text) or name
    return Document(text=text, title=title, sections=sections_from_headings(text, heads))


# When charset detection ties, the encoding most Western documents really use wins
# (charset_normalizer otherwise may pick cp1250 for French text and turn "è" into "č").
_PREFERRED = ("cp1252", "iso8859_15", "latin_1")


def decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:8192]:
        return decode_text(data, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        matches = list(from_bytes(data))
    except Exception:
        matches = []
    if matches:
        least = min(m.chaos for m in matches)
        tied = [m for m in matches if m.chaos <= least + 0.005]
        for enc in _PREFERRED:
            for m in tied:
                if m.encoding == enc:
                    return str(m)
    return decode_text(data, name)


def read_text(data: bytes, name: str, limits: Limits = POLICY) -> Document:
    text = decode(data, name).replace("\r\n", "\n").replace("\r", "\n")
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

"""Plain text and Markdown: detect the encoding, find headings, keep the text as written."""

from __future__ import annotations

from ..documents_text import decode_text
from .model import Document
from .structure import detect_headings, sections_from_headings


def document_from_text(text: str, name: str) -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    heads = detect_headings(text)
    title = heads[0][2] if heads and heads[0][1] == 1 and heads[0][0] == 0 else _first_line(text) or name
    return Document(text=text, title=title, sections=sections_from_headings(text, heads))


def read_text(data: bytes, name: str) -> Document:
    return document_from_text(decode_text(data, name), name)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:80]
    return ""

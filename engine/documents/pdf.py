"""PDFs with pypdf: text layer page by page; the outline (bookmarks) becomes sections.

A PDF that only opens with a password is refused; one that opens with the empty user password
(owner-restricted) is read. Pages without a text layer are scans: if no page has text we say so.
"""

from __future__ import annotations

import io
import logging
import re

from ..errors import InputError
from .model import Document
from .structure import sections_from_headings


def read_pdf(data: bytes, name: str) -> Document:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged-but-readable files log noise
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception:
            opened = 0
        if not opened:
            raise InputError(f"{name} is password-protected; remove the password (or print it to a new PDF) first")
    pages: list[str] = []
    starts: list[int] = []
    pos = 0
    for page in reader.pages:
        text = _tidy(page.extract_text() or "")
        starts.append(pos)
        if text:
            pages.append(text)
            pos += len(text) + 2
    if not pages:
        raise InputError(f"{name} is scanned: no text to summarize (its pages are images; run OCR on it first)")
    text = "\n\n".join(pages)
    heads = _outline(reader, starts, len(text))
    meta_title = ""
    try:
        meta_title = (reader.metadata.title or "").strip() if reader.metadata else ""
    except Exception:
        meta_title = ""
    doc = Document(text=text, title=meta_title or name, sections=sections_from_headings(text, heads))
    doc.pages = len(reader.pages)
    return doc


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"-\n(?=[a-z])", "", text)  # words hyphenated across lines
    return text.strip()


def _outline(reader, starts: list[int], n: int) -> list[tuple[int, int, str]]:
    """Top two levels of bookmarks as (offset of their page, level, title)."""
    heads: list[tuple[int, int, str]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                if level < 2:
                    walk(item, level + 1)
                continue
            try:
                page = reader.get_destination_page_number(item)
                title = str(item.title).strip()
            except Exception:
                continue
            if title and 0 <= page < len(starts):
                heads.append((min(starts[page], n), level, title))

    try:
        walk(reader.outline, 1)
    except Exception:
        return []
    heads.sort(key=lambda h: h[0])
    # several bookmarks on one page: keep the first
    seen, out = set(), []
    for h in heads:
        if h[0] not in seen:
            seen.add(h[0])
            out.append(h)
    return out

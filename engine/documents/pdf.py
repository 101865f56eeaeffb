"""PDFs with pypdf: text layer page by page; the outline (bookmarks) becomes sections.

A PDF that only opens with a password is refused; one that opens with the empty user password
(owner-restricted) is read. Pages without a text layer are scans: if no page has text we say so.

Limits (engine/documents/policy.py): the object count and the page count the file claims are
checked before any page is read, the page tree and outline may nest only so deep, and text
extraction stops with a refusal as soon as the text passes the character limit.
"""

from __future__ import annotations

import io
import logging
import re

from ..errors import InputError
from .document import Document
from .policy import POLICY, Limits
from .structure import sections_from_headings


def read_pdf(data: bytes, name: str, limits: Limits = POLICY) -> Document:
    from pypdf import apply_configuration

    log = logging.getLogger("pypdf")
    log.setLevel(logging.WARNING)
    log.propagate = False  # damaged-but-readable files log noise; it is kept here, not printed
    problems = _Problems()
    log.addHandler(problems)
    try:
        with apply_configuration(
            page_tree_maximum_depth=limits.pdf_depth, outline_maximum_depth=limits.pdf_depth,
            form_fields_maximum_depth=limits.pdf_depth,
            named_destinations_maximum_depth=limits.pdf_depth,
        ):
            return _read(data, name, limits, problems.seen)
    finally:
        log.removeHandler(problems)


class _Problems(logging.Handler):
    """What pypdf reported while it recovered from damage (it logs instead of raising)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.seen) < 20:
            self.seen.append(str(record.getMessage())[:120])


def _claimed(reader, key: str) -> int:
    try:
        if key == "/Size":
            return int(reader.trailer.get("/Size", 0))
        return int(reader.root_object["/Pages"].get_object().get("/Count", 0))
    except Exception:  # a damaged trailer or page tree: pypdf's own walk decides below
        return 0


def _read(data: bytes, name: str, limits: Limits, problems: list[str]) -> Document:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    objects = _claimed(reader, "/Size")
    if objects > limits.pdf_objects:
        raise InputError(f"{name} claims {objects:,} objects; the limit is {limits.pdf_objects:,}")
    claimed = _claimed(reader, "/Count")
    if claimed > limits.pdf_pages:
        raise InputError(f"{name} claims {claimed:,} pages; the limit is {limits.pdf_pages:,}. Split it first")
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception:
            opened = 0
        if not opened:
            raise InputError(f"{name} is password-protected; remove the password (or print it to a new PDF) first")
    count = len(reader.pages)
    if count > limits.pdf_pages:
        raise InputError(f"{name} has {count:,} pages; the limit is {limits.pdf_pages:,}. Split it first")
    pages: list[str] = []
    starts: list[int] = []
    pos = 0
    for number, page in enumerate(reader.pages, 1):
        text = _tidy(page.extract_text() or "")
        starts.append(pos)
        if text:
            pages.append(text)
            pos += len(text) + 2
        if pos > limits.text_chars:
            raise InputError(
                f"{name} has more than {limits.text_chars:,} characters of text within its first {number:,} of "
                f"{count:,} pages; the limit is {limits.text_chars:,} characters. Split it first")
    if not pages and problems:
        raise InputError(f"{name} is damaged: no text could be read from it ({problems[0]})")
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
    doc.pages = count
    doc.page_starts = starts  # an empty page starts where the next one does
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

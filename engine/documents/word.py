"""Word documents: paragraphs in order, "Heading N"/"Title" styles become sections, tables as text."""

from __future__ import annotations

import io
import re

from ..errors import InputError
from .document import Document
from .policy import POLICY, Limits
from .structure import sections_from_headings


def _heading_level(style_name: str) -> int:
    if style_name == "Title":
        return 1
    m = re.match(r"Heading (\d)", style_name or "")
    return int(m.group(1)) if m else 0


def read_docx(data: bytes, name: str, limits: Limits = POLICY) -> Document:
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    d = docx.Document(io.BytesIO(data))
    parts: list[str] = []
    heads: list[tuple[int, int, str]] = []
    pos = 0
    title = (d.core_properties.title or "").strip()
    body = getattr(d.element, "body", None)
    if body is None:  # the main part's root is not a w:document
        raise InputError(f"{name} is damaged: its word/document.xml holds no document body")
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""  # comments have no name
        if tag == "p":
            para = Paragraph(child, d)
            text = para.text.strip()
            if not text:
                continue
            level = _heading_level(para.style.name if para.style is not None else "")
            if level:
                heads.append((pos, level, text))
                title = title or text
        elif tag == "tbl":
            table = Table(child, d)
            rows = [" | ".join(c.text.strip() for c in row.cells) for row in table.rows]
            text = "\n".join(r for r in rows if r.strip(" |"))
            if not text:
                continue
        else:
            continue
        parts.append(text)
        pos += len(text) + 2
    text = "\n\n".join(parts)
    return Document(text=text, title=title or name, sections=sections_from_headings(text, heads))

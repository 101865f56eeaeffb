"""HTML with the standard library: visible text only, block elements become paragraphs,
<h1>-<h6> become sections, <title> the title."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ..documents_text import decode_text
from .model import Document
from .policy import POLICY, Limits
from .structure import sections_from_headings

_BLOCK = {"p", "div", "br", "li", "tr", "section", "article", "blockquote", "pre", "table", "ul", "ol", "hr",
          "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "figcaption", "main"}
_SKIP = {"script", "style", "noscript", "template", "svg", "head"}


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[int, str]] = []  # (heading level or 0, text)
        self.buf: list[str] = []
        self.level = 0
        self.skip = 0
        self.title = ""
        self.in_title = False

    def flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.buf)).strip()
        if text:
            self.blocks.append((self.level, text))
        self.buf = []

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        if tag in _SKIP:
            self.skip += 1
        if tag in _BLOCK:
            self.flush()
            if re.fullmatch(r"h[1-6]", tag):
                self.level = int(tag[1])

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag in _SKIP and self.skip:
            self.skip -= 1
        if tag in _BLOCK:
            self.flush()
            if re.fullmatch(r"h[1-6]", tag):
                self.level = 0

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        elif not self.skip:
            self.buf.append(data)


def read_html(data: bytes, name: str, limits: Limits = POLICY) -> Document:
    ex = _Extractor()
    ex.feed(decode_text(data, name))
    ex.close()
    ex.flush()
    parts, heads, pos = [], [], 0
    for level, text in ex.blocks:
        if level:
            heads.append((pos, level, text))
        parts.append(text)
        pos += len(text) + 2
    text = "\n\n".join(parts)
    title = re.sub(r"\s+", " ", ex.title).strip() or (heads[0][2] if heads else name)
    return Document(text=text, title=title, sections=sections_from_headings(text, heads))

"""HTML with lxml's HTML parser (libxml2, linear time on any input): visible text only, block
elements become paragraphs, <h1>-<h6> become sections, <title> the title.

The standard library's html.parser is not used: on unclosed tags and attributes it rescans its
buffer, so 50 KB of '<a b="' takes it over 15 seconds.
"""

from __future__ import annotations

import re

from .decoding import decode_text
from .document import Document
from .policy import POLICY, Limits
from .structure import sections_from_headings

_BLOCK = {"p", "div", "br", "li", "tr", "section", "article", "blockquote", "pre", "table", "ul", "ol", "hr",
          "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "figcaption", "main"}
_SKIP = {"script", "style", "noscript", "template", "svg", "head"}
_HEADING = re.compile(r"h[1-6]")


class _Blocks:
    def __init__(self) -> None:
        self.blocks: list[tuple[int, str]] = []  # (heading level or 0, text)
        self.buf: list[str] = []
        self.level = 0

    def flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.buf)).strip()
        if text:
            self.blocks.append((self.level, text))
        self.buf = []


def _walk(root) -> tuple[list[tuple[int, str]], str]:
    from lxml import etree

    out, skip, title = _Blocks(), 0, []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag == "title":
                title.append(el.text or "")
            if tag in _SKIP:
                skip += 1
            if tag in _BLOCK:
                out.flush()
                if _HEADING.fullmatch(tag):
                    out.level = int(tag[1])
            if not skip and tag and tag != "title" and el.text:
                out.buf.append(el.text)
        else:
            if tag in _SKIP and skip:
                skip -= 1
            if tag in _BLOCK:
                out.flush()
                if _HEADING.fullmatch(tag):
                    out.level = 0
            if not skip and el.tail:
                out.buf.append(el.tail)
    out.flush()
    return out.blocks, "".join(title)


def read_html(data: bytes, name: str, limits: Limits = POLICY) -> Document:
    from lxml import etree

    text = decode_text(data, name)
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    root = etree.fromstring(text.encode("utf-8", "surrogatepass"), parser) if text.strip() else None
    blocks, raw_title = _walk(root) if root is not None else ([], "")
    parts, heads, pos = [], [], 0
    for level, block in blocks:
        if level:
            heads.append((pos, level, block))
        parts.append(block)
        pos += len(block) + 2
    body = "\n\n".join(parts)
    title = re.sub(r"\s+", " ", raw_title).strip() or (heads[0][2] if heads else name)
    return Document(text=body, title=title, sections=sections_from_headings(body, heads))

"""What a loaded document is: its text plus the headings that give it structure."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Section:
    """A heading and the span of text it governs: text[start:end] (the heading line included)."""

    title: str
    level: int
    start: int
    end: int


@dataclass
class Document:
    text: str
    title: str
    sections: list[Section] = field(default_factory=list)
    path: str = ""
    format: str = ""  # "txt", "md", "docx", "pdf", "html"
    pages: int = 0  # PDFs only
    page_starts: list[int] = field(default_factory=list)  # PDFs: where each page's text starts in `text`

    @property
    def words(self) -> int:
        return len(self.text.split())

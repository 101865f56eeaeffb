"""The writing area: plain text with light markdown highlighting, and one-undo-step edits."""

from __future__ import annotations

import re

from .qt import QFont, QPlainTextEdit, QSyntaxHighlighter, QTextCharFormat, QTextCursor


class MarkdownHighlighter(QSyntaxHighlighter):
    """Just enough markdown colouring to read structure: headings, emphasis, code, list marks."""

    RULES = [
        (re.compile(r"^#{1,6} .*$"), {"bold": True, "scale": 1.15}),
        (re.compile(r"\*\*[^*]+\*\*|__[^_]+__"), {"bold": True}),
        (re.compile(r"(?<![*\w])\*[^*\s][^*]*\*(?!\*)|(?<![_\w])_[^_\s][^_]*_(?!_)"), {"italic": True}),
        (re.compile(r"`[^`]+`"), {"mono": True}),
        (re.compile(r"^\s*([-*+]|\d+[.)])\s"), {"bold": True}),
    ]

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        for pattern, style in self.RULES:
            for m in pattern.finditer(text):
                fmt = QTextCharFormat()
                if style.get("bold"):
                    fmt.setFontWeight(QFont.Weight.Bold)
                if style.get("italic"):
                    fmt.setFontItalic(True)
                if style.get("mono"):
                    fmt.setFontFamilies(["monospace"])
                self.setFormat(m.start(), m.end() - m.start(), fmt)


def to_qt(text: str, index: int) -> int:
    """Python string index -> Qt cursor position (Qt counts UTF-16 units: emoji take two)."""
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def from_qt(text: str, pos: int) -> int:
    """Qt cursor position -> Python string index."""
    units = 0
    for i, ch in enumerate(text):
        if units >= pos:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


class Editor(QPlainTextEdit):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("editor")
        self.setPlaceholderText("Write or paste your text here, then choose Proofread, Rewrite or Summarize.")
        self.setTabChangesFocus(False)
        font = self.font()
        font.setPointSizeF(max(font.pointSizeF(), 10.5) + 1)
        self.setFont(font)
        self.highlighter = MarkdownHighlighter(self.document())

    def text(self) -> str:
        return self.toPlainText()

    def target(self) -> tuple[str, int, int]:
        """The text a tool works on: the selection, or the whole document. Returns (text, start, end)."""
        cursor = self.textCursor()
        text = self.toPlainText()
        if cursor.hasSelection():
            # selectedText() puts U+2029 between paragraphs: slice the plain text instead.
            start, end = from_qt(text, cursor.selectionStart()), from_qt(text, cursor.selectionEnd())
            return text[start:end], start, end
        return text, 0, len(text)

    def replace_range(self, start: int, end: int, text: str) -> None:
        """Replace [start, end) with text as ONE undo step, and select the new text."""
        old = self.toPlainText()
        q_start, q_end = to_qt(old, start), to_qt(old, end)
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        cursor.setPosition(q_start)
        cursor.setPosition(q_end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text)
        cursor.endEditBlock()
        cursor.setPosition(q_start)
        cursor.setPosition(q_start + len(text.encode("utf-16-le")) // 2, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def insert_below(self, end: int, text: str) -> None:
        """Insert text as a new paragraph after position `end` (one undo step)."""
        doc_text = self.toPlainText()
        line_end = doc_text.find("\n", end)
        at = len(doc_text) if line_end < 0 else line_end
        self.replace_range(at, at, "\n\n" + text.strip("\n"))

    def set_text(self, text: str) -> None:
        """Replace everything (undoable) — used for opening a text file."""
        self.replace_range(0, len(self.toPlainText()), text)
        cursor = self.textCursor()
        cursor.setPosition(0)
        self.setTextCursor(cursor)

"""The writing area: plain text with light markdown highlighting, one-undo-step edits, and the
live checker's underlines (wavy, coloured by category) with a hover card and a right-click menu
offering Accept / Ignore / Add to dictionary (see live_check.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .qt import (
    QColor,
    QFont,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSyntaxHighlighter,
    Qt,
    QTextCharFormat,
    QTextCursor,
    QTextEdit,
    QTimer,
    QVBoxLayout,
)

CATEGORY_COLORS = {
    "spelling": "#d93025", "grammar": "#1a73e8", "punctuation": "#e37400", "capitalization": "#e37400",
    "word choice": "#9334e6", "style": "#188038",
}
HOVER_MS = 350  # the card appears after the pointer rests this long on an underline


@dataclass(frozen=True)
class Issue:
    """One live suggestion, with offsets into the editor's plain text (Python indices)."""

    start: int
    end: int
    original: str
    replacement: str
    category: str
    reason: str
    sentence: str = ""
    stage: str = "fast"  # "fast" (dictionary and rules) or "model"

    def title(self) -> str:
        if not self.original:
            return f"Add “{self.replacement}”"
        if not self.replacement:
            return f"Remove “{self.original}”"
        return f"“{self.original}” → “{self.replacement}”"


class IssueCard(QFrame):
    """The hover card: suggestion, reason, Accept / Ignore / Add to dictionary."""

    def __init__(self, editor: "Editor"):
        super().__init__(editor, Qt.WindowType.ToolTip)
        self.setObjectName("issueCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.editor = editor
        self.issue: Issue | None = None
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 8, 10, 8)
        self.title = QLabel()
        self.title.setObjectName("issueTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.reason = QLabel()
        self.reason.setObjectName("issueReason")
        self.reason.setWordWrap(True)
        self.reason.setMaximumWidth(360)
        buttons = QHBoxLayout()
        self.accept_button = QPushButton("Accept")
        self.ignore_button = QPushButton("Ignore")
        self.add_button = QPushButton("Add to dictionary")
        for b in (self.accept_button, self.ignore_button, self.add_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            buttons.addWidget(b)
        box.addWidget(self.title)
        box.addWidget(self.reason)
        box.addLayout(buttons)
        self.accept_button.clicked.connect(lambda: self._act("accept"))
        self.ignore_button.clicked.connect(lambda: self._act("ignore"))
        self.add_button.clicked.connect(lambda: self._act("add"))

    def show_issue(self, issue: Issue, global_pos) -> None:
        self.issue = issue
        self.title.setText(issue.title())
        self.reason.setText(f"{issue.category.capitalize()}: {issue.reason}")
        self.add_button.setVisible(issue.category == "spelling" and " " not in issue.original.strip())
        self.adjustSize()
        self.move(global_pos)
        self.show()

    def _act(self, what: str) -> None:
        issue, self.issue = self.issue, None
        self.hide()
        if issue is not None:
            self.editor.act_on(issue, what)


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
        self.issue_provider = None  # the LiveChecker, when live checking is attached
        self.card = IssueCard(self)
        self._hover_pos = None
        self._hover_timer = QTimer(self)
        self._hover_timer.setSingleShot(True)
        self._hover_timer.setInterval(HOVER_MS)
        self._hover_timer.timeout.connect(self._show_card)
        self.viewport().setMouseTracking(True)
        self.document().contentsChange.connect(lambda *_: self.card.hide())

    # -- live underlines ----------------------------------------------------------------------------
    def show_issues(self, issues) -> None:
        """Underline each issue (a wavy line in its category's colour); [] clears them."""
        text = self.toPlainText()
        astral = any(ord(ch) > 0xFFFF for ch in text)
        q = (lambda i: to_qt(text, i)) if astral else (lambda i: i)  # noqa: E731 - Qt counts UTF-16 units
        selections = []
        for i in issues:
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(QColor(CATEGORY_COLORS.get(i.category, "#d93025")))
            fmt.setToolTip(f"{i.title()} — {i.reason}")
            sel.format = fmt
            cursor = QTextCursor(self.document())
            start, end = i.start, i.end
            if start == end:  # an insertion: underline the character before it
                start = max(0, start - 1)
            cursor.setPosition(q(start))
            cursor.setPosition(q(end), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            selections.append(sel)
        self.setExtraSelections(selections)

    def issue_at_point(self, pos):
        """The live issue under a viewport point, if any."""
        if self.issue_provider is None:
            return None
        cursor = self.cursorForPosition(pos)
        return self.issue_provider.issue_at(from_qt(self.toPlainText(), cursor.position()))

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().mouseMoveEvent(event)
        pos = event.position().toPoint() if hasattr(event, "position") else event.pos()
        issue = self.issue_at_point(pos)
        if issue is None:
            self._hover_timer.stop()
            return
        if self.card.isVisible() and self.card.issue == issue:
            return
        self._hover_pos = pos
        self._hover_timer.start()

    def hover(self, pos) -> None:
        """Show the card for the issue at viewport point `pos` now (what resting the pointer does)."""
        self._hover_pos = pos
        self._show_card()

    def _show_card(self) -> None:
        if self._hover_pos is None:
            return
        issue = self.issue_at_point(self._hover_pos)
        if issue is not None:
            self.card.show_issue(issue, self.viewport().mapToGlobal(self._hover_pos) + _offset())

    def contextMenuEvent(self, event) -> None:  # noqa: N802 - Qt override
        menu = self.createStandardContextMenu(event.pos())
        issue = self.issue_at_point(event.pos())
        if issue is not None:
            self.add_issue_actions(menu, issue)
        menu.exec(event.globalPos())

    def add_issue_actions(self, menu, issue: Issue) -> None:
        """Put Accept / Ignore / Add to dictionary (and the reason) at the top of a menu."""
        first = menu.actions()[0] if menu.actions() else None
        accept = menu.addAction(f"Accept: {issue.title()}")
        accept.setObjectName("acceptIssue")
        reason = menu.addAction(issue.reason)
        reason.setEnabled(False)
        ignore = menu.addAction("Ignore")
        acts = [accept, reason, ignore]
        if issue.category == "spelling" and " " not in issue.original.strip() and issue.original.strip():
            add = menu.addAction(f"Add “{issue.original.strip()}” to dictionary")
            add.triggered.connect(lambda: self.act_on(issue, "add"))
            acts.append(add)
        accept.triggered.connect(lambda: self.act_on(issue, "accept"))
        ignore.triggered.connect(lambda: self.act_on(issue, "ignore"))
        if first is not None:
            for a in acts:
                menu.removeAction(a)
            menu.insertActions(first, acts)
            menu.insertSeparator(first)

    def act_on(self, issue: Issue, what: str) -> None:
        p = self.issue_provider
        if p is None:
            return
        if what == "accept":
            p.accept(issue)
        elif what == "ignore":
            p.ignore(issue)
        elif what == "add":
            p.add_to_dictionary(issue)

    def replace_quietly(self, start: int, end: int, text: str) -> None:
        """Replace [start, end) as one undo step, keeping the user's cursor where it was."""
        old = self.toPlainText()
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        cursor.setPosition(to_qt(old, start))
        cursor.setPosition(to_qt(old, end), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text)
        cursor.endEditBlock()

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


def _offset():
    from .qt import QPoint

    return QPoint(8, 16)

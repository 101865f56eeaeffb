"""Where each point of a summary comes from: a list of the points and the document they rest on.

Clicking a point highlights its source spans in the document view (and scrolls there); hovering
over a point shows the passage. The document view is the editor when the summary was made from
the editor's text (`offset` is where that text starts in it), else a read-only view of the
loaded document's text inside this widget (open documents show their text). Points come from
`SummaryResult.points` (engine/summarize/ground.py): text, spans (character offsets into the
summarized text), how ("model", "repaired", "extract", "quote") and section.
"""

from __future__ import annotations

from .layouts import column
from .qt import (
    QColor,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    Qt,
    QTextCursor,
    QTextEdit,
    QWidget,
    Signal,
)

HIGHLIGHT = QColor(255, 214, 102, 150)
HOW = {"repaired": "the source sentence (the model's version was not supported)",
       "extract": "the source sentence", "quote": "quoted from the text, not stated as fact"}


def passage(text: str, spans, limit: int = 600) -> str:
    parts = [" ".join(text[s:e].split()) for s, e in spans]
    joined = " … ".join(parts)
    return joined if len(joined) <= limit else joined[: limit - 1].rsplit(" ", 1)[0] + "…"


class SourcesView(QWidget):
    """Points on top, the document below (or the editor, when given)."""

    point_chosen = Signal(int)  # index of the clicked point

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("sourcesView")
        self.points: list = []
        self.text = ""
        self.offset = 0
        self.target: QPlainTextEdit | None = None
        self.label = QLabel("Sources: click a point to see where it comes from.")
        self.list = QListWidget()
        self.list.setObjectName("sourcePoints")
        self.list.setWordWrap(True)
        self.list.setMouseTracking(True)
        self.list.currentRowChanged.connect(self.highlight)
        self.document = QPlainTextEdit()
        self.document.setObjectName("sourceDocument")
        self.document.setReadOnly(True)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.list)
        split.addWidget(self.document)
        column(self, self.label, (split, 1), margin=0)

    def set_points(self, points, text: str, editor: QPlainTextEdit | None = None, offset: int = 0) -> None:
        """Show `points` (with spans into `text`). With an editor holding `text` at `offset`, sources
        are highlighted there; otherwise `text` is shown in this widget's own document view."""
        self.points, self.text, self.offset = list(points), text, offset
        self.target = editor
        self.document.setVisible(editor is None)
        if editor is None:
            self.document.setPlainText(text)
        self.list.clear()
        for p in self.points:
            item = QListWidgetItem(p.text + (f"  ({p.section})" if p.section else ""))
            note = HOW.get(p.how, "")
            where = passage(text, p.spans)
            item.setToolTip((f"[{note}]\n" if note else "") + (where or "no source found"))
            self.list.addItem(item)
        self.setVisible(bool(self.points))

    def view(self) -> QPlainTextEdit:
        return self.target if self.target is not None else self.document

    def highlight(self, row: int) -> None:
        """Mark the spans of point `row` in the document view and scroll to the first one."""
        view = self.view()
        if not (0 <= row < len(self.points)):
            view.setExtraSelections([])
            return
        spans = self.points[row].spans
        marks = []
        for s, e in spans:
            sel = QTextEdit.ExtraSelection()
            cur = QTextCursor(view.document())
            cur.setPosition(self.offset + s)
            cur.setPosition(self.offset + e, QTextCursor.KeepAnchor)
            sel.cursor = cur
            sel.format.setBackground(HIGHLIGHT)
            marks.append(sel)
        view.setExtraSelections(marks)
        if spans:
            cur = QTextCursor(view.document())
            cur.setPosition(self.offset + spans[0][0])
            view.setTextCursor(cur)
            view.centerCursor()
        self.point_chosen.emit(row)

    def highlighted(self) -> list[tuple[int, int]]:
        """(start, end) of what is highlighted now, in the view's own offsets (for tests)."""
        return [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in self.view().extraSelections()]

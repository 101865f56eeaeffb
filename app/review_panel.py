"""Proofread review: each edit inline (removed struck, inserted marked), its reason on hover and
in a side list; Accept / Reject per edit, Accept all, Apply (one undo step in the editor)."""

from __future__ import annotations

from . import theme
from .layouts import STRETCH, column, row
from .qt import (
    QColor,
    QFont,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    Qt,
    QTextBrowser,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QUrl,
    QWidget,
    Signal,
)

PENDING, ACCEPTED, REJECTED = None, True, False
MARK = {PENDING: "•", ACCEPTED: "✓", REJECTED: "✗"}


def describe(edit) -> str:
    before = edit.original or "∅"
    after = edit.replacement or "∅"
    reason = getattr(edit, "reason", "") or getattr(edit, "category", "")
    return f"“{before}” → “{after}”" + (f" — {reason}" if reason else "")


class ReviewPanel(QWidget):
    applied = Signal(str)  # the reviewed text with the accepted edits applied
    discarded = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("review")
        self.original = ""
        self.edits: list = []
        self.decisions: list = []

        self.summary = QLabel()
        self.summary.setObjectName("reviewSummary")
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        self.view.setObjectName("reviewText")
        self.view.anchorClicked.connect(self._on_anchor)
        self.edit_list = QListWidget()
        self.edit_list.setObjectName("editList")
        self.edit_list.setWordWrap(True)
        self.edit_list.currentRowChanged.connect(self._on_current)
        self.edit_list.itemDoubleClicked.connect(lambda _: self.toggle(self.edit_list.currentRow()))

        self.accept_btn = QPushButton("&Accept")
        self.reject_btn = QPushButton("&Reject")
        self.accept_all_btn = QPushButton("Accept a&ll")
        self.reject_all_btn = QPushButton("Reject all")
        self.apply_btn = QPushButton("A&pply")
        self.apply_btn.setDefault(True)
        self.apply_btn.setToolTip("Put the accepted edits into your text (Ctrl+Z undoes it in one step)")
        self.discard_btn = QPushButton("Discard")
        self.accept_btn.clicked.connect(lambda: self.decide(self.edit_list.currentRow(), ACCEPTED))
        self.reject_btn.clicked.connect(lambda: self.decide(self.edit_list.currentRow(), REJECTED))
        self.accept_all_btn.clicked.connect(self.accept_all)
        self.reject_all_btn.clicked.connect(self.reject_all)
        self.apply_btn.clicked.connect(lambda: self.applied.emit(self.result_text()))
        self.discard_btn.clicked.connect(self.discarded.emit)

        side = QWidget()
        column(side, QLabel("Suggestions"), (self.edit_list, 1), row(self.accept_btn, self.reject_btn),
               row(self.accept_all_btn, self.reject_all_btn), margin=0)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        column(self, self.summary, (split, 1), row(STRETCH, self.discard_btn, self.apply_btn), margin=0)

    # -- data -------------------------------------------------------------------------------------
    def set_review(self, original: str, edits) -> None:
        self.original = original
        self.edits = sorted(edits, key=lambda e: (e.start, e.end))
        self.decisions = [PENDING] * len(self.edits)
        self.edit_list.clear()
        for i, edit in enumerate(self.edits):
            item = QListWidgetItem()
            item.setToolTip(getattr(edit, "reason", "") or "")
            self.edit_list.addItem(item)
            self._label(i)
        if self.edits:
            self.edit_list.setCurrentRow(0)
        self.render()

    def decide(self, index: int, decision) -> None:
        if not 0 <= index < len(self.edits):
            return
        self.decisions[index] = decision
        self._label(index)
        self.render()
        nxt = next((j for j in range(index + 1, len(self.edits)) if self.decisions[j] is PENDING), None)
        if nxt is not None:
            self.edit_list.setCurrentRow(nxt)
        self._sync_buttons()

    def toggle(self, index: int) -> None:
        if 0 <= index < len(self.edits):
            self.decide(index, REJECTED if self.decisions[index] is ACCEPTED else ACCEPTED)

    def accept_all(self) -> None:
        self._set_all(ACCEPTED)

    def reject_all(self) -> None:
        self._set_all(REJECTED)

    def _set_all(self, decision) -> None:
        self.decisions = [decision] * len(self.edits)
        for i in range(len(self.edits)):
            self._label(i)
        self.render()

    def accepted_edits(self) -> list:
        return [e for e, d in zip(self.edits, self.decisions) if d is ACCEPTED]

    def result_text(self) -> str:
        """The original with the accepted edits applied (pending ones count as rejected)."""
        from engine.proofread import apply_edits

        return apply_edits(self.original, self.accepted_edits())

    # -- display ----------------------------------------------------------------------------------
    def _label(self, i: int) -> None:
        self.edit_list.item(i).setText(f"{MARK[self.decisions[i]]} {describe(self.edits[i])}")

    def _on_current(self, row: int) -> None:
        self._sync_buttons()
        self.render()

    def _sync_buttons(self, *_):
        has = 0 <= self.edit_list.currentRow() < len(self.edits)
        self.accept_btn.setEnabled(has)
        self.reject_btn.setEnabled(has)
        for b in (self.accept_all_btn, self.reject_all_btn):
            b.setEnabled(bool(self.edits))

    def render(self) -> None:
        """Draw the text with every edit marked according to its decision."""
        c = theme.colors()
        n_acc = self.decisions.count(ACCEPTED)
        n_rej = self.decisions.count(REJECTED)
        if self.edits:
            self.summary.setText(
                f"{len(self.edits)} suggestion{'s' if len(self.edits) != 1 else ''} · {n_acc} accepted · "
                f"{n_rej} rejected — hover a mark for its reason"
            )
        else:
            self.summary.setText("No problems found: the text reads fine as it is.")
        doc = QTextDocument(self.view)
        doc.setDefaultFont(self.view.font())
        cursor = QTextCursor(doc)
        plain = QTextCharFormat()
        pos = 0
        current, current_at = self.edit_list.currentRow(), -1
        for i, (edit, decision) in enumerate(zip(self.edits, self.decisions)):
            cursor.insertText(self.original[pos : edit.start], plain)
            if i == current:
                current_at = cursor.position()
            reason = getattr(edit, "reason", "") or ""
            tip = describe(edit) if not reason else f"{reason}\n“{edit.original}” → “{edit.replacement}”"
            if edit.original and decision is REJECTED:
                cursor.insertText(edit.original, self._fmt(i, tip, c["text"], None, dotted=c["muted"]))
            elif edit.original and decision is PENDING:
                cursor.insertText(edit.original, self._fmt(i, tip, c["removed"], c["removed_bg"], strike=True))
            if edit.replacement and decision is not REJECTED:
                fmt = self._fmt(i, tip, c["inserted"], c["inserted_bg"] if decision is PENDING else None,
                                underline=True, bold=decision is ACCEPTED)
                cursor.insertText(edit.replacement, fmt)
            pos = max(pos, edit.end)
        cursor.insertText(self.original[pos:], plain)
        bar = self.view.verticalScrollBar().value()
        self.view.setDocument(doc)
        self.view.verticalScrollBar().setValue(bar)
        if current_at >= 0:  # keep the selected suggestion in view, outlined
            at = QTextCursor(doc)
            at.setPosition(current_at)
            self.view.setTextCursor(at)
            self.view.ensureCursorVisible()
            block = QTextCharFormat()
            block.setFontOverline(True)
            mark = QTextCursor(doc)
            end = current_at + len((self.edits[current].original if self.decisions[current] is not ACCEPTED else "")
                                   + (self.edits[current].replacement if self.decisions[current] is not REJECTED else ""))
            mark.setPosition(current_at)
            mark.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            mark.mergeCharFormat(block)

    @staticmethod
    def _fmt(i: int, tip: str, color: str, bg: str | None, strike=False, underline=False, bold=False, dotted=""):
        fmt = QTextCharFormat()
        if dotted:  # a rejected edit: the original text, still hoverable for its reason
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            fmt.setUnderlineColor(QColor(dotted))
        fmt.setForeground(QColor(color))
        if bg:
            fmt.setBackground(QColor(bg))
        fmt.setFontStrikeOut(strike)
        fmt.setFontUnderline(underline)
        if bold:
            fmt.setFontWeight(QFont.Weight.DemiBold)
        fmt.setToolTip(tip)
        fmt.setAnchor(True)
        fmt.setAnchorHref(f"edit:{i}")
        return fmt

    def tooltip_at_edit(self, index: int) -> str:
        """The hover text shown over edit `index` (read back from the rendered document)."""
        block = self.view.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                if frag.charFormat().anchorHref() == f"edit:{index}":
                    return frag.charFormat().toolTip()
                it += 1
            block = block.next()
        return ""

    def _on_anchor(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("edit:"):
            self.edit_list.setCurrentRow(int(text[5:]))

"""Where rewrite and summary results stream in, with Stop, progress/ETA, and what to do with the text."""

from __future__ import annotations

from .layouts import STRETCH, column, row
from .qt import (
    QColor,
    QGuiApplication,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTextCharFormat,
    QTextCursor,
    QTextEdit,
    QWidget,
    Signal,
)
from .banner import Banner
from .sources_view import SourcesView
from .theme import colors


def eta_text(seconds: float) -> str:
    if seconds is None or seconds < 0:
        return "estimating…"
    seconds = int(round(seconds))
    return f"about {seconds // 60} min {seconds % 60:02d} s left" if seconds >= 60 else f"about {seconds} s left"


class ResultPane(QWidget):
    replace_requested = Signal(str)
    insert_requested = Signal(str)
    stop_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("resultPane")
        self.title = QLabel("Results appear here.")
        self.title.setObjectName("resultTitle")
        self.banner = Banner(self)
        self.output = QPlainTextEdit()
        self.output.setObjectName("resultText")
        self.output.setReadOnly(True)
        self.output.setPlaceholderText(
            "Select text (or use the whole document) and pick a tool: Proofread, Rewrite or Summarize."
        )
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setTextVisible(True)
        self.eta = QLabel()
        self.stop_btn = QPushButton("Stop")
        self.stop_btn.setObjectName("stopButton")
        self.stop_btn.setToolTip("Stop the generation (Esc)")
        self.stop_btn.clicked.connect(self.stop_requested.emit)
        self.replace_btn = QPushButton("Replace selection")
        self.insert_btn = QPushButton("Insert below")
        self.copy_btn = QPushButton("Copy")
        self.replace_btn.clicked.connect(lambda: self.replace_requested.emit(self.output.toPlainText()))
        self.insert_btn.clicked.connect(lambda: self.insert_requested.emit(self.output.toPlainText()))
        self.copy_btn.clicked.connect(self.copy)

        self.sources = SourcesView(self)  # a summary's points and where they come from
        self.sources.hide()
        column(self, self.title, self.banner, (self.output, 1), (self.sources, 1),
               row((self.progress, 1), self.eta),
               row(self.stop_btn, STRETCH, self.copy_btn, self.insert_btn, self.replace_btn), margin=0)
        self.kept_ranges: list[tuple[int, int]] = []  # paragraphs a rewrite kept as written
        self._drafting = False  # a rewrite's unchecked draft is on show
        self.set_running(False)
        self._show_progress(False)

    # -- states -----------------------------------------------------------------------------------
    def start(self, title: str, with_progress: bool = False) -> None:
        self.title.setText(title)
        self.banner.hide()
        self.output.clear()
        self._drafting = False
        self.sources.hide()
        self.output.setPlaceholderText("Working…")
        self._show_progress(with_progress)
        self.progress.setRange(0, 0)  # busy until the first progress report
        self.eta.setText("")
        self.set_running(True)

    def set_running(self, running: bool) -> None:
        self.stop_btn.setEnabled(running)
        self.stop_btn.setText("Stop" if not self.progress.isVisible() else "Cancel")
        has_text = bool(self.output.toPlainText().strip())
        for b in (self.replace_btn, self.insert_btn, self.copy_btn):
            b.setEnabled(not running and has_text)

    def _show_progress(self, on: bool) -> None:
        self.progress.setVisible(on)
        self.eta.setVisible(on)

    def stream(self, text: str) -> None:
        if self._drafting:  # the drafts carry the checked text too
            return
        self.output.setPlainText(text)
        bar = self.output.verticalScrollBar()
        bar.setValue(bar.maximum())

    def show_draft(self, checked: str, draft: str) -> None:
        """A rewrite in progress: `checked` is final, `draft` (greyed, italic) is the model still
        writing, not yet checked. Nothing can be copied or applied until the result arrives."""
        self._drafting = True
        self.output.setPlainText(checked + draft)
        if draft:
            cursor = QTextCursor(self.output.document())
            cursor.setPosition(len(checked))
            cursor.setPosition(len(checked) + len(draft), QTextCursor.MoveMode.KeepAnchor)
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(colors()["muted"]))
            fmt.setFontItalic(True)
            cursor.mergeCharFormat(fmt)
        self.eta.setVisible(True)
        self.eta.setText("grey: a draft, checked before it is shown as the result" if draft else "")

    def _drop_draft(self) -> None:
        """A job that ends without a result leaves no unchecked draft behind (it could be copied)."""
        if self._drafting:
            self._drafting = False
            self.output.clear()

    def set_progress(self, done: int, total: int, eta: float, stage: str = "") -> None:
        self._show_progress(True)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{stage + ': ' if stage else ''}{done} of {total}")
        self.eta.setText(eta_text(eta))

    def finish(self, text: str, problem: str = "", parts: list[dict] | None = None) -> None:
        """Show a finished result. `parts` (a rewrite's per-paragraph report) marks the paragraphs
        that were kept as written, and a note says how many and why."""
        self._drafting = False
        self.output.setPlainText(text)
        self._show_progress(False)
        self.mark_kept(parts or [])
        if problem:
            self.banner.show_message(
                f"The model's answer was not usable ({problem}), so your text is unchanged. "
                "Try again, choose another tool, or pick a larger model in Settings.",
                kind="warning",
            )
            self.output.clear()
        self.set_running(False)

    def mark_kept(self, parts: list[dict]) -> list[tuple[int, int]]:
        """Highlight each paragraph a rewrite kept as written; return their (start, end) offsets."""
        self.kept_ranges: list[tuple[int, int]] = []
        shown = self.output.toPlainText()
        selections, pos = [], 0
        kept = [p for p in parts if p.get("status") == "kept"]
        for part in parts:
            found = shown.find(part.get("text", ""), pos) if part.get("text") else -1
            if found < 0:
                continue
            pos = found + len(part["text"])
            if part.get("status") != "kept":
                continue
            self.kept_ranges.append((found, pos))
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.output.document())
            cursor.setPosition(found)
            cursor.setPosition(pos, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            sel.format.setBackground(QColor(255, 214, 102, 90))
            sel.format.setToolTip(f"Kept as written: {part.get('reason', '')}")
            selections.append(sel)
        self.output.setExtraSelections(selections)
        if kept:
            n = len([p for p in parts if p.get("status") in ("kept", "rewritten")])
            self.banner.show_message(
                f"{len(kept)} of {n} paragraphs kept as written (marked): no rewrite of them kept the meaning "
                f"({kept[0].get('reason', '')}).",
                kind="info",
            )
        return self.kept_ranges

    def show_sources(self, result, editor=None, offset: int = 0) -> None:
        """After a summary: its points with their sources (result.points, spans into result.original).
        Pass the editor (and where the summarized text starts in it) to highlight there."""
        points = getattr(result, "points", None) or []
        if getattr(result, "ok", False) and points:
            self.sources.set_points(points, result.original, editor, offset)
        else:
            self.sources.hide()

    def fail(self, message: str, action: str = "", on_action=None) -> None:
        self._drop_draft()
        self._show_progress(False)
        self.output.setPlaceholderText("")
        self.banner.show_message(message, kind="error", action=action, on_action=on_action)
        self.set_running(False)

    def cancelled(self) -> None:
        self._drop_draft()
        self._show_progress(False)
        self.title.setText(self.title.text() + " — stopped")
        self.set_running(False)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.output.toPlainText())

"""History of results from the encrypted store: search, read, reopen one in the result pane."""

from __future__ import annotations

from ..layouts import CLOSE, column
from ..qt import (
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    Qt,
    QTimer,
    Signal,
)
from .store_dialog import StoreDialog


def row_title(run: dict) -> str:
    when = str(run.get("created_at", ""))[:16].replace("T", " ")
    what = " ".join(x for x in (run.get("tool", ""), run.get("kind") or "") if x)
    preview = " ".join(str(run.get("input", "")).split())[:70]
    return f"{when}  {what}: {preview}"


class HistoryDialog(StoreDialog):
    reopen = Signal(dict)

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, "History", (760, 520), parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search your earlier texts and results…")
        self.search.setClearButtonEnabled(True)
        self.runs = QListWidget()
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.empty = QLabel()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _: self._debounce.start())
        self.runs.currentRowChanged.connect(self._show)
        self.runs.itemDoubleClicked.connect(lambda _: self._reopen())
        buttons = QDialogButtonBox(CLOSE)
        buttons.rejected.connect(self.reject)
        self.reopen_btn = buttons.addButton("Reopen result", QDialogButtonBox.ButtonRole.AcceptRole)
        self.reopen_btn.clicked.connect(self._reopen)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.runs)
        split.addWidget(self.detail)
        column(self, self.search, self.empty, (split, 1), buttons)
        self.refresh()

    def refresh(self) -> None:
        self._runs = self.ctx.history(self.search.text().strip())
        self.runs.clear()
        for run in self._runs:
            self.runs.addItem(QListWidgetItem(row_title(run)))
        if self.ctx.store is None:
            self.empty.setText("History needs your personal store: unlock it first (Personal ▸ Unlock store…).")
        elif not self._runs:
            self.empty.setText("Nothing found." if self.search.text().strip() else "No results yet.")
        else:
            self.empty.setText(f"{len(self._runs)} result{'s' if len(self._runs) != 1 else ''}")
        self.reopen_btn.setEnabled(bool(self._runs))
        if self._runs:
            self.runs.setCurrentRow(0)
        else:
            self.detail.clear()

    def _show(self, row: int) -> None:
        if 0 <= row < len(self._runs):
            run = self._runs[row]
            self.detail.setPlainText(f"{run.get('input', '')}\n\n—— result ——\n\n{run.get('output', '')}")

    def _reopen(self) -> None:
        row = self.runs.currentRow()
        if 0 <= row < len(self._runs):
            self.reopen.emit(self._runs[row])
            self.accept()

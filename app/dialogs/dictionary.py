"""The personal dictionary: words proofreading must never change (names, jargon)."""

from __future__ import annotations

from ..qt import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QPushButton, QVBoxLayout


class DictionaryDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Personal dictionary")
        self.resize(420, 460)
        self.words = QListWidget()
        self.word = QLineEdit()
        self.word.setPlaceholderText("A word proofreading should leave alone")
        self.word.returnPressed.connect(self.add)
        add = QPushButton("Add")
        add.clicked.connect(self.add)
        self.remove_btn = QPushButton("Remove")
        self.remove_btn.clicked.connect(self.remove)
        self.message = QLabel()
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.word, 1)
        row.addWidget(add)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(row)
        box.addWidget(self.words, 1)
        box.addWidget(self.remove_btn)
        box.addWidget(self.message)
        box.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.words.clear()
        self.words.addItems(self.ctx.dictionary_words())
        if self.ctx.store is None:
            self.message.setText("The dictionary lives in your personal store: unlock it first.")

    def add(self) -> None:
        word = self.word.text().strip()
        if not word:
            return
        try:
            self.ctx.store.dict_add(word)
        except Exception as exc:  # noqa: BLE001 - the store's errors are readable
            self.message.setText(f"Could not add “{word}”: {exc}")
            return
        self.word.clear()
        self.message.setText(f"Added “{word}”.")
        self.refresh()

    def remove(self) -> None:
        item = self.words.currentItem()
        if item is None or self.ctx.store is None:
            return
        try:
            self.ctx.store.dict_remove(item.text())
        except Exception as exc:  # noqa: BLE001
            self.message.setText(f"Could not remove “{item.text()}”: {exc}")
            return
        self.refresh()

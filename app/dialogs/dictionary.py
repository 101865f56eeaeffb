"""The personal dictionary: words proofreading must never change (names, jargon)."""

from __future__ import annotations

from ..layouts import CLOSE, column, dialog_buttons
from ..qt import QHBoxLayout, QLineEdit, QListWidget, QPushButton
from .store_dialog import StoreDialog


class DictionaryDialog(StoreDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(ctx, "Personal dictionary", (420, 460), parent)
        self.words = QListWidget()
        self.word = QLineEdit()
        self.word.setPlaceholderText("A word proofreading should leave alone")
        self.word.returnPressed.connect(self.add)
        add = QPushButton("Add")
        add.clicked.connect(self.add)
        self.remove_btn = QPushButton("Remove")
        self.remove_btn.clicked.connect(self.remove)
        row = QHBoxLayout()
        row.addWidget(self.word, 1)
        row.addWidget(add)
        column(self, row, (self.words, 1), self.remove_btn, self.message, dialog_buttons(self, CLOSE))
        self.refresh()

    def refresh(self) -> None:
        self.words.clear()
        self.words.addItems(self.ctx.dictionary_words())
        self.store_or_say("The dictionary")

    def add(self) -> None:
        word = self.word.text().strip()
        store = self.store_or_say("The dictionary")
        if not word or store is None:
            return
        try:
            store.dict_add(word)
        except Exception as exc:  # noqa: BLE001 - the store's errors are readable
            self.message.setText(f"Could not add “{word}”: {exc}")
            return
        self.word.clear()
        self.message.setText(f"Added “{word}”.")
        self.refresh()

    def remove(self) -> None:
        item = self.words.currentItem()
        store = self.store_or_say("The dictionary")
        if item is None or store is None:
            return
        try:
            store.dict_remove(item.text())
        except Exception as exc:  # noqa: BLE001
            self.message.setText(f"Could not remove “{item.text()}”: {exc}")
            return
        self.refresh()

"""Tools ▸ Your tools…: make, change and delete tools of your own.

A tool is a name, an instruction, what it does with the text (engine.tools.user.KIND_LABELS:
rewrites it, summarizes it, lists its key points) and an optional keyboard shortcut. They are kept
in the encrypted store; what makes one valid is engine.tools.user.checked(), whose message is shown
here. Saving or deleting makes AppContext emit tools_changed: the window's menus and the tray popup
rebuild from the registry.
"""

from __future__ import annotations

from ..qt import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QKeySequence, QKeySequenceEdit, QLabel,
    QLineEdit, QListWidget, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

ERROR_STYLE = "color: #c0392b"


def sentence(message: str) -> str:
    message = message.strip()
    return message[:1].upper() + message[1:] + ("" if message.endswith((".", "?", "!")) else ".")


class ToolsDialog(QDialog):
    def __init__(self, ctx, parent=None, reserved=()):
        from engine.tools.user import KIND_LABELS

        super().__init__(parent)
        self.ctx = ctx
        self.reserved = [s for s in reserved if s]  # the window's own shortcuts (Ctrl+S, …)
        self.editing: str | None = None  # the name of the tool in the form, None for a new one
        self.setWindowTitle("Your tools")
        self.resize(640, 440)

        self.no_store = QWidget()
        self.no_store.setObjectName("toolsNoStore")
        notice = QLabel("Your tools are kept in your encrypted personal store, which is not open.")
        notice.setWordWrap(True)
        self.store_btn = QPushButton("Create or unlock the store…")
        self.store_btn.clicked.connect(self.open_store)
        row = QHBoxLayout(self.no_store)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(notice, 1)
        row.addWidget(self.store_btn)

        self.list = QListWidget()
        self.list.currentTextChanged.connect(self.edit)
        self.new_btn = QPushButton("&New")
        self.new_btn.clicked.connect(self.new)
        self.delete_btn = QPushButton("&Delete")
        self.delete_btn.clicked.connect(self.delete)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.new_btn)
        buttons_row.addWidget(self.delete_btn)
        left.addLayout(buttons_row)

        self.name = QLineEdit()
        self.name.setPlaceholderText("Weekly report")
        self.kind = QComboBox()
        for key, label in KIND_LABELS.items():
            self.kind.addItem(label, key)
        self.instruction = QPlainTextEdit()
        self.instruction.setPlaceholderText("Turn my notes into a short, friendly status update")
        self.shortcut = QKeySequenceEdit()
        if hasattr(self.shortcut, "setMaximumSequenceLength"):
            self.shortcut.setMaximumSequenceLength(1)
        clear = QPushButton("Clear")
        clear.clicked.connect(self.shortcut.clear)
        keys = QHBoxLayout()
        keys.addWidget(self.shortcut, 1)
        keys.addWidget(clear)
        self.save_btn = QPushButton("&Save")
        self.save_btn.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("What it does", self.kind)
        form.addRow("Instruction", self.instruction)
        form.addRow("Shortcut (optional)", keys)
        right = QVBoxLayout()
        right.addLayout(form, 1)
        right.addWidget(self.save_btn)

        self.message = QLabel()
        self.message.setObjectName("toolsMessage")
        self.message.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        box = QVBoxLayout(self)
        box.addWidget(self.no_store)
        box.addLayout(body, 1)
        box.addWidget(self.message)
        box.addWidget(close)
        ctx.store_changed.connect(self._on_store)
        self.refresh()

    # -- showing ------------------------------------------------------------------------------------
    def rows(self) -> list[dict]:
        return list(self.ctx._store_call("user_tools", default=[]) or [])

    def refresh(self, select: str | None = None) -> None:
        open_ = self.ctx.store is not None
        self.no_store.setVisible(not open_)
        for w in (self.list, self.new_btn, self.delete_btn, self.name, self.kind, self.instruction,
                  self.shortcut, self.save_btn):
            w.setEnabled(open_)
        names = [r["name"] for r in self.rows()]
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems(names)
        self.list.blockSignals(False)
        if select in names:
            self.list.setCurrentRow(names.index(select))
            self.edit(select)
        else:
            self.new()

    def _on_store(self, state: str, detail: str) -> None:
        self.refresh(self.editing)

    def new(self) -> None:
        self.editing = None
        self.list.blockSignals(True)
        self.list.clearSelection()
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        self.name.clear()
        self.kind.setCurrentIndex(0)
        self.instruction.clear()
        self.shortcut.clear()
        self.delete_btn.setEnabled(False)
        self.name.setFocus()

    def edit(self, name: str) -> None:
        row = next((r for r in self.rows() if r["name"] == name), None)
        if row is None:
            return
        self.editing = name
        self.name.setText(row["name"])
        self.kind.setCurrentIndex(max(0, self.kind.findData(row.get("kind") or "rewrite")))
        self.instruction.setPlainText(row["instruction"])
        self.shortcut.setKeySequence(QKeySequence(row.get("shortcut") or ""))
        self.delete_btn.setEnabled(True)

    def say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    # -- changing -----------------------------------------------------------------------------------
    def save(self) -> bool:
        """Check the form and keep the tool; a problem is said here and nothing is saved."""
        from engine.errors import InputError
        from engine.tools.user import checked, taken_names, used_shortcuts

        if self.ctx.store is None:
            self.say("Open your personal store first: your tools are kept there.", error=True)
            return False
        reg = self.ctx.registry()
        but = self.editing or ""
        shortcut = self.shortcut.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
        try:
            tool = checked(self.name.text(), self.instruction.toPlainText(), self.kind.currentData(), shortcut,
                           taken=taken_names(reg, but), shortcuts=used_shortcuts(reg, but) + self.reserved)
        except InputError as exc:
            self.say(sentence(str(exc)), error=True)
            return False
        try:
            self.ctx.save_user_tool(tool, replacing=self.editing)
        except Exception as exc:  # noqa: BLE001 - the store's errors are readable
            self.say(f"Not saved: {exc}", error=True)
            return False
        self.say(f"Saved “{tool.name}”: it is in the {self._where(tool)} menu and the quick popup.")
        self.refresh(select=tool.name)
        return True

    def _where(self, tool) -> str:
        from engine.tools.user import KINDS

        return self.ctx.registry().task(KINDS[tool.kind][0]).label

    def delete(self) -> None:
        if self.editing is None:
            return
        name = self.editing
        try:
            self.ctx.delete_user_tool(name)
        except Exception as exc:  # noqa: BLE001
            self.say(f"Not deleted: {exc}", error=True)
            return
        self.say(f"Deleted “{name}”.")
        self.refresh()

    def open_store(self) -> None:
        from .unlock import UnlockDialog

        UnlockDialog(self.ctx, self).exec()  # store_changed refreshes this dialog

"""Unlock (or create) the encrypted personal store with its passphrase."""

from __future__ import annotations

from ..layouts import CANCEL, ERROR_STYLE, OK, column, dialog_buttons, note_label
from ..qt import QDialog, QDialogButtonBox, QFormLayout, QLineEdit


class UnlockDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.creating = not ctx.store_file().exists()
        self.setWindowTitle("Create your personal store" if self.creating else "Unlock your personal store")
        intro = note_label(
            "Choose a passphrase for your encrypted store (history, dictionary, style). "
            "It cannot be recovered if you forget it." if self.creating else
            "Your history, dictionary and style profile are encrypted. Enter the passphrase to use them."
        )
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = note_label(style=ERROR_STYLE, name="unlockError")
        form = QFormLayout()
        form.addRow("Passphrase", self.passphrase)
        if self.creating:
            form.addRow("Again", self.confirm)
        self.busy = False
        self.buttons = dialog_buttons(self, OK, CANCEL)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create" if self.creating else "Unlock")
        column(self, intro, form, self.error, self.buttons)

    def accept(self) -> None:
        secret = self.passphrase.text()
        if not secret:
            self.error.setText("Enter the passphrase.")
            return
        if self.creating and secret != self.confirm.text():
            self.error.setText("The two passphrases differ.")
            return
        self.error.setText("Unlocking…")
        self.buttons.setEnabled(False)
        self.busy = True
        self.ctx.unlock_store_async(secret, self._unlocked)  # the key derivation runs off the UI thread

    def _unlocked(self, error) -> None:
        self.busy = False
        self.buttons.setEnabled(True)
        if error is not None:  # wrong passphrase, damaged file: readable messages
            self.error.setText(f"{error} Try again, or Cancel to keep working without history.")
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        super().accept()

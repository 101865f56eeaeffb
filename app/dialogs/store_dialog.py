"""What the dialogs over the personal store share (dictionary, style profile, history): the
context, a title and size, and a message line that says when the store is not open."""

from __future__ import annotations

from ..layouts import note_label
from ..qt import QDialog


class StoreDialog(QDialog):
    LOCKED = "{} lives in your personal store: unlock it first."

    def __init__(self, ctx, title: str, size: tuple[int, int], parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.resize(*size)
        self.message = note_label()

    def store_or_say(self, what: str):
        """The open store; None (and a message naming `what`) while it is locked or not created."""
        if self.ctx.store is None:
            self.message.setText(self.LOCKED.format(what))
        return self.ctx.store

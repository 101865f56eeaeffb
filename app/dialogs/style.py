"""The style profile: a few sentences about how you write, and a preferred tone, used by Rewrite."""

from __future__ import annotations

from ..layouts import CANCEL, SAVE, column, dialog_buttons
from ..qt import QComboBox, QFormLayout, QPlainTextEdit
from .store_dialog import StoreDialog

TONES = ["", "friendly", "professional", "concise"]


class StyleDialog(StoreDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(ctx, "Style profile", (520, 360), parent)
        profile = ctx._store_call("style_profile", default={}) or {}
        self.text = QPlainTextEdit(str(profile.get("text") or ""))
        self.text.setPlaceholderText("e.g. British spelling; short sentences; no exclamation marks.")
        self.tone = QComboBox()
        for t in TONES:
            self.tone.addItem(t.capitalize() if t else "No preference", t)
        self.tone.setCurrentIndex(max(0, self.tone.findData(profile.get("tone") or "")))
        self.store_or_say("The style profile")
        form = QFormLayout()
        form.addRow("How you write", self.text)
        form.addRow("Preferred tone", self.tone)
        column(self, form, self.message, dialog_buttons(self, SAVE, CANCEL))

    def accept(self) -> None:
        store = self.store_or_say("The style profile")
        if store is None:
            return
        tone = self.tone.currentData()
        try:
            store.set_style_profile(self.text.toPlainText().strip(), tone or None, clear_tone=not tone)
        except Exception as exc:  # noqa: BLE001
            self.message.setText(f"Could not save the style profile: {exc}")
            return
        super().accept()

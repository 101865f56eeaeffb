"""The style profile: a few sentences about how you write, and a preferred tone, used by Rewrite."""

from __future__ import annotations

from ..qt import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit, QVBoxLayout

TONES = ["", "friendly", "professional", "concise"]


class StyleDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Style profile")
        self.resize(520, 360)
        profile = ctx._store_call("style_profile", default={}) or {}
        self.text = QPlainTextEdit(str(profile.get("text") or ""))
        self.text.setPlaceholderText("e.g. British spelling; short sentences; no exclamation marks.")
        self.tone = QComboBox()
        for t in TONES:
            self.tone.addItem(t.capitalize() if t else "No preference", t)
        self.tone.setCurrentIndex(max(0, self.tone.findData(profile.get("tone") or "")))
        self.message = QLabel()
        self.message.setWordWrap(True)
        if ctx.store is None:
            self.message.setText("The style profile lives in your personal store: unlock it first.")
        form = QFormLayout()
        form.addRow("How you write", self.text)
        form.addRow("Preferred tone", self.tone)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.message)
        box.addWidget(buttons)

    def accept(self) -> None:
        if self.ctx.store is None:
            return
        tone = self.tone.currentData()
        try:
            self.ctx.store.set_style_profile(self.text.toPlainText().strip(), tone or None, clear_tone=not tone)
        except Exception as exc:  # noqa: BLE001
            self.message.setText(f"Could not save the style profile: {exc}")
            return
        super().accept()

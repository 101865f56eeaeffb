"""An inline message strip (error / warning / info) with one "way forward" button and a close button."""

from __future__ import annotations

from . import theme
from .qt import QFrame, QHBoxLayout, QLabel, QPushButton, Qt


class Banner(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.kind = ""
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton()
        self.close_btn = QPushButton("✕")
        self.close_btn.setFlat(True)
        self.close_btn.setToolTip("Dismiss")
        self.close_btn.setFixedWidth(28)
        self.close_btn.clicked.connect(self.hide)
        self._callback = None
        self.action.clicked.connect(self._run_action)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 6, 6)
        row.addWidget(self.label, 1)
        row.addWidget(self.action)
        row.addWidget(self.close_btn)
        self.hide()

    def show_message(self, text: str, kind: str = "error", action: str = "", on_action=None) -> None:
        self.kind = kind
        c = theme.colors()
        bg, fg = (c["error"], c["error_text"]) if kind == "error" else (c["banner"], c["banner_text"])
        self.setStyleSheet(f"#banner {{ background: {bg}; border-radius: 6px; }} #banner QLabel {{ color: {fg}; }}")
        self.label.setText(text)
        self._callback = on_action
        self.action.setText(action)
        self.action.setVisible(bool(action and on_action))
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def _run_action(self) -> None:
        if self._callback:
            self._callback()

"""The tray's own small Settings dialog (used when the main window does not provide one):
the hotkey (conflicts shown right away), pause, and start at login."""

from __future__ import annotations

from . import autostart
from .qtx import QLabel, QLineEdit, QVBoxLayout, QWidget
from app.qt import QCheckBox, QDialog, QDialogButtonBox, QFormLayout


class TraySettingsDialog(QDialog):
    def __init__(self, controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Hushwrite tray settings")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.hotkey = QLineEdit(controller.settings.hotkey)
        self.hotkey.setPlaceholderText("e.g. Ctrl+Alt+Space")
        form.addRow("Quick rewrite hotkey", self.hotkey)
        self.autostart = QCheckBox("Start Hushwrite in the tray when I log in")
        self.autostart.setChecked(autostart.is_enabled())
        form.addRow("", self.autostart)
        lay.addLayout(form)
        self.problem = QLabel(controller.hotkey_problem)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e")
        lay.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _ok(self) -> None:
        problem = self.controller.set_hotkey(self.hotkey.text())
        try:
            autostart.enable() if self.autostart.isChecked() else autostart.disable()
        except OSError as exc:
            problem = problem or f"Could not change autostart ({exc.strerror or exc})."
        if problem:
            self.problem.setText(problem)
            return
        self.accept()

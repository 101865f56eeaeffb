"""The quick popup near the mouse: tool row, streaming preview with an inline diff, Enter / Esc.

It is a Qt.Popup: it takes the keyboard while open (so Enter and Esc reach it whatever the
window manager does with focus) and a click outside it cancels. It only shows things and
emits what the user asked for; the TrayController does the work.
"""

from __future__ import annotations

from .diff import inline_diff_html, plain_html
from ..qt import (
    QCursor, QGuiApplication, QHBoxLayout, QLabel, QLineEdit, QPoint, QPushButton, Qt, QTextBrowser,
    QTimer, QVBoxLayout, QWidget, Signal,
)
from .tools import TOOLS, QuickTool

TITLE = "Hushwrite quick rewrite"
HINT = "1–8 choose a tool · Enter apply · Esc cancel"


class QuickPopup(QWidget):
    tool_chosen = Signal(str, str)  # tool key, custom instruction ("" unless Custom…)
    apply_requested = Signal()
    cancel_requested = Signal()
    shown = Signal()

    def __init__(self, parent=None):
        super().__init__(parent, Qt.WindowType.Popup | Qt.WindowType.FramelessWindowHint)
        self.setWindowTitle(TITLE)
        self.setObjectName("hushwriteQuickPopup")
        self.original = ""
        self.tool: QuickTool | None = None
        self.ready_text: str | None = None  # set when a usable result can be applied
        self.message_only = False
        self._closing_quietly = False
        self._wait_exposed = QTimer(self)
        self._wait_exposed.setInterval(2)
        self._wait_exposed.timeout.connect(self._when_exposed)
        self._build()

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for n, t in enumerate(TOOLS, 1):
            b = QPushButton(f"{n} {t.label}")
            b.setCheckable(True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setToolTip(f"{t.label} (key {n})")
            b.clicked.connect(lambda _=False, key=t.key: self.choose(key))
            row.addWidget(b)
            self.buttons[t.key] = b
        lay.addLayout(row)
        self.instruction = QLineEdit()
        self.instruction.setPlaceholderText("Tell Hushwrite what to do with the text, then press Enter")
        self.instruction.hide()
        self.instruction.returnPressed.connect(self._run_custom)
        lay.addWidget(self.instruction)
        self.preview = QTextBrowser()
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.preview.setMinimumSize(560, 150)
        lay.addWidget(self.preview)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.hint = QLabel(HINT)
        self.hint.setStyleSheet("color: gray")
        lay.addWidget(self.hint)

    # -- showing ----------------------------------------------------------------------------------
    def open_for(self, original: str) -> None:
        self.original = original
        self.message_only = False
        self.ready_text = None
        self.tool = None
        self.instruction.hide()
        self.instruction.clear()
        for b in self.buttons.values():
            b.setEnabled(True)
            b.setChecked(False)
        self.preview.show()
        self.preview.setHtml(plain_html(original))
        self.status.setText("Choose a tool.")
        self.hint.setText(HINT)
        self._show_near_cursor()

    def open_message(self, message: str) -> None:
        """A plain notice (e.g. no text selected): any key or click closes it."""
        self.original = ""
        self.message_only = True
        self.ready_text = None
        self.tool = None
        for b in self.buttons.values():
            b.setEnabled(False)
            b.setChecked(False)
        self.instruction.hide()
        self.preview.hide()
        self.status.setText(message)
        self.hint.setText("Esc or Enter closes this")
        self._show_near_cursor()

    def _show_near_cursor(self) -> None:
        self.adjustSize()
        pos = QCursor.pos()
        screen = QGuiApplication.screenAt(pos) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        x = min(max(area.left(), pos.x() + 12), area.right() - self.width())
        y = pos.y() + 16
        if y + self.height() > area.bottom():
            y = max(area.top(), pos.y() - self.height() - 16)
        self.move(QPoint(x, y))
        self.show()
        self.raise_()
        self.activateWindow()

    def showEvent(self, event):  # noqa: N802
        super().showEvent(event)
        self._wait_exposed.start()

    def _when_exposed(self) -> None:
        """Once the window is really on screen: take the keyboard (an X grab on X11, so keys
        can never go to the app underneath), then report it shown."""
        handle = self.windowHandle()
        if not self.isVisible():
            self._wait_exposed.stop()
            return
        if handle is None or not handle.isExposed():
            return
        self._wait_exposed.stop()
        self.grabKeyboard()
        self.shown.emit()

    # -- tool and preview -------------------------------------------------------------------------
    def choose(self, key: str) -> None:
        if self.message_only:
            return
        for k, b in self.buttons.items():
            b.setChecked(k == key)
        if key == "custom":
            self.instruction.show()
            self.instruction.setFocus()
            self.status.setText("Type an instruction, then press Enter.")
            self.adjustSize()
            return
        self.instruction.hide()
        self.tool_chosen.emit(key, "")

    def running(self, tool: QuickTool) -> None:
        self.tool = tool
        self.ready_text = None
        for k, b in self.buttons.items():
            b.setChecked(k == tool.key)
        self.status.setText(f"{tool.label}: writing…")

    def stream(self, raw_so_far: str) -> None:
        self._render(raw_so_far)

    def _render(self, text: str) -> None:
        if self.tool is not None and self.tool.diff:
            self.preview.setHtml(inline_diff_html(self.original, text))
        else:
            self.preview.setHtml(plain_html(text))

    def result(self, text: str, ok: bool, problem: str) -> None:
        if ok and text.strip() and text != self.original:
            self._render(text)
            self.ready_text = text
            self.status.setText("Enter replaces your selection with this. Esc cancels.")
        elif ok:
            self._render(text)
            self.ready_text = None
            self.status.setText("No changes needed. Esc closes.")
        else:
            self.preview.setHtml(plain_html(self.original))
            self.ready_text = None
            self.status.setText(f"Nothing to apply: {problem or 'the answer was not usable'}. Try another tool, or Esc.")

    def error(self, message: str) -> None:
        self.ready_text = None
        self.status.setText(f"{message} Nothing was changed.")

    # -- keys -------------------------------------------------------------------------------------
    def keyPressEvent(self, event):  # noqa: N802
        key = event.key()
        if key == Qt.Key.Key_Escape or (self.message_only and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.cancel_requested.emit()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.ready_text is not None:
                self.apply_requested.emit()
            return
        if not self.instruction.hasFocus():
            n = self._digit(event)
            if 1 <= n <= len(TOOLS):
                self.choose(TOOLS[n - 1].key)
                return
        super().keyPressEvent(event)

    @staticmethod
    def _digit(event) -> int:
        """1-8 from the digit row or keypad; on X11 also by key position (AZERTY's digit row
        types "&é\"'(" without Shift, yet the keys are the same)."""
        key = event.key()
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            return key - Qt.Key.Key_0
        scan = event.nativeScanCode()
        if QGuiApplication.platformName() == "xcb" and 10 <= scan <= 18:
            return scan - 9
        return 0

    def _run_custom(self) -> None:
        text = self.instruction.text().strip()
        if text:
            self.instruction.clearFocus()
            self.setFocus()
            self.tool_chosen.emit("custom", text)

    def close_quietly(self) -> None:
        self._closing_quietly = True
        self.hide()
        self._closing_quietly = False

    def hideEvent(self, event):  # noqa: N802
        self.releaseKeyboard()
        super().hideEvent(event)
        if not self._closing_quietly:
            self.cancel_requested.emit()  # a click outside closes a Qt popup: that is a cancel

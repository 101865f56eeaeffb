"""The quick popup near the mouse: tool rows, streaming preview with an inline diff, Enter / Esc.

Its tools are the registry's (engine.tools through AppContext.registry()): the built-ins, then
the user's own; keys 1–9 and 0 pick the first ten, and a tool's own shortcut picks it too. The
buttons are made again when the user's tools change (AppContext.tools_changed).

It is a Qt.Popup: it takes the keyboard while open (so Enter and Esc reach it whatever the
window manager does with focus) and a click outside it cancels. It only shows things and
emits what the user asked for; the QuickFlow (quick_flow.py) does the work.
"""

from __future__ import annotations

from typing import Sequence

from . import events
from .diff import inline_diff_html, plain_html
from .quick_sources import sources_html
from ..theme import colors
from ..qt import (
    QCursor, QGridLayout, QGuiApplication, QKeySequence, QLabel, QLineEdit, QPoint, QPushButton, Qt, QTextBrowser,
    QTimer, QVBoxLayout, QWidget, Signal,
)

TITLE = "Hushwrite quick rewrite"
HINT = "1–9, 0 or a tool's shortcut choose a tool · Enter apply · Esc cancel"
PER_ROW = 6
DIGITS = "1234567890"


class QuickPopup(QWidget):
    tool_chosen = Signal(str, str)  # tool key, instruction typed now ("" unless the tool asks for one)
    apply_requested = Signal()
    cancel_requested = Signal()
    shown = Signal()

    def __init__(self, ctx=None, parent=None):
        super().__init__(parent, Qt.WindowType.Popup | Qt.WindowType.FramelessWindowHint)
        self.ctx = ctx  # app.context.AppContext (None: the built-in tools only)
        self.tools: list = []  # engine.tools.Tool, in button order
        self.asking = ""  # the key of the tool waiting for its instruction
        self.setWindowTitle(TITLE)
        self.setObjectName("hushwriteQuickPopup")
        self.original = ""
        self.tool = None  # the engine.tools.Tool running
        self.ready_text: str | None = None  # set when a usable result can be applied
        self.message_only = False
        self.drafting = False  # an unchecked draft is on show (greyed)
        self._closing_quietly = False
        self._wait_exposed = QTimer(self)
        self._wait_exposed.setInterval(2)
        self._wait_exposed.timeout.connect(self._when_exposed)
        self._build()

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        self.rows = QGridLayout()
        self.rows.setSpacing(4)
        self.buttons: dict[str, QPushButton] = {}
        lay.addLayout(self.rows)
        self.rebuild()
        if self.ctx is not None:
            self.ctx.tools_changed.connect(self.rebuild)
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

    def rebuild(self) -> None:
        """One button per registry tool: "1 Proofread" … "0 Table", then the user's own."""
        if self.ctx is not None:
            reg = self.ctx.registry()
        else:
            from engine.tools import registry

            reg = registry()
        for b in self.buttons.values():
            self.rows.removeWidget(b)
            b.deleteLater()
        self.buttons = {}
        self.tools = reg.tools()
        for n, t in enumerate(self.tools):
            digit = DIGITS[n] if n < len(DIGITS) else ""
            name = t.name + ("…" if t.asks else "")
            b = QPushButton(f"{digit} {name}".strip().replace("&", "&&"))
            b.setObjectName(f"quick:{t.key}")
            b.setCheckable(True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            keys = [f"key {digit}"] if digit else []
            keys += [t.shortcut] if t.shortcut else []
            b.setToolTip(f"{t.tip or name}" + (f" ({', '.join(keys)})" if keys else ""))
            b.clicked.connect(lambda _=False, key=t.key: self.choose(key))
            self.rows.addWidget(b, n // PER_ROW, n % PER_ROW)
            self.buttons[t.key] = b
        events.log("tools", count=len(self.tools))  # how many, never their names

    def tool_for(self, key: str):
        return next((t for t in self.tools if t.key == key), None)

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
        self.preview.setToolTip("")
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
        t = self.tool_for(key)
        if t is not None and t.asks:
            self.asking = key
            self.instruction.show()
            self.instruction.setFocus()
            self.status.setText("Type an instruction, then press Enter.")
            self.adjustSize()
            return
        self.instruction.hide()
        self.tool_chosen.emit(key, "")

    def running(self, tool) -> None:
        self.tool = tool
        self.ready_text = None
        self.drafting = False
        for k, b in self.buttons.items():
            b.setChecked(k == tool.key)
        self.status.setText(f"{tool.name}: writing…")

    def stream(self, raw_so_far: str) -> None:
        if not self.drafting:  # drafts carry the checked text too
            self._render(raw_so_far)

    def draft(self, checked: str, draft: str) -> None:
        """A rewrite in progress: `checked` is final, `draft` (greyed) is still being written and
        checked. Enter does nothing until the result arrives."""
        self.drafting = True
        self.preview.setHtml(plain_html(checked) + (f'<span style="color:{colors()["muted"]}"><i>{plain_html(draft)}</i></span>'
                                                    if draft else ""))
        if draft and self.tool is not None:
            self.status.setText(f"{self.tool.name}: writing… (grey: a draft, checked before you can use it)")

    def _render(self, text: str) -> None:
        if self.tool is not None and self.tool.shows_diff:
            self.preview.setHtml(inline_diff_html(self.original, text))
        else:
            self.preview.setHtml(plain_html(text))

    def result(self, text: str, ok: bool, problem: str, points: Sequence = ()) -> None:
        self.drafting = False
        sources = sources_html(points, self.original) if ok else ""
        self.preview.setToolTip(sources)
        if ok and text.strip() and text != self.original:
            self._render(text)
            self.ready_text = text
            self.status.setText("Enter replaces your selection with this. Esc cancels."
                                + (" Hover to see where each point comes from." if sources else ""))
        elif ok:
            self._render(text)
            self.ready_text = None
            self.status.setText("No changes needed. Esc closes.")
        else:
            self.preview.setHtml(plain_html(self.original))
            self.ready_text = None
            self.status.setText(f"Nothing to apply: {problem or 'the answer was not usable'}. Try another tool, or Esc.")

    def error(self, message: str) -> None:
        if self.drafting:  # no unchecked draft stays on show
            self.drafting = False
            self.preview.setHtml(plain_html(self.original))
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
            index = 9 if n == 0 else n - 1
            if n >= 0 and index < len(self.tools):
                self.choose(self.tools[index].key)
                return
            pressed = QKeySequence(event.keyCombination()).toString()
            for t in self.tools:
                if t.shortcut and QKeySequence(t.shortcut).toString() == pressed:
                    self.choose(t.key)
                    return
        super().keyPressEvent(event)

    @staticmethod
    def _digit(event) -> int:
        """0-9 from the digit row or keypad (-1: not a digit); on X11 also by key position
        (AZERTY's digit row types "&é\"'(" without Shift, yet the keys are the same)."""
        if event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier):
            return -1  # Ctrl+Shift+… is a tool's shortcut, not a digit
        key = event.key()
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            return key - Qt.Key.Key_0
        scan = event.nativeScanCode()
        if QGuiApplication.platformName() == "xcb" and 10 <= scan <= 19:
            return (scan - 9) % 10
        return -1

    def _run_custom(self) -> None:
        text = self.instruction.text().strip()
        if text:
            self.instruction.clearFocus()
            self.setFocus()
            self.tool_chosen.emit(self.asking or "custom", text)

    def close_quietly(self) -> None:
        self._closing_quietly = True
        self.hide()
        self._closing_quietly = False

    def hideEvent(self, event):  # noqa: N802
        self.releaseKeyboard()
        super().hideEvent(event)
        if not self._closing_quietly:
            self.cancel_requested.emit()  # a click outside closes a Qt popup: that is a cancel

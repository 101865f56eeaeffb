"""The tray icon and the quick-rewrite flow: hotkey → capture → popup → task → paste back.

    controller = install_tray(ctx)                       # ctx: app.context.AppContext
    controller.open_main_requested.connect(show_window)  # "Open Hushwrite"
    controller.settings_requested.connect(show_settings) # "Settings" (else the tray's own dialog)

Closing the main window keeps the app running (quitOnLastWindowClosed is turned off).
"""

from __future__ import annotations

import os
from pathlib import Path

from . import events
from .hotkey import Hotkey, HotkeyError, HotkeyUnsupported, create_hotkey, session_kind
from .paste_back import PasteBack
from .platform_keys import platform_keys
from .qtx import (
    QAction, QApplication, QColor, QIcon, QLocalServer, QMenu, QObject, QPainter, QPixmap, QSystemTrayIcon, Qt, Signal,
)
from .quick_popup import QuickPopup
from .selection import SelectionCapture
from .tray_settings import TraySettings

IPC_NAME = f"hushwrite-quick-{os.getuid() if hasattr(os, 'getuid') else os.environ.get('USERNAME', 'user')}"


def app_icon() -> QIcon:
    """The Hushwrite icon from assets/ (source tree or bundle), else a drawn stand-in."""
    import sys

    roots = [Path(getattr(sys, "_MEIPASS", "")), Path(__file__).resolve().parents[2]]
    for root in roots:
        for size in (64, 32):
            p = root / "assets" / f"hushwrite-{size}.png"
            if p.is_file():
                return QIcon(str(p))
    pix = QPixmap(32, 32)
    pix.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pix)
    painter.setBrush(QColor("#3b5bdb"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(2, 2, 28, 28)
    painter.end()
    return QIcon(pix)


class TrayController(QObject):
    open_main_requested = Signal()
    settings_requested = Signal()
    quit_requested = Signal()
    flow_ended = Signal()  # a quick action ended: applied, cancelled, failed or dismissed

    def __init__(self, ctx, settings: TraySettings | None = None, parent=None, with_tray: bool = True):
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings or TraySettings.load()
        self.keys = platform_keys()
        self.hotkey = None
        self.hotkey_problem = ""
        self._capture = None
        self._captured = None
        self._job = None
        self._paste = None
        self._first_token_logged = False
        self.popup = QuickPopup(ctx)
        self.popup.tool_chosen.connect(self._run_tool)
        self.popup.apply_requested.connect(self._apply)
        self.popup.cancel_requested.connect(self._cancel)
        self.popup.shown.connect(lambda: events.log("popup_shown", message=self.popup.message_only))
        self.tray = None
        self._server = None
        if with_tray:  # `hushwrite quick` on its own runs the flow only
            self._build_tray()
            self._start_hotkey()
            self._listen_for_quick_command()

    # -- tray icon and menu -----------------------------------------------------------------------
    def _build_tray(self) -> None:
        self.tray = QSystemTrayIcon(app_icon(), self)
        self.tray.setToolTip("Hushwrite")
        menu = QMenu()
        self.menu = menu
        self.act_open = QAction("Open Hushwrite", menu, triggered=self.open_main_requested.emit)
        self.act_quick = QAction("Quick rewrite", menu, triggered=lambda: self.quick("menu"))
        self.act_pause = QAction("Pause hotkey", menu, checkable=True, checked=self.settings.paused)
        self.act_pause.toggled.connect(self.set_paused)
        self.act_settings = QAction("Settings", menu, triggered=self._settings)
        self.act_quit = QAction("Quit", menu, triggered=self.quit)
        for a in (self.act_open, self.act_quick, self.act_pause, self.act_settings):
            menu.addAction(a)
        menu.addSeparator()
        menu.addAction(self.act_quit)
        self.tray.setContextMenu(menu)
        self.tray.activated.connect(self._tray_clicked)
        self.tray.show()

    def _tray_clicked(self, reason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.open_main_requested.emit()

    def _settings(self) -> None:
        try:
            handled = self.receivers("2settings_requested()") > 0
        except (TypeError, RuntimeError):
            handled = False
        if handled:
            self.settings_requested.emit()
            return
        from .settings_dialog import TraySettingsDialog

        TraySettingsDialog(self).exec()

    def notify(self, message: str) -> None:
        events.log("notice", problem=message)
        if self.tray is not None and self.tray.isVisible() and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage("Hushwrite", message, QSystemTrayIcon.MessageIcon.Information, 8000)

    def quit(self) -> None:
        self.close()
        self.quit_requested.emit()
        QApplication.quit()

    def close(self) -> None:
        if self._job is not None:
            self._job.cancel()
        if self.hotkey is not None:
            try:
                self.hotkey.close()
            except Exception:
                pass
            self.hotkey = None
        if self._server is not None:
            self._server.close()
        if self.tray is not None:
            self.tray.hide()

    # -- hotkey -----------------------------------------------------------------------------------
    def _start_hotkey(self) -> None:
        try:
            self.hotkey = create_hotkey(self)
            self.hotkey.activated.connect(lambda: self.quick("hotkey"))
        except HotkeyUnsupported as exc:
            self.hotkey_problem = str(exc)
            self.act_pause.setEnabled(False)
            self.notify(self.hotkey_problem)
            return
        except Exception as exc:  # e.g. the X server refused the connection
            self.hotkey_problem = f"The global hotkey is not available ({exc}). Use `hushwrite quick` instead."
            self.notify(self.hotkey_problem)
            return
        if not self.settings.paused:
            problem = self.set_hotkey(self.settings.hotkey, save=False)
            if problem:
                self.notify(problem)

    def set_hotkey(self, text: str, save: bool = True) -> str:
        """Register a new hotkey; returns "" or a message for the user (conflict, bad key)."""
        if self.hotkey is None:
            return self.hotkey_problem or "There is no global hotkey on this desktop."
        if self.settings.paused:
            self.settings.hotkey = text
            return ""
        try:
            hk = Hotkey.parse(text)
            self.hotkey.register(hk)
        except HotkeyError as exc:
            self.hotkey_problem = str(exc)
            return self.hotkey_problem
        except Exception as exc:
            self.hotkey_problem = f"The hotkey could not be set ({exc})."
            return self.hotkey_problem
        self.hotkey_problem = ""
        self.settings.hotkey = hk.text()
        self.act_quick.setText(f"Quick rewrite ({hk.text()})")
        if save:
            self._save_settings()
        return ""

    def set_paused(self, paused: bool) -> None:
        self.settings.paused = paused
        self._save_settings()
        if self.hotkey is None:
            return
        if paused:
            events.log("paused")
            self.hotkey.unregister()
        else:
            problem = self.set_hotkey(self.settings.hotkey, save=False)
            if problem:
                self.notify(problem)

    def _save_settings(self) -> None:
        try:
            self.settings.save()
        except OSError:
            pass  # a read-only config folder: the setting holds for this session

    # -- `hushwrite quick` from another process ---------------------------------------------------
    def _listen_for_quick_command(self) -> None:
        self._server = QLocalServer(self)
        QLocalServer.removeServer(IPC_NAME)  # a stale socket from a crashed run
        if not self._server.listen(IPC_NAME):
            self._server = None
            return
        self._server.newConnection.connect(self._on_quick_command)

    def _on_quick_command(self) -> None:
        while self._server is not None and self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            sock.readyRead.connect(lambda s=sock: self._read_command(s))

    def _read_command(self, sock) -> None:
        data = bytes(sock.readAll().data()).strip()
        sock.write(b"ok\n")
        sock.flush()
        sock.disconnectFromServer()
        if data == b"quick":
            self.quick("command")

    # -- the quick flow ---------------------------------------------------------------------------
    def quick(self, source: str = "hotkey") -> None:
        events.log("hotkey", source=source)
        if self._capture is not None or self._paste is not None:
            return  # one at a time: a second press while capturing or pasting is ignored
        if self.popup.isVisible():
            self.popup.raise_()
            return
        self._capture = SelectionCapture(self.keys, timeout=self.settings.capture_timeout, parent=self)
        self._capture.done.connect(self._on_captured)
        self._capture.start()

    def _on_captured(self, capture) -> None:
        self._capture = None
        events.log("captured", source=capture.source, seconds=capture.seconds, problem=capture.problem,
                   original=capture.text, restored=capture.clipboard_restored)
        if not capture.ok:
            self.popup.open_message(capture.problem)
            return
        self._captured = capture
        self.popup.open_for(capture.text)
        self._run_tool(self._default_tool(), "")

    def _default_tool(self) -> str:
        """The last tool used (an unknown key gives Proofread; one that asks for an instruction, Rewrite)."""
        t = self.ctx.tool(self.settings.last_tool)
        return "rewrite" if t.asks else t.key

    def _run_tool(self, key: str, instruction: str) -> None:
        if self._captured is None:
            return
        self._drop_job()
        t = self.ctx.tool(key)  # from the registry: built-in or the user's own
        self.popup.running(t)
        self.popup.status.setText(f"{t.name}: writing {self.ctx.engine.location}…")  # where the text goes
        self._first_token_logged = False
        try:
            job = self.ctx.run_tool(t, self._captured.text, **({"instruction": instruction} if t.asks else {}))
        except Exception as exc:
            self.popup.error(f"{t.name} could not start ({exc}).")
            return
        self._job = job
        job.started.connect(lambda j=job: events.log("job_started") if j is self._job else None)
        job.text_streamed.connect(lambda raw, j=job: self._on_stream(j, raw))
        job.finished.connect(lambda result, j=job: self._on_finished(j, result))
        job.failed.connect(lambda message, j=job: self._on_failed(j, message))
        events.log("tool", tool=t.key)
        if not t.asks and t.key != self.settings.last_tool:
            self.settings.last_tool = t.key
            self._save_settings()

    def _drop_job(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self._job = None

    def _on_stream(self, job, raw: str) -> None:
        if job is not self._job:
            return
        if not self._first_token_logged:
            self._first_token_logged = True
            events.log("first_token")
        self.popup.stream(raw)

    def _on_finished(self, job, result) -> None:
        if job is not self._job:
            return
        self._job = None
        ok = bool(getattr(result, "ok", False))
        events.log("result", ok=ok, text=getattr(result, "text", ""), problem=getattr(result, "problem", ""))
        self.popup.result(getattr(result, "text", ""), ok, getattr(result, "problem", ""))

    def _on_failed(self, job, message: str) -> None:
        if job is not self._job:
            return
        self._job = None
        events.log("failed", problem=message, crashed=bool(getattr(job, "crashed", False)))
        if getattr(job, "crashed", False):
            message += " It is restarting with safe settings: press the tool's number again to retry."
        self.popup.error(message)

    def _apply(self) -> None:
        text, capture = self.popup.ready_text, self._captured
        if text is None or capture is None:
            return
        self.popup.close_quietly()
        self._captured = None
        events.log("apply")
        self._paste = PasteBack(self.keys, text, capture.window, parent=self)
        self._paste.done.connect(self._on_pasted)
        self._paste.start()

    def _on_pasted(self, ok: bool, problem: str) -> None:
        self._paste = None
        events.log("pasted" if ok else "paste_failed", problem=problem)
        if not ok:
            self.notify(problem)
        self.flow_ended.emit()

    def _cancel(self) -> None:
        if self.popup.isVisible():
            self.popup.close_quietly()
        if self._captured is not None or self._job is not None:
            self._drop_job()
            self._captured = None
            events.log("cancelled")
        self.flow_ended.emit()


def install_tray(ctx, settings: TraySettings | None = None) -> TrayController:
    """Put Hushwrite in the system tray with its global hotkey; returns the controller.

    Call once, after the QApplication exists (app/main.py, also for `hushwrite --tray`).
    The app then keeps running when its last window closes; Quit in the tray menu ends it.
    """
    app = QApplication.instance()
    app.setQuitOnLastWindowClosed(False)
    if not QSystemTrayIcon.isSystemTrayAvailable():
        events.log("no_tray_host", session=session_kind())
    controller = TrayController(ctx, settings, parent=app)
    events.log("tray_ready", hotkey=controller.settings.hotkey, problem=controller.hotkey_problem)
    return controller

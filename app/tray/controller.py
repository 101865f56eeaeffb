"""The tray icon, its menu, and what drives a quick rewrite: the global hotkey, the menu and
`hushwrite quick` from another process.

    controller = install_tray(ctx)                       # ctx: app.context.AppContext
    controller.open_main_requested.connect(show_window)  # "Open Hushwrite"
    controller.settings_requested.connect(show_settings) # "Settings" (else the tray's own dialog)

Closing the main window keeps the app running (quitOnLastWindowClosed is turned off).
The parts: the hotkey (hotkey_manager.py), the local socket (ipc.py), the flow (quick_flow.py).
"""

from __future__ import annotations

from ..icons import app_icon
from ..settings import TraySettings
from . import events
from .hotkey import session_kind
from .hotkey_manager import HotkeyManager
from .ipc import QuickCommandServer
from ..qt import QAction, QApplication, QMenu, QObject, QSystemTrayIcon, Signal
from .quick_flow import QuickFlow


class TrayController(QObject):
    open_main_requested = Signal()
    settings_requested = Signal()
    quit_requested = Signal()
    flow_ended = Signal()  # a quick action ended: applied, cancelled, failed or dismissed

    def __init__(self, ctx, settings: TraySettings | None = None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings or TraySettings.load()
        self.flow = QuickFlow(ctx, self.settings, parent=self)
        self.flow.flow_ended.connect(self.flow_ended.emit)
        self.flow.notice.connect(self.notify)
        self.hotkeys = HotkeyManager(self.settings, parent=self)
        self.hotkeys.activated.connect(lambda: self.quick("hotkey"))
        self.hotkeys.registered.connect(lambda text: self.act_quick.setText(f"Quick rewrite ({text})"))
        self._build_tray()
        self._notify_problem(self.hotkeys.start())
        if not self.hotkeys.supported:
            self.act_pause.setEnabled(False)
        self.server = QuickCommandServer(self)
        self.server.quick_requested.connect(lambda: self.quick("command"))
        self.server.listen()

    @property
    def hotkey_problem(self) -> str:
        return self.hotkeys.problem

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
        from ..dialogs.settings import TraySettingsDialog

        TraySettingsDialog(self).exec()

    def quick(self, source: str = "hotkey") -> None:
        self.flow.quick(source)

    def set_hotkey(self, text: str, save: bool = True) -> str:
        """Register a new hotkey; returns "" or a message for the user (conflict, bad key)."""
        return self.hotkeys.set_hotkey(text, save)

    def set_paused(self, paused: bool) -> None:
        self._notify_problem(self.hotkeys.set_paused(paused))

    def _notify_problem(self, problem: str) -> None:
        if problem:
            self.notify(problem)

    def notify(self, message: str) -> None:
        events.log("notice", problem=message)
        if self.tray.isVisible() and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage("Hushwrite", message, QSystemTrayIcon.MessageIcon.Information, 8000)

    def quit(self) -> None:
        self.close()
        self.quit_requested.emit()
        QApplication.quit()

    def close(self) -> None:
        self.flow.close()
        self.hotkeys.close()
        self.server.close()
        self.tray.hide()


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

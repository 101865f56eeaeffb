"""The tray's global hotkey over its lifetime: start the platform backend (app/tray/hotkey.py
picks it), register the key from the tray settings, change it, pause it, say what went wrong.

    hotkeys = HotkeyManager(settings, parent)    # settings: app.settings.TraySettings
    hotkeys.activated.connect(...)               # the hotkey was pressed
    problem = hotkeys.start()                    # "" or a message for the user
    problem = hotkeys.set_hotkey("Ctrl+Alt+K")   # a conflict or a bad key comes back as text
"""

from __future__ import annotations

from . import events
from .hotkey import Hotkey, HotkeyError, HotkeyUnsupported, create_hotkey
from ..qt import QObject, Signal


class HotkeyManager(QObject):
    activated = Signal()
    registered = Signal(str)  # the hotkey now in use, as text ("Ctrl+Alt+Space")

    def __init__(self, settings, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.backend = None
        self.problem = ""
        self.supported = True  # False where the desktop cannot have one (Wayland, no session)

    def start(self) -> str:
        """Create the platform backend and register the saved hotkey (unless paused)."""
        try:
            self.backend = create_hotkey(self)
            self.backend.activated.connect(self.activated.emit)
        except HotkeyUnsupported as exc:
            self.supported = False
            self.problem = str(exc)
            return self.problem
        except Exception as exc:  # e.g. the X server refused the connection
            self.problem = f"The global hotkey is not available ({exc}). Use `hushwrite quick` instead."
            return self.problem
        if self.settings.paused:
            return ""
        return self.set_hotkey(self.settings.hotkey, save=False)

    def set_hotkey(self, text: str, save: bool = True) -> str:
        """Register a new hotkey; returns "" or a message for the user (conflict, bad key)."""
        if self.backend is None:
            return self.problem or "There is no global hotkey on this desktop."
        if self.settings.paused:
            self.settings.hotkey = text
            return ""
        try:
            hk = Hotkey.parse(text)
            self.backend.register(hk)
        except HotkeyError as exc:
            self.problem = str(exc)
            return self.problem
        except Exception as exc:
            self.problem = f"The hotkey could not be set ({exc})."
            return self.problem
        self.problem = ""
        self.settings.hotkey = hk.text()
        self.registered.emit(hk.text())
        if save:
            self.settings.save_quietly()
        return ""

    def set_paused(self, paused: bool) -> str:
        """Pause or resume; returns "" or why the hotkey could not come back."""
        self.settings.paused = paused
        self.settings.save_quietly()
        if self.backend is None:
            return ""
        if paused:
            events.log("paused")
            self.backend.unregister()
            return ""
        return self.set_hotkey(self.settings.hotkey, save=False)

    def close(self) -> None:
        if self.backend is not None:
            try:
                self.backend.close()
            except Exception:
                pass
            self.backend = None

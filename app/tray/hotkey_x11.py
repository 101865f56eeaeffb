"""X11 global hotkey: XGrabKey on the root window, by key code, with every lock-key combination.

Grabbing by key code (not keysym) is what makes non-Latin layouts work: the Space key or the
R key has the same code whichever layout is active. CapsLock, NumLock and ScrollLock add
modifier bits to key events, so the same key is grabbed under all 8 combinations of them.
If another program holds the grab, the server answers BadAccess: reported as a conflict.
"""

from __future__ import annotations

import itertools
import time

from Xlib import X, display as xdisplay, error as xerror

from . import x11
from .hotkey import Hotkey, HotkeyConflict, HotkeyError
from ..qt import QObject, QSocketNotifier, Signal

REPEAT_GUARD_SECONDS = 0.3  # a held-down hotkey autorepeats; one action per press


class X11Hotkey(QObject):
    activated = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._d = xdisplay.Display()  # its own connection: events never wait in a shared queue
        self._root = self._d.screen().root
        self._grabs: list[tuple[int, int]] = []
        self._keycode = 0
        self._mods = 0
        self._lock_mask = 0
        self._last = 0.0
        self._notifier = QSocketNotifier(self._d.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def register(self, hotkey: Hotkey) -> None:
        self.unregister()
        masks = x11.modifier_masks()
        keycode = x11.keycode_for(hotkey.key)
        if not keycode:
            raise HotkeyError(f"this keyboard has no {hotkey.key!r} key")
        mods = 0
        for m in hotkey.mods:
            mods |= masks[m]
        locks = [masks[k] for k in ("capslock", "numlock", "scrolllock") if k in masks]
        self._lock_mask = sum(locks)
        catcher = xerror.CatchError(xerror.BadAccess)
        grabs = []
        for n in range(len(locks) + 1):
            for combo in itertools.combinations(locks, n):
                m = mods | sum(combo)
                self._root.grab_key(keycode, m, True, X.GrabModeAsync, X.GrabModeAsync, onerror=catcher)
                grabs.append((keycode, m))
        self._d.sync()
        self._grabs = grabs
        if catcher.get_error():
            self.unregister()
            raise HotkeyConflict(f"{hotkey.text()} is already used by another application; choose another shortcut in Settings.")
        self._keycode, self._mods = keycode, mods
        self._drain()

    def unregister(self) -> None:
        for keycode, m in self._grabs:
            self._root.ungrab_key(keycode, m)
        if self._grabs:
            self._d.sync()
        self._grabs = []
        self._keycode = 0

    def _drain(self, *args) -> None:
        try:
            while self._d.pending_events():
                ev = self._d.next_event()
                if ev.type == X.KeyPress and ev.detail == self._keycode and (ev.state & ~self._lock_mask & 0xFF) == self._mods:
                    now = time.monotonic()
                    if now - self._last > REPEAT_GUARD_SECONDS:
                        self._last = now
                        self.activated.emit()
        except (xerror.XError, OSError, ConnectionError):
            self._notifier.setEnabled(False)

    def close(self) -> None:
        self.unregister()
        self._notifier.setEnabled(False)
        self._d.close()

"""macOS global hotkey: a Quartz event tap (CGEventTapCreate) listening for key-down events.

Virtual key codes on macOS (kVK_ANSI_*) name physical keys, so the hotkey does not depend on
the keyboard layout. The tap needs the Accessibility permission (System Settings > Privacy &
Security > Accessibility); without it CGEventTapCreate returns None and we say so. Needs
pyobjc-framework-Quartz (macOS builds only). Not testable on the Linux CI.
"""

from __future__ import annotations

import threading

from .hotkey import Hotkey, HotkeyError
from ..qt import QObject, Signal

KEY_CODES = {
    "space": 49, "Return": 36, "Tab": 48, "Escape": 53,
    "a": 0, "s": 1, "d": 2, "f": 3, "h": 4, "g": 5, "z": 6, "x": 7, "c": 8, "v": 9, "b": 11, "q": 12,
    "w": 13, "e": 14, "r": 15, "y": 16, "t": 17, "o": 31, "u": 32, "i": 34, "p": 35, "l": 37, "j": 38,
    "k": 40, "n": 45, "m": 46, "1": 18, "2": 19, "3": 20, "4": 21, "5": 23, "6": 22, "7": 26, "8": 28,
    "9": 25, "0": 29,
}
FLAG_BITS = {"shift": 1 << 17, "ctrl": 1 << 18, "alt": 1 << 19, "super": 1 << 20}
ALL_FLAGS = sum(FLAG_BITS.values())


class MacHotkey(QObject):
    activated = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._loop = None
        self._thread: threading.Thread | None = None

    def register(self, hotkey: Hotkey) -> None:
        import Quartz  # pyobjc-framework-Quartz

        self.unregister()
        if hotkey.key not in KEY_CODES:
            raise HotkeyError(f"the key {hotkey.key!r} is not supported for the hotkey on macOS")
        code = KEY_CODES[hotkey.key]
        flags = sum(FLAG_BITS[m] for m in hotkey.mods)

        def callback(proxy, etype, event, refcon):
            if etype == Quartz.kCGEventKeyDown:
                kc = Quartz.CGEventGetIntegerValueField(event, Quartz.kCGKeyboardEventKeycode)
                repeat = Quartz.CGEventGetIntegerValueField(event, Quartz.kCGKeyboardEventAutorepeat)
                if kc == code and (Quartz.CGEventGetFlags(event) & ALL_FLAGS) == flags and not repeat:
                    self.activated.emit()
                    return None  # swallow the hotkey
            return event

        tap = Quartz.CGEventTapCreate(
            Quartz.kCGSessionEventTap, Quartz.kCGHeadInsertEventTap, Quartz.kCGEventTapOptionDefault,
            Quartz.CGEventMaskBit(Quartz.kCGEventKeyDown), callback, None,
        )
        if tap is None:
            raise HotkeyError(
                "macOS did not allow Hushwrite to watch for its hotkey. Allow it in System Settings > "
                "Privacy & Security > Accessibility, then restart Hushwrite."
            )
        ready = threading.Event()

        def run() -> None:
            source = Quartz.CFMachPortCreateRunLoopSource(None, tap, 0)
            self._loop = Quartz.CFRunLoopGetCurrent()
            Quartz.CFRunLoopAddSource(self._loop, source, Quartz.kCFRunLoopCommonModes)
            Quartz.CGEventTapEnable(tap, True)
            ready.set()
            Quartz.CFRunLoopRun()

        self._thread = threading.Thread(target=run, name="hushwrite-hotkey", daemon=True)
        self._thread.start()
        ready.wait(5)

    def unregister(self) -> None:
        if self._loop is not None:
            import Quartz

            Quartz.CFRunLoopStop(self._loop)
            self._loop = None
        if self._thread is not None:
            self._thread.join(2)
            self._thread = None

    def close(self) -> None:
        self.unregister()

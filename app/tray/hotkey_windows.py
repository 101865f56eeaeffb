"""Windows global hotkey: RegisterHotKey on a thread that runs its own message loop.

Keys are given as scan codes of the physical key (Space = 0x39, letters by QWERTY position),
turned into the current layout's virtual key with MapVirtualKeyW, so a Cyrillic or Greek
layout still fires on the same physical key. ERROR_HOTKEY_ALREADY_REGISTERED (1409) is a
conflict. Not testable on the Linux CI; written to the documented Win32 API.
"""

from __future__ import annotations

import ctypes
import threading
from ctypes import wintypes

from .hotkey import Hotkey, HotkeyConflict, HotkeyError
from ..qt import QObject, Signal

MOD_ALT, MOD_CONTROL, MOD_SHIFT, MOD_WIN, MOD_NOREPEAT = 0x1, 0x2, 0x4, 0x8, 0x4000
WM_HOTKEY, WM_QUIT = 0x0312, 0x0012
MAPVK_VSC_TO_VK = 1
ERROR_HOTKEY_ALREADY_REGISTERED = 1409
HOTKEY_ID = 0x4857  # "HW"
SCAN_CODES = {
    "space": 0x39, "Return": 0x1C, "Tab": 0x0F, "Escape": 0x01, "Insert": 0x52, "Delete": 0x53,
    **{c: 0x10 + i for i, c in enumerate("qwertyuiop")},
    **{c: 0x1E + i for i, c in enumerate("asdfghjkl")},
    **{c: 0x2C + i for i, c in enumerate("zxcvbnm")},
    **{str((i + 1) % 10): 0x02 + i for i in range(10)},
}
MOD_BITS = {"ctrl": MOD_CONTROL, "alt": MOD_ALT, "shift": MOD_SHIFT, "super": MOD_WIN}


def virtual_key(key: str) -> int:
    if key.startswith("F") and key[1:].isdigit():
        return 0x70 + int(key[1:]) - 1  # VK_F1..
    scan = SCAN_CODES.get(key)
    if scan is None:
        raise HotkeyError(f"the key {key!r} is not supported for the hotkey on Windows")
    return ctypes.windll.user32.MapVirtualKeyW(scan, MAPVK_VSC_TO_VK)


class WindowsHotkey(QObject):
    activated = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._thread: threading.Thread | None = None
        self._thread_id = 0

    def register(self, hotkey: Hotkey) -> None:
        self.unregister()
        mods = MOD_NOREPEAT
        for m in hotkey.mods:
            mods |= MOD_BITS[m]
        vk = virtual_key(hotkey.key)
        ready = threading.Event()
        outcome: dict = {}

        def loop() -> None:
            user32, kernel32 = ctypes.windll.user32, ctypes.windll.kernel32
            outcome["tid"] = kernel32.GetCurrentThreadId()
            if not user32.RegisterHotKey(None, HOTKEY_ID, mods, vk):
                outcome["error"] = ctypes.GetLastError()
                ready.set()
                return
            ready.set()
            msg = wintypes.MSG()
            while user32.GetMessageW(ctypes.byref(msg), None, 0, 0) > 0:
                if msg.message == WM_HOTKEY and msg.wParam == HOTKEY_ID:
                    self.activated.emit()  # queued to the GUI thread by Qt
            user32.UnregisterHotKey(None, HOTKEY_ID)

        self._thread = threading.Thread(target=loop, name="hushwrite-hotkey", daemon=True)
        self._thread.start()
        ready.wait(5)
        self._thread_id = outcome.get("tid", 0)
        if "error" in outcome:
            self._thread = None
            if outcome["error"] == ERROR_HOTKEY_ALREADY_REGISTERED:
                raise HotkeyConflict(f"{hotkey.text()} is already used by another application; choose another shortcut in Settings.")
            raise HotkeyError(f"Windows refused the hotkey {hotkey.text()} (error {outcome['error']}).")

    def unregister(self) -> None:
        if self._thread is not None and self._thread_id:
            ctypes.windll.user32.PostThreadMessageW(self._thread_id, WM_QUIT, 0, 0)
            self._thread.join(2)
        self._thread = None
        self._thread_id = 0

    def close(self) -> None:
        self.unregister()

"""What capture and paste-back need from the desktop, per platform: which window has the
keyboard, giving it back, which modifier keys are still held, and simulated copy / paste."""

from __future__ import annotations

from .hotkey import session_kind

# Terminals paste with Ctrl+Shift+V (Ctrl+V means something else there).
TERMINALS = ("terminal", "konsole", "kitty", "alacritty", "wezterm", "tilix", "terminator", "foot", "urxvt")


class X11Keys:
    def __init__(self):
        from . import x11

        self.x = x11

    def focused_window(self) -> int:
        return self.x.focused_window()

    def request_focus(self, window: int) -> None:
        self.x.request_focus(window)

    def focus_matches(self, window: int) -> bool:
        return self.x.focus_matches(window)

    def held_modifiers(self) -> list[int]:
        return self.x.pressed_modifiers()

    def release(self, held: list[int]) -> None:
        self.x.release_keys(held)

    def send_copy(self, window: int) -> None:
        self.x.send_combo("Control_L", "c")

    def send_paste(self, window: int) -> None:
        cls = self.x.window_class(window).lower()
        if any(t in cls for t in TERMINALS):
            self._ctrl_shift("v")
        else:
            self.x.send_combo("Control_L", "v")

    def _ctrl_shift(self, key: str) -> None:
        from Xlib import X, XK
        from Xlib.ext import xtest

        d = self.x.conn()
        codes = [d.keysym_to_keycode(XK.string_to_keysym(s)) for s in ("Control_L", "Shift_L")] + [self.x.keycode_for(key)]
        for kc in codes:
            xtest.fake_input(d, X.KeyPress, kc)
        for kc in reversed(codes):
            xtest.fake_input(d, X.KeyRelease, kc)
        d.sync()


class WindowsKeys:
    def __init__(self):
        from . import hotkey_windows as w

        self.w = w

    def focused_window(self) -> int:
        return self.w.foreground_window()

    def request_focus(self, window: int) -> None:
        self.w.focus_window(window)

    def focus_matches(self, window: int) -> bool:
        return self.w.foreground_window() == window

    def held_modifiers(self) -> list[int]:
        import ctypes

        return [vk for vk in (0x10, 0x11, 0x12, 0x5B, 0x5C) if ctypes.windll.user32.GetAsyncKeyState(vk) & 0x8000]

    def release(self, held: list[int]) -> None:
        import ctypes

        for vk in held:
            ctypes.windll.user32.keybd_event(vk, 0, 0x2, 0)

    def send_copy(self, window: int) -> None:
        self.w.send_ctrl("c")

    def send_paste(self, window: int) -> None:
        self.w.send_ctrl("v")


class NoKeys:
    """Wayland or unknown: no key simulation and no window focus control. Capture uses what
    the selection / clipboard already hold; paste back is left to the user."""

    def focused_window(self) -> int:
        return 0

    def request_focus(self, window: int) -> None:
        pass

    def focus_matches(self, window: int) -> bool:
        return False

    def held_modifiers(self) -> list[int]:
        return []

    def release(self, held: list[int]) -> None:
        pass

    def send_copy(self, window: int) -> None:
        raise OSError("this desktop does not allow simulated key presses")

    def send_paste(self, window: int) -> None:
        raise OSError("this desktop does not allow simulated key presses")

    can_type = False


X11Keys.can_type = True
WindowsKeys.can_type = True


def platform_keys():
    kind = session_kind()
    if kind == "x11":
        return X11Keys()
    if kind == "windows":
        return WindowsKeys()
    return NoKeys()  # macOS: CGEventPost is the way; not yet written (see docs/tray.md)

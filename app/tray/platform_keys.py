"""What capture and paste-back need from the desktop, per platform: which window has the
keyboard, giving it back, which modifier keys are still held, and simulated copy / paste.

    keys = platform_keys()
    keys.can_type                      # False: no simulated keys here (capture reads what is there)
    keys.focused_window() -> int       keys.request_focus(window)     keys.focus_matches(window)
    keys.held_modifiers() -> [codes]   keys.release(codes)
    keys.send_copy(window)             keys.send_paste(window)

X11: the module app/tray/x11.py (XTEST); Windows: app/tray/keys_windows.py; elsewhere NoKeys.
"""

from __future__ import annotations

from .hotkey import session_kind


class NoKeys:
    """Wayland or unknown: no key simulation and no window focus control. Capture uses what
    the selection / clipboard already hold; paste back is left to the user."""

    can_type = False

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


def platform_keys():
    kind = session_kind()
    if kind == "x11":
        from . import x11

        return x11
    if kind == "windows":
        from . import keys_windows

        return keys_windows
    return NoKeys()  # macOS: CGEventPost is the way; not yet written (see docs/tray.md)

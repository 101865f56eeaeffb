"""The Windows desktop-keys object that capture and paste-back use (see platform_keys.py):
which window has the keyboard, giving it back, held modifiers, and Ctrl+C / Ctrl+V sent with
keybd_event by physical key position. Not testable on the Linux CI; written to the Win32 API."""

from __future__ import annotations

import ctypes

from .hotkey_windows import virtual_key

can_type = True
KEYEVENTF_KEYUP = 0x2
VK_CONTROL = 0x11
MODIFIER_VKS = (0x10, 0x11, 0x12, 0x5B, 0x5C)  # Shift, Ctrl, Alt, left and right Windows keys


def focused_window() -> int:
    return int(ctypes.windll.user32.GetForegroundWindow() or 0)


def request_focus(hwnd: int) -> None:
    ctypes.windll.user32.SetForegroundWindow(hwnd)


def focus_matches(hwnd: int) -> bool:
    return focused_window() == hwnd


def held_modifiers() -> list[int]:
    return [vk for vk in MODIFIER_VKS if ctypes.windll.user32.GetAsyncKeyState(vk) & 0x8000]


def release(held: list[int]) -> None:
    for vk in held:
        ctypes.windll.user32.keybd_event(vk, 0, KEYEVENTF_KEYUP, 0)


def send_ctrl(key: str) -> None:
    """Ctrl+<key> with keybd_event (key by physical position)."""
    user32 = ctypes.windll.user32
    vk = virtual_key(key)
    user32.keybd_event(VK_CONTROL, 0, 0, 0)
    user32.keybd_event(vk, 0, 0, 0)
    user32.keybd_event(vk, 0, KEYEVENTF_KEYUP, 0)
    user32.keybd_event(VK_CONTROL, 0, KEYEVENTF_KEYUP, 0)


def send_copy(hwnd: int) -> None:
    send_ctrl("c")


def send_paste(hwnd: int) -> None:
    send_ctrl("v")

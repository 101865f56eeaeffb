"""The global hotkey: parsing ("Ctrl+Alt+Space"), platform choice, and the plain Wayland answer.

Every backend works by key code / virtual key / scan position, never by the character a layout
produces, so the hotkey works the same with Russian, Greek, Arabic or any other layout:
- X11: python-xlib key grab on the root window (hotkey_x11.py), tested under Xvfb.
- Windows: RegisterHotKey (hotkey_windows.py). macOS: a Quartz event tap (hotkey_macos.py).
- Wayland: compositors do not let applications grab keys. We say so, and offer
  `hushwrite quick`, a command the user binds to a shortcut in their desktop's settings.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

DEFAULT_HOTKEY = "Ctrl+Alt+Space"
MODIFIERS = {"ctrl": "ctrl", "control": "ctrl", "alt": "alt", "option": "alt", "shift": "shift",
             "super": "super", "win": "super", "meta": "super", "cmd": "super", "command": "super"}
KEY_ALIASES = {"space": "space", "enter": "Return", "return": "Return", "tab": "Tab", "esc": "Escape",
               "escape": "Escape", "ins": "Insert", "insert": "Insert", "del": "Delete", "delete": "Delete",
               "home": "Home", "end": "End", "pgup": "Prior", "pageup": "Prior", "pgdown": "Next", "pagedown": "Next"}

WAYLAND_MESSAGE = (
    "Your desktop runs on Wayland, which does not let applications use global hotkeys. "
    "Add a keyboard shortcut in your desktop's settings (for example Ctrl+Alt+Space) that runs:\n\n"
    "    hushwrite quick\n\n"
    "It opens the same quick rewrite for the text you have selected."
)


class HotkeyError(Exception):
    """A hotkey problem the user can act on; the message is shown as is."""


class HotkeyConflict(HotkeyError):
    pass


class HotkeyUnsupported(HotkeyError):
    pass


@dataclass(frozen=True)
class Hotkey:
    mods: frozenset[str]
    key: str  # X keysym-style name: "space", "r", "F5", "Return"

    @classmethod
    def parse(cls, text: str) -> "Hotkey":
        parts = [p.strip() for p in (text or "").replace(" ", "").split("+")]
        if not parts or not parts[-1]:
            # "Ctrl+Alt++" would mean the plus key; we do not offer it
            raise HotkeyError(f"{text!r} is not a shortcut; write it like Ctrl+Alt+Space")
        mods = set()
        for p in parts[:-1]:
            m = MODIFIERS.get(p.lower())
            if m is None:
                raise HotkeyError(f"{p!r} is not a modifier key (use Ctrl, Alt, Shift or Super)")
            mods.add(m)
        key = parts[-1]
        if key.lower() in MODIFIERS:
            raise HotkeyError(f"{text!r} has no key besides modifiers")
        key = KEY_ALIASES.get(key.lower(), key.lower() if len(key) == 1 else key)
        if not mods and not (key.startswith("F") and key[1:].isdigit()):
            raise HotkeyError(f"{text!r} needs at least one of Ctrl, Alt, Shift or Super")
        return cls(frozenset(mods), key)

    def text(self) -> str:
        order = ["ctrl", "alt", "shift", "super"]
        names = {"ctrl": "Ctrl", "alt": "Alt", "shift": "Shift", "super": "Super"}
        key = {"space": "Space", "Prior": "PgUp", "Next": "PgDown"}.get(self.key, self.key.upper() if len(self.key) == 1 else self.key)
        return "+".join([names[m] for m in order if m in self.mods] + [key])


def session_kind(env=None, platform: str | None = None) -> str:
    """'x11', 'wayland', 'windows', 'macos' or 'unknown' for this desktop session."""
    env = os.environ if env is None else env
    platform = platform or sys.platform
    if platform.startswith("win"):
        return "windows"
    if platform == "darwin":
        return "macos"
    # Under XWayland DISPLAY is set too, but an X grab only sees keys typed into X windows.
    if env.get("XDG_SESSION_TYPE", "").lower() == "wayland" or env.get("WAYLAND_DISPLAY"):
        return "wayland"
    if env.get("DISPLAY"):
        return "x11"
    return "unknown"


def create_hotkey(parent=None):
    """The global-hotkey object for this platform: a QObject with `activated` (signal),
    `register(Hotkey)` (raises HotkeyError/HotkeyConflict) and `unregister()`.
    Raises HotkeyUnsupported (with WAYLAND_MESSAGE on Wayland) when there can be none."""
    kind = session_kind()
    if kind == "x11":
        from .hotkey_x11 import X11Hotkey

        return X11Hotkey(parent)
    if kind == "windows":
        from .hotkey_windows import WindowsHotkey

        return WindowsHotkey(parent)
    if kind == "macos":
        from .hotkey_macos import MacHotkey

        return MacHotkey(parent)
    if kind == "wayland":
        raise HotkeyUnsupported(WAYLAND_MESSAGE)
    raise HotkeyUnsupported("No graphical session was found, so there is no global hotkey; use `hushwrite quick`.")

"""Small X11 helpers over python-xlib: one connection, which window has focus, refocusing it,
and synthetic key presses (XTEST) addressed by key code, so any keyboard layout works.

This module is also the X11 desktop-keys object that capture and paste-back use (see
platform_keys.py): can_type, focused_window, request_focus, focus_matches, held_modifiers,
release, send_copy, send_paste."""

from __future__ import annotations

from Xlib import X, XK, display as xdisplay, error as xerror
from Xlib.ext import xtest
from Xlib.protocol import event as xevent

can_type = True  # XTEST can simulate key presses
# Terminals paste with Ctrl+Shift+V (Ctrl+V means something else there).
TERMINALS = ("terminal", "konsole", "kitty", "alacritty", "wezterm", "tilix", "terminator", "foot", "urxvt")

# Key positions on a PC keyboard (evdev code + 8): used when the current layout has no Latin
# keysym for a letter (e.g. a Cyrillic-only keymap), so "Ctrl+C" still means the C key.
POSITION_KEYCODES = {
    **{c: 24 + i for i, c in enumerate("qwertyuiop")},
    **{c: 38 + i for i, c in enumerate("asdfghjkl")},
    **{c: 52 + i for i, c in enumerate("zxcvbnm")},
    **{str((i + 1) % 10): 10 + i for i in range(10)},
    "space": 65,
}
MODIFIER_KEYSYMS = ("Control_L", "Control_R", "Alt_L", "Alt_R", "Shift_L", "Shift_R",
                    "Super_L", "Super_R", "Meta_L", "Meta_R", "ISO_Level3_Shift")

_conn = None


def conn() -> xdisplay.Display:
    """The tray's own X connection (separate from Qt's), opened on first use."""
    global _conn
    if _conn is None:
        _conn = xdisplay.Display()
    return _conn


def keycode_for(name: str) -> int:
    """The key code for a key name ("space", "c", "F5", "Return"); by position for letters
    the current layout does not have."""
    d = conn()
    low = name.lower() if len(name) == 1 else name
    keysym = XK.string_to_keysym(low) or XK.string_to_keysym(name) or XK.string_to_keysym(name.lower())
    code = d.keysym_to_keycode(keysym) if keysym else 0
    if not code:
        code = POSITION_KEYCODES.get(name.lower(), 0)
    return code


def modifier_masks() -> dict[str, int]:
    """Which modifier bit Alt, Super, NumLock and ScrollLock sit on in this server's mapping."""
    d = conn()
    wanted = {"Alt_L": "alt", "Alt_R": "alt", "Meta_L": "alt", "Super_L": "super", "Super_R": "super",
              "Num_Lock": "numlock", "Scroll_Lock": "scrolllock"}
    codes = {}
    for sym, role in wanted.items():
        kc = d.keysym_to_keycode(XK.string_to_keysym(sym))
        if kc:
            codes.setdefault(kc, role)
    found = {"ctrl": X.ControlMask, "shift": X.ShiftMask, "capslock": X.LockMask}
    for index, keycodes in enumerate(d.get_modifier_mapping()):
        for kc in keycodes:
            role = codes.get(kc)
            if role and index >= 3 and role not in found:
                found[role] = 1 << index
    found.setdefault("alt", X.Mod1Mask)
    found.setdefault("super", X.Mod4Mask)
    found.setdefault("numlock", X.Mod2Mask)
    return found


def focused_window() -> int:
    """The window that has the keyboard now: the WM's active window if it tells, else the X focus."""
    d = conn()
    root = d.screen().root
    net_active = d.intern_atom("_NET_ACTIVE_WINDOW")
    try:
        prop = root.get_full_property(net_active, X.AnyPropertyType)
        if prop is not None and prop.value and prop.value[0]:
            return int(prop.value[0])
    except xerror.XError:
        pass
    focus = d.get_input_focus().focus
    return int(focus) if isinstance(focus, int) else int(focus.id)


def focus_matches(window_id: int) -> bool:
    return window_id != 0 and focused_window() in _family(window_id)


def _family(window_id: int) -> set[int]:
    """The window and its children (the X focus may sit on a child of the top-level)."""
    d = conn()
    ids = {window_id}
    try:
        for child in d.create_resource_object("window", window_id).query_tree().children:
            ids.add(child.id)
    except xerror.XError:
        pass
    return ids


def request_focus(window_id: int) -> None:
    """Ask for the keyboard back for `window_id`: through the window manager when there is one
    (_NET_ACTIVE_WINDOW), else directly."""
    d = conn()
    root = d.screen().root
    win = d.create_resource_object("window", window_id)
    supported = root.get_full_property(d.intern_atom("_NET_SUPPORTED"), X.AnyPropertyType)
    net_active = d.intern_atom("_NET_ACTIVE_WINDOW")
    if supported is not None and net_active in list(supported.value):
        ev = xevent.ClientMessage(window=win, client_type=net_active, data=(32, [2, X.CurrentTime, 0, 0, 0]))
        root.send_event(ev, event_mask=X.SubstructureRedirectMask | X.SubstructureNotifyMask)
    else:
        try:
            win.set_input_focus(X.RevertToParent, X.CurrentTime)
        except xerror.XError:
            pass
    d.sync()


def held_modifiers() -> list[int]:
    """Key codes of modifier keys held down right now."""
    d = conn()
    keymap = d.query_keymap()
    held = []
    for sym in MODIFIER_KEYSYMS:
        kc = d.keysym_to_keycode(XK.string_to_keysym(sym))
        if kc and keymap[kc // 8] & (1 << (kc % 8)):
            held.append(kc)
    return held


def release(keycodes: list[int]) -> None:
    """Release these keys (XTEST), e.g. the hotkey's modifiers the user still holds."""
    d = conn()
    for kc in keycodes:
        xtest.fake_input(d, X.KeyRelease, kc)
    d.sync()


def send_combo(*modifiers: str, key: str) -> None:
    """Press modifiers+key and release them with XTEST, by key code (e.g. "Control_L", key="c")."""
    d = conn()
    codes = [d.keysym_to_keycode(XK.string_to_keysym(m)) for m in modifiers] + [keycode_for(key)]
    if not all(codes):
        raise OSError(f"no key code for {'+'.join(modifiers)}+{key}")
    for kc in codes:
        xtest.fake_input(d, X.KeyPress, kc)
    for kc in reversed(codes):
        xtest.fake_input(d, X.KeyRelease, kc)
    d.sync()


def send_copy(window_id: int) -> None:
    send_combo("Control_L", key="c")


def send_paste(window_id: int) -> None:
    """Ctrl+V, or Ctrl+Shift+V in a terminal (where Ctrl+V means something else)."""
    if any(t in window_class(window_id).lower() for t in TERMINALS):
        send_combo("Control_L", "Shift_L", key="v")
    else:
        send_combo("Control_L", key="v")


def window_class(window_id: int) -> str:
    """WM_CLASS of the window (to pick Shift+Insert for terminals); "" when unknown."""
    try:
        wc = conn().create_resource_object("window", window_id).get_wm_class()
        return " ".join(wc) if wc else ""
    except xerror.XError:
        return ""

"""Hotkey parsing, Wayland detection, autostart entries and the inline diff — no X server needed."""

from __future__ import annotations

import plistlib

import pytest

from app.tray import autostart
from app.tray.diff import diff_ops, inline_diff_html
from app.tray.hotkey import WAYLAND_MESSAGE, Hotkey, HotkeyError, HotkeyUnsupported, create_hotkey, session_kind


def test_hotkey_parse_and_text():
    hk = Hotkey.parse("ctrl + alt + space")
    assert hk == Hotkey(frozenset({"ctrl", "alt"}), "space")
    assert hk.text() == "Ctrl+Alt+Space"
    assert Hotkey.parse("Super+Shift+R") == Hotkey(frozenset({"super", "shift"}), "r")
    assert Hotkey.parse("F9").key == "F9"


@pytest.mark.parametrize("bad", ["", "Ctrl+Alt", "Hyper+X", "R", "Ctrl+"])
def test_hotkey_parse_rejects_with_a_message(bad):
    with pytest.raises(HotkeyError) as info:
        Hotkey.parse(bad)
    assert str(info.value)


def test_wayland_is_detected_even_with_xwayland_display():
    assert session_kind({"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}, "linux") == "wayland"
    assert session_kind({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "linux") == "wayland"
    assert session_kind({"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}, "linux") == "x11"
    assert session_kind({}, "win32") == "windows"
    assert session_kind({}, "darwin") == "macos"


def test_wayland_gets_the_plain_message_and_the_quick_command(monkeypatch):
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    with pytest.raises(HotkeyUnsupported) as info:
        create_hotkey()
    assert str(info.value) == WAYLAND_MESSAGE
    assert "hushwrite quick" in WAYLAND_MESSAGE and "Wayland" in WAYLAND_MESSAGE


def test_xdg_autostart_enable_disable(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    argv = ["/opt/Hush write/hushwrite", "--tray"]
    assert not autostart.is_enabled()
    path = autostart.enable(argv)
    assert path == tmp_path / "autostart" / "hushwrite.desktop"
    entry = path.read_text()
    assert entry.startswith("[Desktop Entry]\n") and "Type=Application" in entry
    exec_line = next(line for line in entry.splitlines() if line.startswith("Exec="))[5:]
    assert autostart.parse_exec(exec_line) == argv
    assert autostart.is_enabled()
    autostart.disable()
    assert not autostart.is_enabled() and not path.exists()
    autostart.disable()  # already off: no error


def test_launch_agent_and_run_key_formats():
    argv = ["/Applications/Hushwrite.app/Contents/MacOS/hushwrite", "--tray"]
    plist = plistlib.loads(autostart.launch_agent_plist(argv))
    assert plist["ProgramArguments"] == argv and plist["RunAtLoad"] is True and plist["Label"] == "org.hushwrite.tray"
    assert autostart.windows_run_value([r"C:\Program Files\Hushwrite\hushwrite.exe", "--tray"]) == (
        r'"C:\Program Files\Hushwrite\hushwrite.exe" --tray'
    )


def test_inline_diff_marks_removed_and_inserted_words():
    ops = diff_ops("I has a apple.", "I have an apple.")
    assert ("-", "has") in ops and ("+", "have") in ops and ("-", "a") in ops and ("+", "an") in ops
    html = inline_diff_html("a <b> & c", "a <b> & d")
    assert "&lt;b&gt;" in html and "line-through" in html and ">d<" in html

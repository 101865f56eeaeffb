"""app/tray/hotkey_manager.py on a real X server: register, conflict, pause (the grab is really
released and the choice saved in tray.json), a bad key, a press reaching the manager, and a
session with no global hotkey at all."""

from __future__ import annotations

import pytest

from app.settings import TraySettings
from app.tray import x11
from app.tray.hotkey_manager import HotkeyManager


@pytest.fixture()
def on_xserver(xserver, monkeypatch, tmp_path):
    monkeypatch.setenv("DISPLAY", xserver.display)
    monkeypatch.setenv("HUSHWRITE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("XDG_SESSION_TYPE", raising=False)
    monkeypatch.setattr(x11, "_conn", None)  # the helpers' own connection goes to this server
    yield xserver
    if x11._conn is not None:
        x11._conn.close()


def test_register_conflict_pause_and_resume(on_xserver, qtbot, tmp_path):
    first = HotkeyManager(TraySettings())
    second = HotkeyManager(TraySettings())
    registered = []
    first.registered.connect(registered.append)
    try:
        assert first.start() == "" and first.supported
        assert registered == ["Ctrl+Alt+Space"]
        problem = second.start()
        assert "Ctrl+Alt+Space is already used by another application" in problem and second.problem == problem


        first.set_paused(True)
        assert TraySettings.load(tmp_path / "tray.json").paused is True
        assert second.set_hotkey("Ctrl+Alt+Space", save=False) == ""  # the paused grab was released
        with qtbot.waitSignal(second.activated, timeout=10_000):
            on_xserver.key("ctrl+alt+space")

        assert "already used" in first.set_paused(False)  # resuming finds the key taken now
        assert TraySettings.load(tmp_path / "tray.json").paused is False
    finally:
        first.close()
        second.close()


def test_a_bad_key_is_reported_and_the_old_one_kept(on_xserver):
    manager = HotkeyManager(TraySettings())
    try:
        assert manager.start() == ""
        problem = manager.set_hotkey("Hyper+X")
        assert problem and manager.problem == problem
        assert manager.settings.hotkey == "Ctrl+Alt+Space"
    finally:
        manager.close()


def test_no_graphical_session_means_no_hotkey(monkeypatch, qapp):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"):
        monkeypatch.delenv(name, raising=False)
    manager = HotkeyManager(TraySettings())
    problem = manager.start()
    assert "No graphical session" in problem and "hushwrite quick" in problem
    assert manager.supported is False and manager.backend is None
    assert manager.set_hotkey("Ctrl+Alt+K") == problem  # nothing to register with
    manager.close()

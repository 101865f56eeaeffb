"""app/settings.py, the settings model: the window's and the tray's settings live side by side in
the config folder, round-trip through their files, and a folder that cannot be written costs
the session nothing (save_quietly)."""

from __future__ import annotations

import json

import pytest

from app.settings import Settings, TraySettings


def test_both_files_sit_in_the_config_folder_and_round_trip(tmp_path, monkeypatch):
    monkeypatch.setenv("HUSHWRITE_DATA_DIR", str(tmp_path))
    assert Settings.path() == tmp_path / "settings.json"
    assert TraySettings.path() == tmp_path / "tray.json"
    Settings(theme="dark", threads=3).save()
    TraySettings(hotkey="Ctrl+Alt+K", paused=True).save()
    assert Settings.load() == Settings(theme="dark", threads=3)
    assert TraySettings.load() == TraySettings(hotkey="Ctrl+Alt+K", paused=True)
    assert json.loads((tmp_path / "tray.json").read_text())["hotkey"] == "Ctrl+Alt+K"


def test_save_quietly_keeps_going_where_the_folder_cannot_be_made(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("HUSHWRITE_DATA_DIR", str(blocker / "config"))
    settings = TraySettings(paused=True)
    with pytest.raises(OSError):
        settings.save()
    settings.save_quietly()  # the change holds for this session only
    assert settings.paused is True and TraySettings.load() == TraySettings()

"""The tray's own settings (hotkey, paused, last tool), in config_dir()/tray.json.

Kept apart from app/settings.py so the tray never depends on fields the main window owns.
A missing or damaged file gives the defaults.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from ..settings import read_json, write_json
from .hotkey import DEFAULT_HOTKEY
from ..context import DEFAULT_TOOL


@dataclass
class TraySettings:
    hotkey: str = DEFAULT_HOTKEY
    paused: bool = False
    last_tool: str = DEFAULT_TOOL
    capture_timeout: float = 2.0  # seconds to wait for a slow app to answer the simulated copy

    @staticmethod
    def path() -> Path:
        from engine.paths import config_dir

        return config_dir() / "tray.json"

    @classmethod
    def load(cls, path: Path | None = None) -> "TraySettings":
        return read_json(cls, path or cls.path())

    def save(self, path: Path | None = None) -> None:
        write_json(path or self.path(), asdict(self))

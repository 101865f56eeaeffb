"""The tray's own settings (hotkey, paused, last tool), in config_dir()/tray.json.

Kept apart from app/settings.py so the tray never depends on fields the main window owns.
A missing or damaged file gives the defaults.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from ..settings import write_json
from .hotkey import DEFAULT_HOTKEY
from .tools import DEFAULT_TOOL


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
        try:
            data = json.loads((path or cls.path()).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        base = cls()
        ok = {f.name for f in fields(cls)}
        clean = {}
        for k, v in (data.items() if isinstance(data, dict) else ()):
            if k in ok and isinstance(v, (type(getattr(base, k)), int) if k == "capture_timeout" else type(getattr(base, k))):
                clean[k] = v
        return cls(**clean)

    def save(self, path: Path | None = None) -> None:
        write_json(path or self.path(), asdict(self))

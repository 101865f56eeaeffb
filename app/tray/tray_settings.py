"""The tray's own settings (hotkey, paused, last tool), in config_dir()/tray.json.

Kept apart from app/settings.py so the tray never depends on fields the main window owns.
A missing or damaged file gives the defaults.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

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
        path = path or self.path()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        os.replace(tmp, path)

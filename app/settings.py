"""The settings model: what the user chose, persisted as JSON in engine.paths.config_dir().

    Settings       settings.json   the model file, its load options, theme, engine location
    TraySettings   tray.json       the tray's hotkey, pause, last quick tool, capture timeout

Plain dataclasses, so the tray and tests read them without a QApplication; the dialogs that
edit them are in app/dialogs/settings.py. A missing or damaged file gives the defaults.
The tray's settings are a file of their own so the tray never depends on the window's fields.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from engine.paths import config_dir

from .tray.hotkey import DEFAULT_HOTKEY

DEFAULT_TOOL = "proofread"  # the quick tool the tray starts with until the user picks another


class JsonSettings:
    """Load / save for a settings dataclass kept in config_dir()/FILE_NAME."""

    FILE_NAME = ""

    @classmethod
    def path(cls) -> Path:
        return config_dir() / cls.FILE_NAME

    @classmethod
    def load(cls, path: Path | None = None):
        """Read the settings; a missing or damaged file gives the defaults (never an exception)."""
        return read_json(cls, path or cls.path())

    def save(self, path: Path | None = None) -> None:
        write_json(path or self.path(), asdict(self))

    def save_quietly(self) -> None:
        """save(), except that a read-only config folder only means the change holds for this session."""
        try:
            self.save()
        except OSError:
            pass


@dataclass
class Settings(JsonSettings):
    FILE_NAME = "settings.json"

    model_path: str = ""  # "" = the embedded default model
    threads: int = 0  # 0 = physical cores
    n_ctx: int = 4096
    gpu_layers: str = "auto"  # "auto" or a whole number
    flash_attn: str = "auto"  # "auto" (the fastest measured on this machine) | "on" | "off"
    theme: str = "system"  # "system" | "light" | "dark"
    live_check: bool = True  # underline mistakes while typing (app/live_check.py)
    engine_url: str = ""  # "" = this computer; else the user's server (its key: keyring/store, never here)
    engine_model: str = ""  # the server's model ("" = its first)
    engine_slots: int = 0  # requests at once (0 = the server's slots, else 4)

    def load_options(self) -> dict:
        """Keyword arguments for engine.runtime.LoadOptions."""
        gpu: int | str = self.gpu_layers.strip() or "auto"
        if gpu != "auto":
            try:
                gpu = int(gpu)
            except ValueError:
                gpu = "auto"
        flash = {"on": True, "off": False}.get(self.flash_attn)  # None: calibrated
        # "background": with no calibration cached for this model + machine, the engine measures
        # one while it is idle (engine.calibrate_state)
        return {"n_ctx": int(self.n_ctx), "n_threads": int(self.threads) or None, "n_gpu_layers": gpu,
                "flash_attn": flash, "calibration": "background"}

    def model_key(self) -> tuple:
        """What the loaded model depends on: a change here means a reload."""
        return (self.model_path, self.threads, self.n_ctx, self.gpu_layers, self.flash_attn,
                self.engine_url, self.engine_model, self.engine_slots)


@dataclass
class TraySettings(JsonSettings):
    FILE_NAME = "tray.json"

    hotkey: str = DEFAULT_HOTKEY
    paused: bool = False
    last_tool: str = DEFAULT_TOOL
    # the last tool runs as soon as the popup opens; False: the popup waits for a choice, and the
    # model starts on the text meanwhile (prefill)
    start_last_tool: bool = True
    capture_timeout: float = 2.0  # seconds to wait for a slow app to answer the simulated copy


def read_json(cls, path: Path):
    """A settings dataclass from a JSON file: fields with the wrong type or unknown names are
    ignored (their defaults stay), and a missing or damaged file gives all the defaults. An int
    is accepted where the default is a float."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return cls()
    defaults = cls()
    names = {f.name for f in fields(cls)}
    clean = {}
    for key, value in data.items() if isinstance(data, dict) else ():
        if key not in names:
            continue
        want = type(getattr(defaults, key))
        ok = isinstance(value, want) and not (isinstance(value, bool) and want is not bool)  # True is an int
        if ok or (want is float and type(value) is int):
            clean[key] = value
    return cls(**clean)


def write_json(path: Path, data: dict) -> None:
    """Write a settings file atomically (a crash leaves the old file or the new one, never half)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    os.replace(tmp, path)

"""Which models have crashed the model runtime on this machine, kept between runs.

A model that crashed the engine once is loaded with safe settings from then on (CPU only, no
extra buffer types, standard attention); one that crashed twice is not loaded automatically
when the app starts. Records are keyed on the model file and the llama.cpp binding's version
(a new llama.cpp gets a fresh chance). The file holds paths and counts only: nothing typed.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from .. import paths

FILE_NAME = "engine-crashes.json"
BLOCK_AFTER = 2


@dataclass
class CrashRecord:
    crashes: int = 0
    last: str = ""

    @property
    def safe(self) -> bool:
        return self.crashes >= 1

    @property
    def blocked(self) -> bool:
        return self.crashes >= BLOCK_AFTER


def _file() -> Path:
    return paths.config_dir() / FILE_NAME


def _runtime_version() -> str:
    try:
        from importlib.metadata import version

        return version("llama_cpp_python")
    except Exception:  # noqa: BLE001 - frozen builds may lack metadata
        return "unknown"


def model_key(path: str | os.PathLike[str] | None) -> str:
    if path is None:
        from ..model_files import default_model_path

        path = default_model_path()
    return f"{Path(path).expanduser().resolve()}|{_runtime_version()}"


def _read() -> dict:
    try:
        data = json.loads(_file().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write(data: dict) -> None:
    target = _file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # not being able to remember a crash must not cause another problem


def lookup(path) -> CrashRecord:
    entry = _read().get(model_key(path)) or {}
    return CrashRecord(int(entry.get("crashes", 0)), str(entry.get("last", "")))


def record_crash(path, description: str) -> CrashRecord:
    data = _read()
    key = model_key(path)
    entry = data.get(key) or {}
    entry["crashes"] = int(entry.get("crashes", 0)) + 1
    entry["last"] = description
    entry["when"] = time.strftime("%Y-%m-%d %H:%M:%S")
    data[key] = entry
    _write(data)
    return CrashRecord(entry["crashes"], description)


def forget(path) -> None:
    data = _read()
    if data.pop(model_key(path), None) is not None:
        _write(data)

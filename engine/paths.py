"""The one module that knows where Hushwrite keeps files (standard dirs via platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "hushwrite"


def data_dir() -> Path:
    """Per-user data dir; HUSHWRITE_DATA_DIR overrides it (portable installs, tests, scripts)."""
    override = os.environ.get("HUSHWRITE_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP, appauthor=False))
    return path


def config_dir() -> Path:
    override = os.environ.get("HUSHWRITE_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """Rebuildable caches of public data only (e.g. the spelling index); never anything personal.
    HUSHWRITE_CACHE_DIR overrides it; with HUSHWRITE_DATA_DIR set it lives in there."""
    override = os.environ.get("HUSHWRITE_CACHE_DIR")
    if override:
        return Path(override)
    data = os.environ.get("HUSHWRITE_DATA_DIR")
    if data:
        return Path(data) / "cache"
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def models_dir() -> Path:
    """Where users drop their own .gguf files; listed by `hushwrite models`."""
    return data_dir() / "models"


def store_path() -> Path:
    return data_dir() / "store.db"

"""The model runs in its own process (see client.py and child.py); this is the one way in.

    model = open_model(path, options)   # a Model living in a fresh engine process
"""

from __future__ import annotations

from . import crashes
from .client import EngineCrashed, EngineProcess, ProcessModel

__all__ = ["EngineCrashed", "EngineProcess", "ProcessModel", "open_model", "crashes"]


def open_model(path=None, options=None, engine: EngineProcess | None = None) -> ProcessModel:
    """Start an engine process (or reuse `engine`) and load `path` (None: the default model).
    A model that crashed the runtime before is loaded with safe settings, and says so."""
    from ..options import LoadOptions

    options = options or LoadOptions()
    record = crashes.lookup(path)
    if record.safe:
        options = LoadOptions.safe(options)
    engine = engine or EngineProcess.start()
    try:
        model = engine.load(path, options)
    except BaseException:
        engine.close()
        raise
    if record.safe:
        model.notes.append(f"safe settings (CPU only, no extra buffer types, flash attention off): "
                           f"this model crashed the runtime before ({record.last})")
    return model

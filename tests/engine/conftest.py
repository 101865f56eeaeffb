"""Fixtures for engine tests: broken model files made from the real one."""

from __future__ import annotations

import shutil

import pytest


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

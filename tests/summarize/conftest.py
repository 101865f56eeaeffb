"""A real default model with a small context, so documents split into several chunks quickly."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from engine.runtime import LoadOptions, load_model

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def model():
    m = load_model(None, LoadOptions(n_ctx=1024))
    yield m
    m.close()


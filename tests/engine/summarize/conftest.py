"""A real default model with a small context, so documents split into several chunks quickly."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from engine.runtime import LoadOptions, load_model

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def model():
    # HUSHWRITE_TEST_THREADS=1 runs faster on a crowded machine (two threads wait for each other)
    threads = int(os.environ.get("HUSHWRITE_TEST_THREADS", "0")) or None
    m = load_model(None, LoadOptions(n_ctx=1024, n_threads=threads))
    yield m
    m.close()


"""The real default model for the task tests, with one llama.cpp thread when the CPU is oversubscribed.

On a busy shared machine (load above the core count) two llama.cpp threads spin-wait on each other:
measured here at load ~16 on 2 cores, a batch of 6 short rewrites took 76.7 s with 2 threads and
3.9 s with 1. Same model, same context size as tests/conftest.py; only the thread count adapts.
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def model(default_model_path):
    from engine.runtime import LoadOptions, load_model

    busy = os.getloadavg()[0] > (os.cpu_count() or 1)
    m = load_model(default_model_path, LoadOptions(n_ctx=4096, n_threads=1 if busy else None))
    yield m
    m.close()

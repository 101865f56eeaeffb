"""Prefill through the engine process: the plan crosses the pipe, the reuse shows in the stats,
cancel_prefill is a frame the child acts on at once (the UI thread may send it)."""

from __future__ import annotations

import time

import pytest

from engine.model import GenerationStats
from engine.process import open_model
from engine.runtime import LoadOptions
from engine.tasks.prefill import prefixes, rewrite_prompt

SENTENCE = "Maria will present the findings to the board next Monday at ten."
from tests.engine.runtime.test_prefill import settle, start_decoding  # noqa: E402  (the same waits for both engines)

LONG = " ".join(f"Office {i} shipped {i + 3} orders before the deadline on Friday." for i in range(30))


@pytest.fixture()
def proc_model(data_dir, default_model_path):
    m = open_model(default_model_path, LoadOptions(n_ctx=1024, calibration="off"))
    yield m
    m.close()


def test_prefill_through_the_process_is_reused(proc_model):
    m = proc_model
    assert m.can_prefill
    heads = prefixes(m, SENTENCE, summary=False)
    assert m.prefill(heads) == {"prefixes": len(heads), "tokens": sum(len(h) for h in heads)}
    st = settle(m)
    assert st["state"] == "done" and st["slots"] == len(heads)
    prompt = rewrite_prompt(m, SENTENCE, "professional", 1)
    stats = GenerationStats()
    out = "".join(m.stream_tokens(prompt, 24, stats=stats))
    assert out.strip()
    assert stats.cached_tokens == max(len(h) for h in heads)


def test_cancel_prefill_frame_stops_it_at_once(proc_model):
    m = proc_model
    start_decoding(m, LONG)
    t0 = time.perf_counter()
    m.cancel_prefill()
    sent = time.perf_counter() - t0
    st = settle(m, timeout=10)
    assert sent < 0.05  # one frame, no reply waited for
    assert st["slots"] == 0 and st["state"] == "idle"
    assert time.perf_counter() - t0 < 2.0
    assert "".join(m.stream([{"role": "user", "content": "Say hello."}], max_tokens=8)).strip()

"""Prefill (engine/runtime/prefill.py) on the real default model: prefixes decoded ahead are reused
with the same greedy output, requests and cancels stop it, memory stays bounded."""

from __future__ import annotations

import time

import pytest

from engine.model import GenerationStats
from engine.runtime import LoadOptions, load_model
from engine.runtime.prefill import SHARE
from engine.tasks.prefill import prefixes, rewrite_prompt

SENTENCE = "The numbers show that sales in the northern region grew by twelve percent, while the south stayed flat."
OTHER = [{"role": "user", "content": "Name three colours of the rainbow."}]
LONG = " ".join(f"Report {i} says that the team in office {i} shipped {i + 3} orders before the deadline on Friday."
                for i in range(40))


def start_decoding(m, text: str) -> None:
    """Start a prefill of `text`'s prefixes and wait until it has decoded something."""
    m.prefill(prefixes(m, text))
    end = time.monotonic() + 30
    while m.prefill_status()["decoded_tokens"] == 0 and time.monotonic() < end:
        time.sleep(0.01)


def settle(m, timeout: float = 120.0) -> dict:
    """Wait until the prefill thread has nothing left to do; its status."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        st = m.prefill_status()
        if st["state"] in ("done", "idle", "failed"):
            return st
        time.sleep(0.02)
    raise AssertionError(f"prefill did not settle: {m.prefill_status()}")


@pytest.fixture()
def clean(model):
    model.cancel_prefill()
    settle(model)
    model._reset_cache()
    yield model
    model.cancel_prefill()
    settle(model)
    model._reset_cache()


@pytest.fixture(scope="module")
def fa_off(default_model_path):
    """Standard attention: its results do not depend on how a prompt was split into batches (flash
    attention's CPU kernel accumulates in an order that does, by float rounding)."""
    m = load_model(default_model_path, LoadOptions(n_ctx=1024, flash_attn=False, calibration="off"))
    yield m
    m.close()


def test_prefilled_prefix_is_reused_with_the_same_greedy_output(fa_off):
    m = fa_off
    prof = rewrite_prompt(m, SENTENCE, "professional", 1)  # "Text: <sentence> Task: ..." variant
    friendly = rewrite_prompt(m, SENTENCE, "friendly", 1)
    head = max(prefixes(m, SENTENCE, summary=False), key=len)  # the sentence's prefix, all tones share it
    m._reset_cache()
    cold = "".join(m.stream_tokens(prof, 40))
    m._reset_cache()
    cold_many = [t for t, _ in m.generate_many([prof, friendly], 30)]

    m._reset_cache()
    assert m.prefill([head])["prefixes"] == 1
    st = settle(m)
    assert st["state"] == "done" and st["slots"] == 1 and st["decoded_tokens"] == len(head)
    stats = GenerationStats()
    warm = "".join(m.stream_tokens(prof, 40, stats=stats))
    assert stats.cached_tokens == len(head)  # copied, not decoded
    assert warm == cold

    m._reset_cache()
    m.prefill([head])
    settle(m)
    many = m.generate_many([prof, friendly], 30)
    assert [s.cached_tokens for _, s in many] == [len(head), len(head)]
    assert [t for t, _ in many] == cold_many
    m.cancel_prefill()
    settle(m)


def test_every_prefix_of_a_text_is_reused_by_rewrite(clean):
    from engine.tasks.rewrite import rewrite

    m = clean
    text = SENTENCE + " Maria will present the findings to the board next Monday at ten."
    heads = prefixes(m, text)
    m.prefill(heads)
    st = settle(m)
    assert st["slots"] == len(heads) and st["copied_tokens"] > 0  # the chat head is decoded once
    result = rewrite(m, text, "concise")
    # every prompt starts with a prefilled prefix: at least the shared head of each is not decoded again
    assert result.stats.cached_tokens >= sum(sorted(len(h) for h in heads)[:1]) * 4
    assert result.text


def test_a_request_stops_the_prefill_and_gets_the_right_answer(clean):
    m = clean
    expected = "".join(m.stream(OTHER, max_tokens=24))
    m._reset_cache()
    m.prefill(prefixes(m, LONG))
    time.sleep(0.3)  # the prefill is decoding now
    got = "".join(m.stream(OTHER, max_tokens=24))
    st = m.prefill_status()
    assert got == expected  # an unrelated request after (and during) a prefill: the same answer
    assert st["state"] in ("running", "waiting")  # it yielded; it resumes only when the engine idles
    assert st["decoded_tokens"] < st["accepted_tokens"]  # not finished: it stopped for the request
    time.sleep(0.1)
    assert "".join(m.stream(OTHER, max_tokens=24)) == expected


def test_cancel_during_prefill_stops_it_promptly_and_forgets_the_prefixes(clean):
    m = clean
    start_decoding(m, LONG)
    t0 = time.perf_counter()
    m.cancel_prefill()
    returned = time.perf_counter() - t0
    st = settle(m, timeout=10)
    stopped = time.perf_counter() - t0
    assert returned < 0.05  # it never waits
    assert st["state"] == "idle" and st["slots"] == 0 and st["held_tokens"] == 0
    assert stopped < 2.0, f"the prefill took {stopped:.2f} s to stop"  # a batch is aborted, not finished


def test_memory_is_bounded_and_a_big_request_takes_the_room(default_model_path):
    m = load_model(default_model_path, LoadOptions(n_ctx=1024, calibration="off"))
    try:
        heads = prefixes(m, LONG)
        planned = sum(len(h) for h in heads)
        assert planned > m.n_ctx * SHARE  # more than may be held
        m.prefill(heads)
        st = settle(m)
        assert 0 < st["accepted"] < len(heads)
        assert st["held_tokens"] <= m.n_ctx * SHARE
        big = m.tokenize(LONG)[:800]
        out = "".join(m.stream_tokens(big, 8))
        assert out  # it fitted: the prefixes made room
        assert m.prefill_status()["slots"] == 0
    finally:
        m.close()


def test_prefill_off_accepts_nothing(default_model_path):
    m = load_model(default_model_path, LoadOptions(n_ctx=512, n_prefill_seqs=0, calibration="off"))
    try:
        assert m.prefill([m.tokenize("Hello there, friend.")])["accepted"] == 0
        assert m.prefill_status()["slots"] == 0
    finally:
        m.close()


def test_a_cancelled_request_keeps_the_prefixes(clean):
    from engine.errors import Cancelled

    m = clean
    heads = prefixes(m, SENTENCE, summary=False)
    m.prefill(heads)
    settle(m)
    prompts = [rewrite_prompt(m, SENTENCE, tone, 1) for tone in ("concise", "friendly")]
    # cancelled from its first partial text, so a request that would end early still sees it
    with pytest.raises(Cancelled):
        m.generate_many(prompts, 400, on_partial=lambda _texts: m.cancel())
    assert m.prefill_status()["slots"] == len(heads)  # the cancel emptied the request's sequences only
    stats = GenerationStats()
    assert "".join(m.stream_tokens(rewrite_prompt(m, SENTENCE, "professional", 1), 8, stats=stats))
    assert stats.cached_tokens == max(len(h) for h in heads)

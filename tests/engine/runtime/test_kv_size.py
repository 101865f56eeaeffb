"""The main KV cache sized to the work (runtime/kv_size.py), on the real default model: it starts
small, grows for a request without changing a token of any answer, keeps the prompt cache and the
prefilled prefixes across a resize, and shrinks only when idle."""

from __future__ import annotations

import time

import pytest

from engine.model import GenerationStats
from engine.process.child import Child
from engine.runtime import LoadOptions, load_model
from engine.runtime.kv_size import START_CELLS

TEXT = ("Dr. Amara Okafor told the board on 14 March that the clinic will not open on Sundays, because "
        "only 3 of the 11 nurses can cover weekend shifts. ")


def opts(**kw) -> LoadOptions:
    return LoadOptions(n_ctx=4096, flash_attn=False, prefill_flash_attn=False, short_below=0, calibration="off", **kw)


@pytest.fixture(scope="module")
def fixed(default_model_path):
    m = load_model(default_model_path, opts(fit_kv=False))
    yield m
    m.close()


@pytest.fixture()
def sized(default_model_path):
    m = load_model(default_model_path, opts())
    yield m
    m.close()


def prompt(m, n: int, lead: str = "Continue these notes. ") -> list[int]:
    toks = m.prompt_tokens([{"role": "user", "content": lead + TEXT * (n // 20 + 2)}])
    assert len(toks) >= n
    return toks[:n]


def answer(m, toks: list[int], n: int = 24) -> tuple[str, GenerationStats]:
    st = GenerationStats()
    return "".join(m.stream_tokens(toks, n, stats=st)), st


def test_starts_small_and_promises_the_context_asked_for(sized, fixed):
    assert (sized.kv_cells, sized.n_ctx) == (START_CELLS, 4096)
    assert (fixed.kv_cells, fixed.n_ctx) == (4096, 4096)


def test_growing_for_a_long_prompt_changes_no_token(sized, fixed):
    short = prompt(sized, 300)
    assert answer(sized, short)[0] == answer(fixed, short)[0]
    assert sized.resizes == 0 and sized.kv_cells == START_CELLS
    fixed._reset_cache()
    long = prompt(sized, 1800)
    text, st = answer(sized, long)
    assert sized.kv_cells >= 1800 + 24 and sized.grows == sized.resizes == 1
    assert st.cached_tokens > 0  # the short prompt's cached head was moved, not dropped
    assert text == answer(fixed, long)[0]


def test_the_prompt_cache_and_prefills_survive_a_resize(sized, fixed):
    head = prompt(sized, 400)
    sized.prefill([head])
    deadline = time.monotonic() + 30
    while sized.prefill_status()["state"] != "done" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sized.prefill_status()["state"] == "done"
    sized._resize(3072)  # as a request growing the cache would
    assert sized.kv_cells == 3072
    text, st = answer(sized, head)
    assert st.cached_tokens >= len(head) - 1  # the prefilled prefix moved with the cache
    fixed._reset_cache()
    assert text == answer(fixed, head)[0]


def test_a_decode_with_no_room_grows_and_scores_the_same(sized, fixed):
    # scoring does not size the cache up front: its decodes find no room and grow it
    texts = [f"Copy {i} of the notes. " + TEXT * (10 + i) for i in range(4)]  # ~1,500 cells, none shared
    got = sized.score_texts(texts)
    assert sized.kv_cells > START_CELLS and sized.resizes >= 1
    fixed._reset_cache()  # both from an empty cache: cells elsewhere change the sums' rounding
    assert got == pytest.approx(fixed.score_texts(texts), rel=1e-6)


def test_batched_generation_through_a_resize(sized, fixed):
    prompts = [prompt(sized, 500, lead=f"Notes, part {i}. ") for i in range(3)]
    got = [text for text, _ in sized.generate_many(prompts, max_tokens=16)]
    assert sized.kv_cells > START_CELLS
    fixed._reset_cache()
    assert got == [text for text, _ in fixed.generate_many(prompts, max_tokens=16)]


def test_trim_when_idle_shrinks_and_keeps_the_cached_prefix(sized, fixed):
    answer(sized, prompt(sized, 2500), 8)
    big = sized.kv_cells
    assert big >= 2500
    short = prompt(sized, 200, lead="Rewrite these notes. ")
    first, _ = answer(sized, short)  # a new text: the cache now holds ~224 tokens
    assert sized.kv_cells == big  # never shrunk on a request's path
    grows = sized.grows
    assert sized.trim_kv() == START_CELLS and sized.kv_cells == START_CELLS
    assert sized.grows == grows and sized.resizes == grows + 1  # a trim is not a growth
    again, st = answer(sized, short)
    assert st.cached_tokens >= len(short) - 1 and again == first
    fixed._reset_cache()
    assert first == answer(fixed, short)[0]


def test_the_engine_process_trims_after_a_pause_but_not_inside_a_job(sized):
    answer(sized, prompt(sized, 2200), 8)
    sized._reset_cache()
    child = Child(out=None, inp=None)
    child.model = sized
    child.jobs.append(object())  # a multi-call task is open: its next call may need the room
    assert child.trim() is False and sized.kv_cells >= 2200
    child.jobs.clear()
    assert child.trim() is True and sized.kv_cells == START_CELLS


def test_a_context_asked_below_the_start_size_is_made_at_that_size(default_model_path):
    m = load_model(default_model_path, LoadOptions(n_ctx=512, calibration="off"))
    try:
        assert m.kv_cells == 512 == m.n_ctx
        assert answer(m, prompt(m, 400), 8)[0]
        assert m.resizes == 0
    finally:
        m.close()


def test_with_flash_attention_an_idle_trim_keeps_the_size(default_model_path):
    # with flash attention a decode reads the same cells whatever the cache's size: a trim would only
    # make the next long request grow it again
    m = load_model(default_model_path, LoadOptions(n_ctx=4096, flash_attn=True, prefill_flash_attn=True,
                                                   short_below=0, calibration="off"))
    try:
        if not m.flash_attn:
            pytest.skip("flash attention is not available in this llama.cpp build")
        answer(m, prompt(m, 1800), 8)
        grown = m.kv_cells
        assert grown >= 1800 and m.grows == m.resizes == 1 and not m.trims_kv
        m._reset_cache()
        assert m.trim_kv() == grown and m.resizes == 1
        child = Child(out=None, inp=None)
        child.model = m
        assert child.trim() is True and m.kv_cells == grown
    finally:
        m.close()

"""Long prompts read with the other attention setting in a second context, their KV cache moved
into the main one (runtime/split_prefill.py), on the real default model."""

from __future__ import annotations

import struct
import threading
import time

import pytest

from engine.errors import Cancelled
from engine.model import GenerationStats
from engine.runtime import LoadOptions, load_model
from engine.runtime import kv_layout, split_prefill
from engine.runtime.backend import ll
from engine.runtime.split_prefill import SPLIT_MIN_TOKENS

TEXT = ("The committee met on Tuesday to review the budget for the new library wing. Maria Lopez presented "
        "three options; the board rejected the cheapest because it did not include a children's room. ")


def long_prompt(m, n: int) -> list[int]:
    toks = m.prompt_tokens([{"role": "user", "content": "Summarize these minutes. " + TEXT * 40}])
    assert len(toks) >= n
    return toks[:n]


@pytest.fixture(scope="module")
def plain(default_model_path):
    m = load_model(default_model_path, LoadOptions(n_ctx=4096, flash_attn=False, prefill_flash_attn=None, calibration="off"))
    yield m
    m.close()


@pytest.fixture()
def split(default_model_path):
    m = load_model(default_model_path, LoadOptions(n_ctx=4096, flash_attn=False, prefill_flash_attn=True, calibration="off"))
    yield m
    m.close()


def run(m, prompt, n=16, stats=None):
    return "".join(m.stream_tokens(prompt, n, stats=stats))


def test_a_long_prompt_read_apart_continues_like_one_read_in_place(plain, split):
    prompt = long_prompt(plain, 700)
    plain._reset_cache()
    want = run(plain, prompt)
    assert split.prefill_attention is True and split._aux is None  # made on first use
    assert run(split, prompt) == want
    assert split.prefill_moves == 1 and split._aux_state == "open"
    # the main context holds the whole prompt now: a longer prompt reuses it
    stats = GenerationStats()
    assert run(split, prompt + prompt[1:40], 4, stats) == run(plain, prompt + prompt[1:40], 4)
    assert stats.cached_tokens == 700 and split.prefill_moves == 1  # 39 new tokens: read in place


def test_only_what_a_context_lacks_moves_and_the_text_stays_the_same(plain, split, monkeypatch):
    moved = []
    real = split_prefill.move_sequence

    def counting(src, dst, seq, transposed):
        mem = ll.llama_get_memory(src)  # (from the second context?, sequence, its first and last position)
        moved.append((src is split._aux, seq, ll.llama_memory_seq_pos_min(mem, seq), ll.llama_memory_seq_pos_max(mem, seq)))
        return real(src, dst, seq, transposed)

    monkeypatch.setattr(split_prefill, "move_sequence", counting)
    base = long_prompt(plain, 1400)
    a = base[:700]
    for m in (plain, split):
        m._reset_cache()
    assert run(split, a) == run(plain, a)
    # B shares A's first 400 tokens: the second context still holds them, so nothing moves there
    b = base[:400] + base[900:1300]
    moved.clear()
    assert run(split, b) == run(plain, b)
    assert moved == [(True, 1, 400, 798)]  # only the 399 new cells come back (via the spare sequence 1)
    # C extends what the main context read in place past what the second context holds
    c_head = b + base[100:140]
    run(split, c_head, 2), run(plain, c_head, 2)
    c = c_head + base[140:500]
    moved.clear()
    stats = GenerationStats()
    assert run(split, c, stats=stats) == run(plain, c)
    assert stats.cached_tokens >= len(c_head)
    n = stats.cached_tokens
    assert moved == [(False, 1, 799, n - 1), (True, 1, n, len(c) - 2)]  # the missing head there, the new part back


def test_short_prompts_and_batched_groups(plain, split):
    short = long_prompt(plain, SPLIT_MIN_TOKENS // 2)
    assert run(split, short) == run(plain, short) and split.prefill_moves == 0
    base = long_prompt(plain, 600)
    prompts = [base + plain.tokenize(" First, list the options."), base + plain.tokenize(" Who presented?")]
    got = [t for t, _ in split.generate_many(prompts, 12)]
    assert got == [t for t, _ in plain.generate_many(prompts, 12)]
    assert split.prefill_moves == 1  # the shared 600-token head was read apart, once


def test_a_broken_move_is_caught_by_the_check_and_the_engine_reads_in_place(split, plain, monkeypatch):
    real = kv_layout.convert
    monkeypatch.setattr(kv_layout, "convert", lambda blob, transposed: _v_not_turned(blob, real(blob, transposed)))
    prompt = long_prompt(plain, 500)
    plain._reset_cache()
    assert run(split, prompt) == run(plain, prompt)
    assert split._aux_state == "failed" and split.prefill_moves == 0
    assert any("predicted differently" in c for c in split.choices), split.choices


def _v_not_turned(blob: bytes, converted: bytes) -> bytes:
    """`converted` (right headers, V turned around) with each layer's V bytes taken from `blob` as
    they were: what a converter that forgot the transpose would write. V is the tail of both."""
    (cells,) = struct.unpack_from("<I", blob, 12)
    off = 16 + cells * 12 + 8  # one stream, one sequence id per cell, then v_trans and n_layer
    (n_layer,) = struct.unpack_from("<I", blob, off - 4)
    for _ in range(n_layer):  # K: type, row size, rows
        _t, row = struct.unpack_from("<iQ", blob, off)
        off += 12 + row * cells
    v_bytes = (len(blob) - off - 12 * n_layer) // n_layer
    out, pos = bytearray(converted), off
    for _ in range(n_layer):
        out[pos + 12 : pos + 12 + v_bytes] = blob[pos + 12 : pos + 12 + v_bytes]
        pos += 12 + v_bytes
    return bytes(out)


def test_a_refused_move_falls_back_to_reading_in_place(split, plain, monkeypatch):
    prompt = long_prompt(plain, 400)
    plain._reset_cache()
    want = run(plain, prompt)
    run(split, prompt[:300])  # opens the second context
    monkeypatch.setattr(split_prefill, "move_sequence", lambda *a, **k: False)
    split._reset_cache()
    assert run(split, prompt) == want
    assert split._aux_state == "open"  # a full cache is not a broken layout: the next one tries again


def test_a_cancel_while_reading_apart_leaves_no_half_prompt(split, plain):
    prompt = long_prompt(plain, 1400)
    plain._reset_cache()
    want = run(plain, prompt[:1000], 8)
    run(split, prompt[:300], 1)  # opens the second context

    def stop_soon():
        time.sleep(1.0)
        split.cancel()

    threading.Thread(target=stop_soon).start()
    with pytest.raises(Cancelled):
        run(split, prompt, 8)
    assert split._cached == []
    assert run(split, prompt[:1000], 8) == want


# -- short requests run wholly with the other setting ------------------------------------------------
@pytest.fixture()
def short(default_model_path):
    m = load_model(default_model_path, LoadOptions(n_ctx=4096, flash_attn=False, prefill_flash_attn=None,
                                                   short_below=160, calibration="off"))
    yield m
    m.close()


@pytest.fixture(scope="module")
def plain_on(default_model_path):
    m = load_model(default_model_path, LoadOptions(n_ctx=4096, flash_attn=True, prefill_flash_attn=None, calibration="off"))
    yield m
    m.close()


def test_a_short_request_runs_with_the_other_setting_and_leaves_its_cache_in_the_main_context(short, plain, plain_on):
    prompt = long_prompt(plain, 60)
    plain_on._reset_cache()
    assert short.short_requests_below == 160 and short._aux is None
    assert run(short, prompt, 24) == run(plain_on, prompt, 24)  # computed exactly as with flash attention on
    assert short.short_requests == 1 and short.prefill_moves == 0
    assert len(short._cached) == 60 + 23  # the prompt and the answer's decoded tokens, in the main context
    # a longer request goes to the main context and reuses what the short one left there
    stats = GenerationStats()
    longer = long_prompt(plain, 400)
    run(short, longer, 4, stats)
    assert stats.cached_tokens == 60 and short.short_requests == 1
    # past the threshold, nothing runs apart
    assert run(short, long_prompt(plain, 150), 16) and short.short_requests == 1


def test_a_short_request_abandoned_half_way_leaves_no_stale_cache(short, plain_on):
    prompt = long_prompt(plain_on, 50)
    plain_on._reset_cache()
    want = run(plain_on, prompt, 20)
    stream = short.stream_tokens(prompt, 20)
    next(stream)
    stream.close()  # the caller stopped reading while the request ran in the second context
    assert short._cached == [] and short._ctx is not short._aux
    assert run(short, prompt, 20) == want and short.short_requests == 1


def test_no_second_context_without_the_memory_for_it(split, plain, monkeypatch):
    from engine import hardware

    monkeypatch.setattr(hardware, "available_memory", lambda: 50 << 20)
    prompt = long_prompt(plain, 400)
    plain._reset_cache()
    assert run(split, prompt) == run(plain, prompt)
    assert split._aux_state == "failed" and split._aux is None
    assert any("a second context needs about" in c and "MB is free" in c for c in split.choices), split.choices


def test_a_prompt_longer_than_the_second_context_is_read_in_place(split, plain, monkeypatch):
    monkeypatch.setattr(split_prefill, "AUX_CTX", 512)
    small = long_prompt(plain, 400)
    plain._reset_cache()
    assert run(split, small) == run(plain, small) and split.prefill_moves == 1  # opened at 512 cells
    assert split._aux_ctx == 512
    big = long_prompt(plain, 900)
    split._reset_cache(), plain._reset_cache()
    assert run(split, big) == run(plain, big) and split.prefill_moves == 1

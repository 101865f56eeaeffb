"""The fixed-prefix file cache (engine/runtime/prompt_cache.py) on the real default model: a task's
worked examples are decoded once per machine; a later process loads them from the file and
answers exactly as if it had decoded them; a damaged file is rebuilt; the folder stays bounded."""

from __future__ import annotations

import os

import pytest

from engine.model import GenerationStats
from engine.proofread import prompts
from engine.runtime import LoadOptions, load_model
from engine.runtime import prompt_cache
from engine.tasks.prefill import fixed_prefix

SENTENCE = "Their going to the store tomorow to buy some milk and bread for the week."


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HUSHWRITE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "prompt-kv"


def fresh(path):
    """A new model instance: an empty in-memory prompt cache, like a new engine process."""
    return load_model(path, LoadOptions(n_ctx=2048))


def answer(m, prompt) -> tuple[str, GenerationStats]:
    stats = GenerationStats()
    return "".join(m.stream_tokens(prompt, 24, ["\n"], stats=stats)), stats


def test_fixed_prefix_holds_only_the_task_text(model):
    head = fixed_prefix(model, prompts.messages)
    full = model.prompt_tokens(prompts.messages(SENTENCE))
    assert len(head) > 100 and full[: len(head)] == head
    shown = model.detokenize(head)
    assert prompts.EXAMPLES[-1][1] in shown and "milk" not in shown and "store" not in shown


def test_a_later_process_loads_the_prefix_and_answers_the_same(cache, default_model_path):
    a = fresh(default_model_path)
    try:
        head = fixed_prefix(a, prompts.messages)
        first = a.warm_prefix(head)
        assert first["source"] == "decoded" and first["tokens"] == len(head)
        assert a.warm_prefix(head)["source"] == "memory"
        files = list(cache.glob("*.kv"))
        assert len(files) == 1 and files[0].stat().st_size > 1_000_000
    finally:
        a.close()
    b = fresh(default_model_path)
    try:
        loaded = b.warm_prefix(head)
        assert loaded["source"] == "file" and loaded["tokens"] == len(head)
        prompt = b.prompt_tokens(prompts.messages(SENTENCE))
        warm_text, stats = answer(b, prompt)
        assert stats.cached_tokens == len(head)  # only the sentence and the template's tail were decoded
    finally:
        b.close()
    c = fresh(default_model_path)  # the same request decoded from scratch
    try:
        fresh_prompt = c.prompt_tokens(prompts.messages(SENTENCE))
        cold_text, cold_stats = answer(c, fresh_prompt)
        assert cold_stats.cached_tokens == 0
    finally:
        c.close()
    assert warm_text == cold_text and "tomorrow" in warm_text


def test_a_damaged_file_is_rebuilt(cache, default_model_path):
    m = fresh(default_model_path)
    try:
        head = fixed_prefix(m, prompts.messages)
        m.warm_prefix(head)
        (path,) = cache.glob("*.kv")
        path.write_bytes(path.read_bytes()[:5000])  # cut short, as by a full disk
    finally:
        m.close()
    m = fresh(default_model_path)
    try:
        again = m.warm_prefix(head)
        assert again["source"] == "decoded" and again["tokens"] == len(head)
        assert path.stat().st_size > 1_000_000
        out, stats = answer(m, m.prompt_tokens(prompts.messages(SENTENCE)))
        assert stats.cached_tokens == len(head) and out.strip()
    finally:
        m.close()


def test_a_file_with_a_changed_byte_is_not_loaded(cache, default_model_path):
    # llama.cpp would read flipped KV values without noticing; the file's own checksum does
    m = fresh(default_model_path)
    try:
        head = fixed_prefix(m, prompts.messages)
        m.warm_prefix(head)
        (path,) = cache.glob("*.kv")
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x40
        path.write_bytes(bytes(data))
    finally:
        m.close()
    m = fresh(default_model_path)
    try:
        assert m.warm_prefix(head)["source"] == "decoded"
        assert fresh_load_source(default_model_path, head) == "file"  # the rebuilt file is whole
    finally:
        m.close()


def fresh_load_source(path, head) -> str:
    m = fresh(path)
    try:
        return m.warm_prefix(head)["source"]
    finally:
        m.close()


def test_short_prefixes_are_not_cached(cache, model):
    assert model.warm_prefix(model.tokenize("Hello there"))["source"] == "skipped"
    assert not cache.exists() or not list(cache.glob("*.kv"))


def test_the_folder_keeps_the_most_recent_files(tmp_path):
    for i in range(prompt_cache.MAX_FILES + 5):
        p = tmp_path / f"{i:03}.kv"
        p.write_bytes(b"x")
        os.utime(p, (1_000_000 + i, 1_000_000 + i))
    prompt_cache._trim(tmp_path)
    left = sorted(p.name for p in tmp_path.glob("*.kv"))
    assert len(left) == prompt_cache.MAX_FILES and left[0] == "005.kv"

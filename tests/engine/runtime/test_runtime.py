"""The model runtime on the real default model: streaming, stops, cancel, prefix cache, batching, bad models."""

from __future__ import annotations

import threading
import time

import pytest

from engine import hardware
from engine.errors import Cancelled, InputError, ModelError
from engine.model import GenerationStats, SamplingOptions
from engine.runtime import LoadOptions, LlamaModel, resolve_gpu_layers

STORY = [{"role": "user", "content": "Write a very long story about a dragon who learns to bake bread."}]


def test_streams_chunks_and_counts(model):
    stats = GenerationStats()
    chunks = list(model.stream(STORY, max_tokens=24, stats=stats))
    assert len(chunks) > 5  # streamed piece by piece, not one blob
    assert stats.output_tokens == 24 and stats.finish_reason == "length"
    assert stats.prompt_tokens > 10
    assert stats.decode_tps > 0 and stats.first_token_seconds > 0


def test_stop_string_is_not_emitted(model):
    msgs = [{"role": "user", "content": "Count from one to ten in words, separated by commas."}]
    full = "".join(model.stream(msgs, max_tokens=40))
    stop = full[12:15]  # a stop string that falls in the middle of the answer
    cut = full[: full.index(stop)]
    stopped = "".join(model.stream(msgs, max_tokens=40, stop=[stop]))
    assert stopped == cut


def test_greedy_is_deterministic(model):
    a = "".join(model.stream(STORY, max_tokens=20))
    b = "".join(model.stream(STORY, max_tokens=20))
    assert a == b


def test_cancel_from_another_thread_within_200ms(model):
    stats = GenerationStats()
    stamp = {}

    def stop_soon():
        time.sleep(0.3)
        stamp["t"] = time.perf_counter()
        model.cancel()

    threading.Thread(target=stop_soon).start()
    with pytest.raises(Cancelled):
        for _ in model.stream(STORY, max_tokens=4000, stats=stats):
            pass
    latency = time.perf_counter() - stamp["t"]
    assert latency < 0.2, f"cancel took {latency * 1000:.0f} ms"
    # the model is usable right after a cancel
    assert "".join(model.stream(STORY, max_tokens=5))


def test_cancel_during_long_prompt_processing(model):
    long_text = "The quick brown fox jumps over the lazy dog. " * 300  # ~3k tokens of prompt
    msgs = [{"role": "user", "content": "Summarize:\n" + long_text}]
    stamp = {}

    def stop_soon():
        time.sleep(0.15)
        stamp["t"] = time.perf_counter()
        model.cancel()

    threading.Thread(target=stop_soon).start()
    with pytest.raises(Cancelled):
        for _ in model.stream(msgs, max_tokens=10):
            pass
    assert time.perf_counter() - stamp["t"] < 0.2


def test_generation_steps_run_without_the_abort_callback_prompt_batches_with_it(model):
    calls = []
    real = model._should_abort
    model._should_abort = lambda: calls.append(1) or real()  # what the ctypes callback calls
    try:
        msgs = [{"role": "user", "content": "Write a short poem about the sea and the harbour at night."}]
        list(model.stream(msgs, max_tokens=1))
        assert len(calls) > 100  # the prompt's batch asked before every graph node
        calls.clear()
        out = "".join(model.stream(msgs, max_tokens=24))  # prompt cached: one token, then single steps
        assert out and calls == []
    finally:
        del model._should_abort


def test_prefix_cache_reuses_shared_prompt(model):
    system = {"role": "system", "content": "You are a careful copy editor. " * 20}
    first, second = GenerationStats(), GenerationStats()
    list(model.stream([system, {"role": "user", "content": "Fix: i has went home"}], max_tokens=4, stats=first))
    list(model.stream([system, {"role": "user", "content": "Fix: she dont like it"}], max_tokens=4, stats=second))
    assert second.cached_tokens >= 100  # the system prompt was not decoded again
    assert second.cached_tokens < second.prompt_tokens
    # the cached result equals a cold computation of the same prompt
    msgs = [system, {"role": "user", "content": "Fix: she dont like it"}]
    warm = "".join(model.stream(msgs, max_tokens=12))
    list(model.stream([{"role": "user", "content": "unrelated"}], max_tokens=2))
    cold_stats = GenerationStats()
    cold = "".join(model.stream(msgs, max_tokens=12, stats=cold_stats))
    assert cold_stats.cached_tokens < 10
    # Batch splits change float rounding slightly (logits differ by < ~1), so a greedy run may
    # diverge after a few tokens; the answer must start the same way.
    assert warm.split()[:1] == cold.split()[:1]


def test_generate_many_matches_one_by_one(model):
    prompts = [
        model.prompt_tokens([{"role": "user", "content": f"Correct this sentence: {s}"}])
        for s in ("i has a apple", "they goes to school", "she dont like rain", "we was late")
    ]
    batched = model.generate_many(prompts, 16)
    single = ["".join(model.stream_tokens(p, 16)) for p in prompts]
    assert [t for t, _ in batched] == single
    assert max(s.batch_size for _, s in batched) >= 2  # decoded as parallel sequences


def test_generate_many_hands_out_partial_text_as_it_grows(model):
    prompts = [model.prompt_tokens([{"role": "user", "content": f"Name a {w}."}]) for w in ("fruit", "colour", "city", "tree")]
    seen: dict[int, list[str]] = {}
    out = model.generate_many(prompts, 12, on_partial=lambda texts: [seen.setdefault(i, []).append(t)
                                                                       for i, t in texts.items()])
    assert sorted(seen) == [0, 1, 2, 3]  # every prompt, including the one in the second group
    for i, texts in seen.items():
        assert all(b.startswith(a) and len(b) > len(a) for a, b in zip(texts, texts[1:]))  # grows, never repeats
        assert texts[-1] == out[i][0]  # the last partial is the answer
        assert len(texts) > 1  # token by token, not once at the end


def test_prompt_longer_than_context_is_refused(default_model_path):
    small = LlamaModel.load(default_model_path, LoadOptions(n_ctx=256, n_seq_max=1))
    try:
        with pytest.raises(InputError, match="context"):
            list(small.stream([{"role": "user", "content": "word " * 600}], max_tokens=5))
    finally:
        small.close()


def test_penalty_sampler_changes_greedy_output(model):
    msgs = [{"role": "user", "content": "Repeat the word 'cat' twenty times."}]
    plain = "".join(model.stream(msgs, max_tokens=30))
    penalised = "".join(model.stream(msgs, max_tokens=30, sampling=SamplingOptions(repeat_penalty=5.0)))
    assert plain != penalised


def test_gpu_layer_resolution():
    assert resolve_gpu_layers("auto", supports_gpu=False, n_layer=30) == 0
    assert resolve_gpu_layers("auto", supports_gpu=True, n_layer=30) == 31
    assert resolve_gpu_layers(-1, supports_gpu=True, n_layer=30) == 31
    assert resolve_gpu_layers("12", supports_gpu=True, n_layer=30) == 12
    assert resolve_gpu_layers(99, supports_gpu=True, n_layer=30) == 31
    with pytest.raises(InputError):
        resolve_gpu_layers("lots", supports_gpu=True, n_layer=30)


def test_gpu_failure_falls_back_to_cpu_and_says_why(default_model_path, monkeypatch):
    """A GPU load that fails is retried on the CPU, with the reason in model.notes."""
    import engine.runtime.llama_model as loader
    from engine.runtime.backend import ll

    real = loader.load_weights

    def flaky(info, options, n_gpu_layers, choices):
        if n_gpu_layers > 0:
            raise ModelError("CUDA error: out of memory")
        return real(info, options, n_gpu_layers, choices)

    monkeypatch.setattr(loader, "load_weights", flaky)
    monkeypatch.setattr(ll, "llama_supports_gpu_offload", lambda: True)
    m = LlamaModel.load(default_model_path, LoadOptions(n_ctx=512, n_seq_max=1))
    try:
        assert m.n_gpu_layers == 0
        assert any("GPU offload" in n and "out of memory" in n and "CPU" in n for n in m.notes)
        assert "".join(m.stream(STORY, max_tokens=3))
    finally:
        m.close()


def test_not_enough_memory_is_refused_before_loading(default_model_path, monkeypatch):
    monkeypatch.setattr(hardware, "available_memory", lambda: 50 * 1024 * 1024)
    with pytest.raises(ModelError, match="not enough memory"):
        LlamaModel.load(default_model_path, LoadOptions(n_ctx=2048))


def test_unsupported_architecture(unsupported_arch_model):
    with pytest.raises(ModelError, match="architecture 'zorbl' is not supported"):
        LlamaModel.load(unsupported_arch_model, LoadOptions(n_ctx=512))


def test_context_capped_to_trained_length(default_model_path):
    m = LlamaModel.load(default_model_path, LoadOptions(n_ctx=16384, n_seq_max=1))
    try:
        assert m.n_ctx == 8192
        assert any("capped" in n for n in m.notes)
    finally:
        m.close()


def test_prompt_slices_put_the_first_prompt_alone_when_a_draft_is_watched():
    from engine.runtime.batching import _slices

    items = [(7, p, 1, p == 4) for p in range(5)] + [(7, p, 2, p == 6) for p in range(7)]
    assert [len(x) for x in _slices(items, 4)] == [4, 4, 4]  # plain: full batches
    watched = _slices(items, 4, first_alone=True)
    assert [len(x) for x in watched] == [4, 1, 4, 3]  # sequence 1's prompt ends its own batch
    assert {it[2] for it in watched[1]} == {1} and sum(watched, []) == items  # nothing lost or reordered
    assert _slices([], 4, first_alone=True) == []

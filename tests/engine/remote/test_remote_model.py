"""RemoteModel against a real llama-server: the Model interface behaves as the local runtime's."""

from __future__ import annotations

import http.client
import json
import threading
import time

import pytest

from engine.errors import Cancelled, ModelError
from engine.model import GenerationStats, SamplingOptions

MESSAGES = [{"role": "user", "content": "Write a short story about a lighthouse keeper and a storm."}]


def _slots(url: str) -> list[dict]:
    host, port = url.split("//", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("GET", "/slots")
    data = json.loads(conn.getresponse().read())
    conn.close()
    return data


def test_connect_reads_model_context_and_slots(remote, default_model_path):
    assert remote.mode == "llama-server"
    assert remote.slots == 4
    assert remote.n_ctx == 4096  # per slot: -c 16384 -np 4
    assert remote.name.endswith(" on 127.0.0.1")
    assert default_model_path.stem in remote.name
    assert any("plain http" in n for n in remote.notes)  # the visible warning for http


def test_tokens_and_chat_template_match_the_local_runtime(remote, model):
    text = "The quick brown fox jumps over the lazy dog. Naïve café — 42 times!"
    assert remote.tokenize(text) == model.tokenize(text)
    assert remote.count_tokens(text) == model.count_tokens(text)
    assert remote.prompt_tokens(MESSAGES) == model.prompt_tokens(MESSAGES)
    assert remote.detokenize(remote.tokenize(text)) == text


def test_greedy_reply_matches_the_local_runtime(remote, model):
    """Same llama.cpp, same model, same tokens, greedy: the same words."""
    prompt = model.prompt_tokens([{"role": "user", "content": "Correct this sentence: i has went to the libary."}])
    local = "".join(model.stream_tokens(prompt, 40, sampling=SamplingOptions()))
    far = "".join(remote.stream_tokens(prompt, 40, sampling=SamplingOptions()))
    assert far.strip()
    assert far.split()[:6] == local.split()[:6], (local, far)


def test_budget_stop_strings_and_stats(remote):
    stats = GenerationStats()
    text = "".join(remote.stream(MESSAGES, max_tokens=12, stats=stats))
    assert stats.output_tokens == 12 and stats.finish_reason == "length"
    assert stats.prompt_tokens == len(remote.prompt_tokens(MESSAGES))
    assert stats.decode_seconds > 0 and text
    stats = GenerationStats()
    full = "".join(remote.stream(MESSAGES, max_tokens=60))
    cut = full.split()[3]
    text = "".join(remote.stream(MESSAGES, max_tokens=60, stop=[cut], stats=stats))
    assert cut not in text and full.startswith(text) and stats.finish_reason == "stop"


def test_prefix_is_prompt_not_output(remote):
    text = "".join(remote.stream(MESSAGES, max_tokens=20, prefix="Once upon a time"))
    assert not text.startswith("Once upon a time")
    assert text.strip()


def test_generate_many_keeps_slots_busy_at_once(remote, llama_server):
    prompts = [remote.prompt_tokens([{"role": "user", "content": f"Write a long poem about the number {i}."}])
               for i in range(6)]
    busy: list[int] = []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            busy.append(sum(1 for s in _slots(llama_server.url) if s.get("is_processing")))
            time.sleep(0.02)

    w = threading.Thread(target=watch)
    w.start()
    done_order: list[int] = []
    partial: dict[int, list[str]] = {}
    try:
        out = remote.generate_many(prompts, 64, on_done=lambda i, t, s: done_order.append(i),
                                   on_partial=lambda texts: [partial.setdefault(i, []).append(t) for i, t in texts.items()])
    finally:
        stop.set()
        w.join()
    assert len(out) == 6 and all(t.strip() for t, _ in out)
    assert sorted(done_order) == list(range(6))
    assert {i: texts[-1] for i, texts in partial.items()} == {i: t for i, (t, _) in enumerate(out)}  # drafts as they stream
    assert max(len(texts) for texts in partial.values()) > 1
    assert max(busy) == 4, busy  # four requests in flight, never more than the slots
    singles = ["".join(remote.stream_tokens(prompts[i], 64)) for i in (0, 5)]
    assert [out[0][0], out[5][0]] == singles  # in order, and the same text as one by one


def test_cancel_closes_the_stream_within_200_ms(remote, llama_server):
    gen = remote.stream(MESSAGES, max_tokens=2000, sampling=SamplingOptions(temperature=0.8))
    first = next(gen)
    assert first
    t0 = time.perf_counter()
    threading.Timer(0.0, remote.cancel).start()
    with pytest.raises(Cancelled):
        for _ in gen:
            pass
    elapsed = time.perf_counter() - t0
    assert elapsed < 0.2, elapsed
    deadline = time.monotonic() + 2
    while any(s.get("is_processing") for s in _slots(llama_server.url)):
        assert time.monotonic() < deadline, "the server kept decoding after the stream was closed"
        time.sleep(0.02)
    assert "".join(remote.stream(MESSAGES, max_tokens=5))  # a later call is not cancelled


def test_cancel_stops_generate_many(remote):
    prompts = [remote.prompt_tokens(MESSAGES)] * 4
    cancelled_at = []

    def cancel():
        cancelled_at.append(time.perf_counter())
        remote.cancel()

    threading.Timer(0.3, cancel).start()
    with pytest.raises(Cancelled):
        remote.generate_many(prompts, 2000, sampling=SamplingOptions(temperature=0.8))
    assert time.perf_counter() - cancelled_at[0] < 0.2


def test_a_cancel_between_calls_of_a_job_is_kept(remote):
    with remote.job():
        "".join(remote.stream(MESSAGES, max_tokens=3))
        remote.cancel()
        with pytest.raises(Cancelled):
            "".join(remote.stream(MESSAGES, max_tokens=3))
    assert "".join(remote.stream(MESSAGES, max_tokens=3))  # a new job/call starts clean


def test_a_prompt_larger_than_the_context_is_a_model_error(remote):
    prompt = remote.prompt_tokens([{"role": "user", "content": "word " * 5000}])
    with pytest.raises(ModelError, match="takes 4096 per request"):
        "".join(remote.stream_tokens(prompt, 10))


@pytest.fixture()
def chat_remote(llama_server):
    """The same server through the plain chat API, as with Ollama or vLLM (estimated tokens)."""
    from engine.remote import connect

    m = connect(llama_server.url, tokens="estimate")
    yield m
    m.close()


def test_chat_api_path_streams_with_estimated_tokens(chat_remote, remote):
    assert chat_remote.mode == "chat" and chat_remote.tokens_are_estimates
    assert any("estimates" in n for n in chat_remote.notes)
    stats = GenerationStats()
    text = "".join(chat_remote.stream(MESSAGES, max_tokens=12, stats=stats))
    assert text.strip() and stats.output_tokens == 12 and stats.finish_reason == "length"
    # the server's own reply to the same messages, through its token API: the same words (greedy)
    same = "".join(remote.stream(MESSAGES, max_tokens=12))
    assert text == same
    est, real = chat_remote.count_tokens(MESSAGES[0]["content"]), remote.count_tokens(MESSAGES[0]["content"])
    assert real <= est <= 1.5 * real


def test_chat_api_path_prefix_and_parallel(chat_remote):
    text = "".join(chat_remote.stream(MESSAGES, max_tokens=15, prefix="Once upon a time"))
    assert text.strip() and not text.lstrip().startswith("Once upon a time")
    prompts = [chat_remote.prompt_tokens([{"role": "user", "content": f"Name a colour number {i}."}]) for i in range(5)]
    out = chat_remote.generate_many(prompts, 10)
    assert len(out) == 5 and all(t.strip() for t, _ in out)

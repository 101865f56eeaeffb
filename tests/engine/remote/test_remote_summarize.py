"""A long document through a real llama-server (4 slots): the map step sends as many chunks at
once as the server has slots, progress counts each chunk as it finishes, a cancel mid-map closes
every open request, and a re-run reuses the chunks that finished."""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from pathlib import Path

import pytest

from engine.errors import Cancelled
from engine.summarize import MemoryCache, summarize
from engine.summarize.core import chunk_budget
from engine.summarize.sources import plan_sources

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "summarize"))
from texts import LONG  # noqa: E402

CHUNK = 128  # tokens: LONG becomes 6 chunks, more than the server's 4 slots


def _busy_slots(url: str) -> int:
    host, port = url.split("//", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("GET", "/slots")
    data = json.loads(conn.getresponse().read())
    conn.close()
    return sum(1 for s in data if s.get("is_processing"))


class _Requests:
    """Start and end times of every request the model sends (the stream opens on the first read)."""

    def __init__(self, remote, monkeypatch):
        self.spans: list[tuple[float, float]] = []
        self.open: list[float] = []
        real = remote.stream_tokens_in_job

        def recording(*a, **kw):
            gen = real(*a, **kw)

            def timed():
                t0 = time.monotonic()
                self.open.append(t0)
                try:
                    yield from gen
                finally:
                    self.open.remove(t0)
                    self.spans.append((t0, time.monotonic()))

            return timed()

        monkeypatch.setattr(remote, "stream_tokens_in_job", recording)

    def most_at_once(self) -> int:
        edges = sorted([(s, 1) for s, _ in self.spans] + [(e, -1) for _, e in self.spans], key=lambda x: (x[0], x[1]))
        now = most = 0
        for _, d in edges:
            now += d
            most = max(most, now)
        return most


class _SlotWatch:
    """The most slots the server itself reports busy at once, polled while a job runs."""

    def __init__(self, url: str):
        self.url, self.most, self.stop = url, 0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self.stop.is_set():
            self.most = max(self.most, _busy_slots(self.url))
            time.sleep(0.05)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def test_map_step_sends_as_many_chunks_at_once_as_the_server_has_slots(remote, llama_server, model, monkeypatch):
    budget = chunk_budget(remote, CHUNK)
    parts, _ = plan_sources(LONG, None, budget, remote.count_tokens)
    here, _ = plan_sources(LONG, None, budget, model.count_tokens)
    n_chunks = sum(len(p.chunks) for p in parts)
    assert n_chunks >= 5 and n_chunks == sum(len(p.chunks) for p in here)  # the server's tokens cut as ours do
    requests = _Requests(remote, monkeypatch)
    seen = []
    with _SlotWatch(llama_server.url) as server:
        far = summarize(remote, LONG, "summary", chunk_tokens=CHUNK, cache=MemoryCache(), on_progress=seen.append)
    assert far.ok, far.problem
    assert far.parallel and far.in_flight == remote.slots == 4 and far.chunks == n_chunks
    assert requests.most_at_once() == 4, requests.spans  # chunks really overlap in time, never more than the slots
    assert server.most == 4  # and the server was decoding four of them at once
    assert n_chunks <= len(requests.spans) < far.computed  # every chunk went as a concurrent request; the final call alone
    # progress counts every chunk as it arrives, never goes back, and ends complete
    mapped = sorted({p.done for p in seen if p.stage == "summarizing"})
    assert mapped == list(range(0, n_chunks + 1)), mapped
    dones = [p.done for p in seen]
    assert dones == sorted(dones) and seen[-1].done == seen[-1].total == far.computed
    assert len(far.text.split()) >= 5 and all(p.spans for p in far.points)


def test_cancel_mid_map_closes_every_request_and_a_rerun_reuses_finished_chunks(remote, llama_server, monkeypatch):
    requests = _Requests(remote, monkeypatch)
    cache, cancel = MemoryCache(), threading.Event()
    at_cancel: dict = {}

    def on_progress(p):
        if p.stage == "summarizing" and p.done >= 1 and not cancel.is_set():
            at_cancel.update(time=time.monotonic(), done=p.done, running=len(requests.open))
            cancel.set()

    with pytest.raises(Cancelled):
        summarize(remote, LONG, "key-points", chunk_tokens=CHUNK, cache=cache, cancel=cancel, on_progress=on_progress)
    stopped = time.monotonic() - at_cancel["time"]
    assert at_cancel["running"] >= 1  # requests were still running when the cancel came
    assert stopped < 0.5, stopped  # every open stream closed: the job ended within half a second
    assert not requests.open
    deadline = time.monotonic() + 2
    while _busy_slots(llama_server.url):  # the server stopped decoding them too
        assert time.monotonic() < deadline, "the server kept decoding after the cancel"
        time.sleep(0.05)
    finished = len(cache)
    assert finished >= at_cancel["done"] >= 1
    budget = chunk_budget(remote, CHUNK)
    n_chunks = sum(len(p.chunks) for p in plan_sources(LONG, None, budget, remote.count_tokens)[0])
    assert finished < n_chunks  # cancelled in the middle of the map step

    requests.spans.clear()
    again = summarize(remote, LONG, "key-points", chunk_tokens=CHUNK, cache=cache)
    assert again.ok, again.problem
    assert again.reused == finished  # every chunk that finished before the cancel, none computed twice
    assert len(requests.spans) >= n_chunks - finished and again.in_flight == min(4, n_chunks - finished)
    assert again.chunks == n_chunks and all(p.spans for p in again.points)
    third = summarize(remote, LONG, "key-points", chunk_tokens=CHUNK, cache=cache)
    assert third.computed == 0 and third.reused == again.reused + again.computed  # all of it was kept
    assert third.text == again.text


def test_history_says_which_engine_produced_the_summary(remote, tmp_path, monkeypatch):
    """The encrypted store's history row of a summary made on the server names that server, as the
    CLI and the app record it (Store.add_history_from_result)."""
    from engine.store import Store
    from texts import SHORT

    monkeypatch.setenv("HUSHWRITE_KEYRING", "off")
    result = summarize(remote, SHORT, "key-points")
    assert result.ok, result.problem
    with Store.open(data_dir=tmp_path, passphrase="a long enough passphrase", interactive=False) as store:
        store.add_history_from_result(result)
        (row,) = store.history(tool="summarize")
    assert row["model"] == remote.name == f"{remote.display_name} on 127.0.0.1"
    assert row["kind"] == "key-points" and row["output"] == result.text

"""End to end with the real default model (n_ctx 1024, small chunks so documents split)."""

from __future__ import annotations

import re
import threading

import pytest

from engine.errors import Cancelled, InputError
from engine.summarize import MemoryCache, summarize
from tables import is_table
from texts import LONG, SHORT, STRUCTURED

CHUNK = 200


def _bullets(text: str, mark: str) -> list[str]:
    return [ln for ln in text.splitlines() if re.match(mark, ln)]


@pytest.mark.parametrize("kind", ["summary", "key-points", "list", "table"])
def test_every_kind_has_its_shape_for_a_short_text(model, kind):
    r = summarize(model, SHORT, kind)
    assert r.ok, r.problem
    assert r.chunks == 0 and r.computed == 1  # short: one prompt, no map-reduce
    lines = r.text.splitlines()
    if kind == "summary":
        assert len(lines) == 1 and len(r.text.split()) >= 5 and not r.text.startswith(("-", "1."))
    elif kind == "key-points":
        assert lines and all(ln.startswith("- ") and len(ln) > 4 for ln in lines)
    elif kind == "list":
        assert lines and [ln.split(".", 1)[0] for ln in lines] == [str(i) for i in range(1, len(lines) + 1)]
    else:
        assert is_table(r.text)
        assert lines[1] == "| --- | --- |" and len(lines) >= 3
        assert all(ln.count("|") == 3 for ln in lines)
    assert r.stats.prompt_tokens > 0 and r.stats.output_tokens > 0


def test_multi_chunk_document_keeps_its_sections(model):
    seen = []
    r = summarize(model, STRUCTURED, "key-points", on_progress=seen.append, chunk_tokens=CHUNK)
    assert r.ok, r.problem
    assert r.chunks >= 4 and r.sections == ["Planning", "Building"]
    assert r.computed >= r.chunks + 3  # maps, one merge per section, the final answer
    body, _, outline = r.text.partition("\n\n## ")
    assert _bullets(body, r"- ") == body.splitlines()
    assert "## Planning\n\n- " in r.text and "## Building\n\n- " in r.text
    assert r.text.index("## Planning") < r.text.index("## Building")
    # progress: done never goes back, totals are honest at the end, an ETA once a call is timed
    dones = [p.done for p in seen]
    assert dones == sorted(dones) and seen[-1].stage == "done" and seen[-1].done == seen[-1].total == r.computed
    assert any(p.eta_seconds is not None and p.eta_seconds > 0 for p in seen if 0 < p.done < p.total)


def test_table_of_a_sectioned_document_has_a_row_per_section(model):
    r = summarize(model, STRUCTURED, "table", chunk_tokens=CHUNK)
    assert r.ok, r.problem
    overall, _, by_section = r.text.partition("\n\n## By section\n\n")
    assert is_table(overall) and is_table(by_section)
    rows = by_section.splitlines()
    assert rows[0] == "| Section | Summary |" and [row.split("|")[1].strip() for row in rows[2:]] == ["Planning", "Building"]


class _Recording(MemoryCache):
    """A cache that remembers which keys were written (computed) since `written` was reset."""

    def __init__(self):
        super().__init__()
        self.written: list[str] = []

    def put(self, key, value):
        self.written.append(key)
        super().put(key, value)


def test_cancel_keeps_finished_chunks_and_resume_reuses_them(model):
    cache = _Recording()
    stop = threading.Event()

    def on_progress(p):
        if p.done >= 2:
            stop.set()  # as a Cancel button would, from the progress callback

    with pytest.raises(Cancelled):
        summarize(model, LONG, "summary", on_progress=on_progress, cache=cache, cancel=stop, chunk_tokens=CHUNK)
    finished = set(cache)
    assert len(finished) >= 2

    progress = []
    cache.written.clear()
    r = summarize(model, LONG, "summary", on_progress=progress.append, cache=cache, chunk_tokens=CHUNK)
    assert r.ok, r.problem
    assert not finished & set(cache.written)  # nothing finished before the cancel is computed again
    # (reused can exceed what was finished: a merge level may meet a text it already answered)
    assert r.reused >= len(finished) and r.computed == len(cache.written)
    assert r.computed + r.reused == progress[-1].total and r.chunks > len(finished)
    assert any(p.reused >= len(finished) for p in progress)

    again = summarize(model, LONG, "summary", cache=cache, chunk_tokens=CHUNK)
    assert again.computed == 0 and again.text == r.text  # fully cached: same answer, no model calls


def test_model_cancel_from_another_thread_stops_the_job(model):
    started = threading.Event()
    outcome = {}

    def work():
        try:
            summarize(model, LONG, "summary", on_progress=lambda p: p.done >= 1 and started.set(), chunk_tokens=CHUNK)
            outcome["result"] = "finished"
        except Cancelled as exc:
            outcome["result"] = exc

    t = threading.Thread(target=work)
    t.start()
    assert started.wait(300)
    model.cancel()
    t.join(60)
    assert not t.is_alive()
    assert isinstance(outcome["result"], Cancelled)


def test_cache_keys_separate_kinds(model):
    cache = MemoryCache()
    summarize(model, SHORT, "summary", cache=cache)
    r = summarize(model, SHORT, "key-points", cache=cache)
    assert r.reused == 0 and r.computed == 1 and len(cache) == 2


def test_bad_requests_are_input_errors(model):
    with pytest.raises(InputError, match="unknown kind"):
        summarize(model, SHORT, "poem")
    with pytest.raises(InputError, match="no text"):
        summarize(model, "  \n ", "summary")


def test_a_short_text_previews_its_chosen_sentences_before_the_model_writes(model):
    drafts, results = [], []
    r = summarize(model, SHORT, "key-points", on_draft=lambda checked, draft: drafts.append(draft),
                  on_text=results.append)
    assert len(drafts) == 1 and results == [r.text]  # one preview, before the result
    lines = [ln.lstrip("•-* ").strip() for ln in drafts[0].splitlines() if ln.strip()]
    assert lines and all(ln in " ".join(SHORT.split()) for ln in lines)  # the text's own sentences, verbatim
    long_drafts = []
    summarize(model, LONG, "summary", on_draft=lambda c, d: long_drafts.append(d))
    assert long_drafts == []  # a multi-chunk document shows progress instead

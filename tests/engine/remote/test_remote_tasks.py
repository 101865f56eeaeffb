"""Proofread, rewrite and summarize through a real llama-server give the same kinds of results
as the embedded model (same llama.cpp, same model: with greedy decoding mostly the same words)."""

from __future__ import annotations

import sys
from pathlib import Path

from engine.proofread import proofread
from engine.summarize import summarize
from engine.tasks.rewrite import rewrite

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "summarize"))
from texts import SHORT  # noqa: E402

TYPOS = "i has went to the libary yesterday and it were closed, so we goes home. The weather was nice."
PARAGRAPH = ("hey so i think we should maybe move the meeting to tuesday because a lot of people cant come "
             "on monday, let me know what you think")


def test_proofread_through_the_server(remote, model):
    far = proofread(remote, TYPOS)
    here = proofread(model, TYPOS)
    assert far.model == remote.name and "on 127.0.0.1" in far.model  # history records the engine
    assert far.ok == here.ok
    assert "library" in far.text and "libary" not in far.text
    assert far.edits and {type(e) for e in far.edits} == {type(e) for e in here.edits}
    for e in far.edits:  # every edit points at the original text
        assert TYPOS[e.start:e.end] == e.original
    # The server cannot score texts (no log-probabilities of a given text over the OpenAI API), so
    # only the dictionary's fixes apply there; every one of them is one the local run makes too.
    local = {(e.start, e.end, e.replacement) for e in here.edits}
    assert {(e.start, e.end, e.replacement) for e in far.edits} <= local, (far.text, here.text)


def test_rewrite_through_the_server(remote, model):
    streamed = []
    far = rewrite(remote, PARAGRAPH, tone="professional", on_text=streamed.append)
    here = rewrite(model, PARAGRAPH, tone="professional")
    assert streamed and far.stats.output_tokens > 0
    assert far.ok == here.ok
    if far.ok:
        assert "tuesday" in far.text.lower() and far.text != PARAGRAPH
    else:
        assert far.text == PARAGRAPH and far.problem
    assert far.model.endswith("on 127.0.0.1")


def test_summarize_short_through_the_server(remote, model):
    far = summarize(remote, SHORT, "key-points")
    here = summarize(model, SHORT, "key-points")
    assert far.ok and here.ok
    lines = far.text.splitlines()
    assert lines and all(ln.startswith("- ") for ln in lines)
    assert far.computed == here.computed == 1

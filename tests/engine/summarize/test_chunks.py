"""Chunk planning with the real tokenizer: budgets hold, boundaries fall between paragraphs,
overlap repeats one sentence, headings become parts, nothing is lost."""

from __future__ import annotations

import re

from engine.summarize.chunks import OVERLAP_MARK, group_by_budget, plan
from texts import LONG, PARAGRAPHS, STRUCTURED


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def test_chunks_respect_the_token_budget_and_keep_every_paragraph(model):
    parts = plan(LONG, None, 200, model.count_tokens)
    assert len(parts) == 1 and parts[0].title == ""
    chunks = parts[0].chunks
    assert len(chunks) >= 3
    assert all(model.count_tokens(c) <= 200 for c in chunks)
    bodies = [c.split("\n\n", 1)[1] if c.startswith(OVERLAP_MARK) else c for c in chunks]
    assert "\n\n".join(bodies) == LONG  # cut only between paragraphs, in order, nothing dropped


def test_each_later_chunk_repeats_the_last_sentence_before_it(model):
    chunks = plan(LONG, None, 200, model.count_tokens)[0].chunks
    for prev, cur in zip(chunks, chunks[1:]):
        assert cur.startswith(OVERLAP_MARK)
        repeated = cur[len(OVERLAP_MARK):].split("\n\n", 1)[0]
        assert prev.rstrip().endswith(repeated)


def test_headings_become_parts_and_a_bare_title_joins_the_first_section(model):
    parts = plan(STRUCTURED, None, 200, model.count_tokens)
    assert [p.title for p in parts] == ["Planning", "Building"]
    assert parts[0].text.startswith("# Millbrook library\n\n## Planning")
    assert all(len(p.chunks) >= 2 for p in parts)
    assert _words(" ".join(p.text for p in parts)) == _words(STRUCTURED)


def test_small_sections_are_joined_until_the_budget(model):
    text = "\n\n".join(f"## Note {i}\n\n{p}" for i, p in enumerate(PARAGRAPHS[:6]))
    parts = plan(text, None, 150, model.count_tokens)
    assert 1 < len(parts) < 6
    assert parts[0].title.startswith("Note 0 / Note 1")
    assert all(p.tokens <= 150 for p in parts)


def test_explicit_headings_override_detection(model):
    offset = LONG.index(PARAGRAPHS[8])
    parts = plan(LONG, [(0, "Before"), (offset, "After")], 600, model.count_tokens)
    assert [p.title for p in parts] == ["Before", "After"]
    assert parts[1].text.startswith(PARAGRAPHS[8][:30])


def test_group_by_budget_keeps_order_and_limits(model):
    groups = group_by_budget(PARAGRAPHS, 120, model.count_tokens)
    assert [p for g in groups for p in g] == PARAGRAPHS
    assert all(sum(model.count_tokens(p) + 2 for p in g) <= 120 for g in groups if len(g) > 1)

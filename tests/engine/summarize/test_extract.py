"""Sentence choice with spans (no model)."""

from __future__ import annotations

from engine.summarize.extract import content_words, scores, select, source_sentences
from engine.summarize.locate import Locator
from engine.summarize.ground import Point
from engine.summarize.sources import plan_sources
from texts import LONG, STRUCTURED


def test_every_source_sentence_span_is_its_text():
    sents = source_sentences(LONG)
    assert len(sents) > 10
    assert all(LONG[s.start:s.end] == s.text for s in sents)


def test_select_returns_k_sentences_in_document_order_and_skips_headings():
    text = "# Notes\n\n" + LONG
    sents = source_sentences(text)
    chosen = select(sents, 4)
    assert len(chosen) == 4 and [c.index for c in chosen] == sorted(c.index for c in chosen)
    assert all(not c.text.startswith("#") for c in chosen)
    assert scores(sents)[0] == -1.0  # the heading line is never chosen


def test_central_sentence_beats_an_aside():
    text = ("The library will be rebuilt. The library rebuild costs money and the library gets a garden. "
            "My cat likes fish. The library rebuild was voted by the council for the library users.")
    chosen = select(source_sentences(text), 1, position=0.0)
    assert "library" in chosen[0].text


def test_plan_keeps_offsets_into_the_original_text():
    parts, titles = plan_sources(STRUCTURED, None, 120, lambda t: len(t.split()))
    assert len(parts) >= 2 and any(titles)
    for p in parts:
        for chunk in p.chunks:
            assert all(STRUCTURED[s.start:s.end] == s.text for s in chunk)
    assert sum(len(c) for p in parts for c in p.chunks) == sum(len(p.sentences) for p in parts)


def test_content_words_stem_and_keep_numbers():
    assert content_words("The councils applied 2.4 million") == ["council", "appli", "2.4", "million"] or \
        "2.4" in content_words("The councils applied 2.4 million")


def test_locator_gives_lines_and_the_passage():
    text = "First line.\nSecond line here.\n\nFourth line is this one."
    loc = Locator(text)
    s = text.index("Fourth")
    p = Point("Fourth line.", [(s, len(text))])
    assert loc.label(p) == "line 4"
    d = loc.describe(p)
    assert d["sources"][0]["lines"] == [4, 4] and d["sources"][0]["passage"] == "Fourth line is this one."
    pages = Locator(text, page_starts=[0, 12])
    assert pages.label(p) == "page 2"


def test_heading_words_favour_the_sentences_under_them_even_when_the_heading_has_new_words():
    text = "## Planning permits\n\nThe builder waited. The permit for the new wing arrived in May. Lunch was late."
    sents = source_sentences(text, [0])
    chosen = select(sents, 1, headings=["Planning permits"], position=0.0, centrality=0.0, heading=1.0)
    assert chosen[0].text.startswith("The permit")

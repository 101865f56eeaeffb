"""What passes through a rewrite untouched, and what the model is given. No model needed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.tasks.structure import join, split

EMAIL = "Dear Ms. Okafor,\n\nI can't come on Thursday. Could we move it?\n\nKind regards,\nDaniel Brandt\nHarlow Street Ltd"


def roles(text):
    return [(p.role, p.text.strip()) for p in split(text) if p.role not in ("space", "blank")]


def test_email_greeting_sign_off_and_signature_pass_through():
    r = roles(EMAIL)
    assert r[0] == ("salutation", "Dear Ms. Okafor,")
    assert ("sign-off", "Kind regards,") in r and ("signature", "Daniel Brandt") in r
    assert ("signature", "Harlow Street Ltd") in r
    rewritable = [p.text for p in split(EMAIL) if p.rewritable]
    assert rewritable == ["I can't come on Thursday.", "Could we move it?"]


def test_lists_headings_urls_and_emoji():
    text = "# Plan\n\n- book the van for Saturday 🚚\n1. call the agent about the keys\nhttps://example.org/form\n🎉🎉"
    pieces = split(text)
    assert join(pieces) == text
    rewritable = [p.text for p in pieces if p.rewritable]
    assert rewritable == ["book the van for Saturday", "call the agent about the keys"]
    kept = [p.text for p in pieces if not p.rewritable]
    assert "- " in kept and "1. " in kept and "# Plan\n" in kept and "https://example.org/form\n" in kept
    assert any("🚚" in k for k in kept)


def test_long_lowercase_runs_are_split_into_sentences():
    text = ("hi jess, handing over the wilson account to u while im off next week. contract renewal is due "
            "28th feb and they want a 10% discount. lmk if anything is unclear b4 fri")
    rewritable = [p.text for p in split(text) if p.rewritable]
    assert len(rewritable) == 3 and rewritable[1].startswith("contract renewal")
    assert join(split(text)) == text


def test_paragraphs_are_numbered():
    pieces = split("One two three four.\n\nFive six seven eight.\nNine ten eleven twelve.")
    paras = {p.paragraph for p in pieces if p.rewritable}
    assert paras == {0, 1}


def test_every_dev_text_comes_back_exactly():
    path = Path(__file__).resolve().parents[4] / "shared/eval/user-texts/dev.jsonl"
    if not path.exists():
        pytest.skip("the shared evaluation set is not next to this tree")
    for line in path.read_text().splitlines():
        row = json.loads(line)
        pieces = split(row["text"])
        assert join(pieces) == row["text"], row["id"]
        assert any(p.rewritable for p in pieces), row["id"]

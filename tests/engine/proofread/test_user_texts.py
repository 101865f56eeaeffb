"""Every name and number the everyday dev texts must keep survives the model-free layers (the
spelling rule is what used to rename people); the full pipeline is measured on them by
benchmarks/quality_proofread.py --part user."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.proofread import Draft, apply_edits
from engine.proofread.quick import document_names, quick_edits, split, writes_lowercase

DEV = Path(__file__).resolve().parents[4] / "shared" / "eval" / "user-texts" / "dev.jsonl"
ROWS = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()] if DEV.exists() else []


@pytest.mark.skipif(not ROWS, reason="../shared/eval/user-texts/dev.jsonl is not here")
def test_must_keep_items_survive_the_dictionary_layer_and_the_live_fast_check():
    lost = []
    for row in ROWS:
        text = row["text"]
        fixed = Draft(None, text, use_model=False).result().text
        names = document_names(text)
        units = split(text)
        lower = writes_lowercase(units)
        edits = [e.shifted(s.start) for s in units for e in quick_edits(s, (), names, lower)]
        live = apply_edits(text, edits)
        for item in row["must_keep"]:
            for label, out in (("dictionary layer", fixed), ("live fast check", live)):
                if item not in out:
                    lost.append((row["id"], label, item))
    assert lost == []

"""End-to-end proofreading with the real embedded model."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.errors import InputError
from engine.proofread import CATEGORIES, apply_edits, proofread

ROOT = Path(__file__).resolve().parents[3]


def assert_consistent(text, result):
    for e in result.edits:
        assert text[e.start : e.end] == e.original
        assert e.category in CATEGORIES and e.reason
    assert apply_edits(text, result.edits) == result.text


def test_obviously_wrong_sentence_gets_exact_explained_edits(model):
    text = "i went to the libary yesterday becouse it was raining."
    result = proofread(model, text)
    assert_consistent(text, result)
    found = {(e.start, e.end, e.original, e.replacement, e.category) for e in result.edits}
    assert (0, 1, "i", "I", "capitalization") in found
    s = text.index("libary")
    assert (s, s + 6, "libary", "library", "spelling") in found
    s = text.index("becouse")
    assert (s, s + 7, "becouse", "because", "spelling") in found
    assert result.text.startswith("I went to the library yesterday because it was raining")


def test_clean_paragraph_comes_back_unchanged(model):
    text = (
        "The library opens at nine in the morning. Visitors can borrow up to five books at a time.\n"
        "Please return them within three weeks, or renew them online."
    )
    result = proofread(model, text)
    assert result.edits == []
    assert result.text == text


def test_dictionary_words_are_never_changed(model):
    # (a rare word with no slip-shaped correction, like "zorbex", is left alone even without it)
    text = "Our team went to the libary on Monday and the libary staff were kind."
    flagged = proofread(model, text)
    assert any(e.original == "libary" for e in flagged.edits)  # without the dictionary it is a misspelling
    kept = proofread(model, text, dictionary=["Libary"])
    assert not any("libary" in e.original.lower() for e in kept.edits)
    assert kept.text.count("libary") == 2


MARKDOWN = """# Setup notes

We recieve reports at https://example.com/bug_reports and in `log_levl.txt` every day.

- first, run the installer
- then check the **settings** page

```
this code block has teh typo and stays as it is
```
"""


def test_markdown_urls_and_code_spans_survive(model):
    result = proofread(model, MARKDOWN)
    assert_consistent(MARKDOWN, result)
    out = result.text
    for kept in ("# Setup notes\n\n", "https://example.com/bug_reports", "`log_levl.txt`", "- first, run the installer\n",
                 "- then check the **settings** page\n", "```\nthis code block has teh typo and stays as it is\n```\n"):
        assert kept in out
    assert "We receive reports" in out


def test_applying_only_accepted_edits(model):
    text = "The wheather was nice and we walkd to the park."
    result = proofread(model, text)
    assert_consistent(text, result)
    weather = [e for e in result.edits if e.original == "wheather"]
    assert weather and weather[0].replacement == "weather"
    assert "walkd" in [e.original for e in result.edits]
    assert apply_edits(text, weather) == "The weather was nice and we walkd to the park."
    assert apply_edits(text, []) == text


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_input_is_a_clear_error(model, text):
    with pytest.raises(InputError, match="no text to proofread"):
        proofread(model, text)


def test_progress_reports_every_sentence(model):
    seen = []
    proofread(model, "She go to school every days. He dont like it.", on_progress=seen.append)
    assert [p.done for p in seen] == [1, 2] and all(p.total == 2 for p in seen)


def run_cli(*args, stdin="i has went to the libary"):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "hushwrite", "--no-store", "proofread", *args],
                          input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


def test_cli_prints_text_json_and_diff():
    plain = run_cli()
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.startswith("I ") and "library" in plain.stdout
    data = json.loads(run_cli("--json").stdout)
    assert any(e["original"] == "libary" and e["start"] == 18 and e["category"] == "spelling" for e in data["edits"])
    assert "[-libary-]{+library+}" in run_cli("--diff").stdout
    empty = run_cli(stdin="  \n")
    assert empty.returncode == 2 and "empty" in empty.stderr and "Traceback" not in empty.stderr


def test_modes_share_one_model_pass_and_unknown_mode_is_an_input_error(model):
    from engine.proofread import Draft

    draft = Draft(model, "Yesterday we buyed a new car. It are very fast and my brother like it.")
    careful, thorough = draft.result("careful"), draft.result("thorough")
    assert careful.variant == "careful" and thorough.variant == "thorough"
    assert {(e.start, e.original) for e in careful.edits} <= {(e.start, e.original) for e in thorough.edits}
    with pytest.raises(InputError, match="unknown proofreading mode"):
        proofread(model, "Some text.", mode="aggressive")

"""One decoder: the same bytes read the same way whichever tool reads them (proofread's and
rewrite's text input, summarize's document input, standard input of each)."""

from __future__ import annotations

import io
import sys

import pytest

from engine.documents.decoding import decode_text
from engine.errors import InputError
from hushwrite.cli.inputs import read_document, read_text

# French in cp1252: charset detection ties it with cp1250, which would turn "è" into "č".
FRENCH = "Le problème est là: très français, élève. Crème brûlée et pâté, voilà ce que Hélène préfère.\n"
SAMPLES = {
    "cp1252": FRENCH.encode("cp1252"),
    "utf-8": FRENCH.encode("utf-8"),
    "utf-8 with BOM": b"\xef\xbb\xbf" + FRENCH.encode("utf-8"),
    "utf-16 with BOM": FRENCH.encode("utf-16"),
    "utf-16-le without BOM": FRENCH.encode("utf-16-le"),
}


@pytest.mark.parametrize("label", sorted(SAMPLES))
def test_proofread_and_summarize_decode_a_file_alike(label, tmp_path):
    path = tmp_path / "note.txt"
    path.write_bytes(SAMPLES[label])
    proofread_text = read_text(str(path), "proofread")
    summarize_text = read_document(str(path)).text
    assert proofread_text.rstrip("\n") == summarize_text.rstrip("\n") == FRENCH.rstrip("\n")


def test_proofread_and_summarize_decode_standard_input_alike(monkeypatch):
    data = SAMPLES["cp1252"]

    def stdin():
        return io.TextIOWrapper(io.BytesIO(data))

    monkeypatch.setattr(sys, "stdin", stdin())
    proofread_text = read_text("-", "proofread")
    monkeypatch.setattr(sys, "stdin", stdin())
    summarize_text = read_document("-").text
    assert proofread_text == summarize_text == FRENCH


def test_binary_bytes_are_refused_in_words():
    with pytest.raises(InputError, match="looks like a binary file"):
        decode_text(b"\x00\x00\xff\x10" * 40, "blob.txt")

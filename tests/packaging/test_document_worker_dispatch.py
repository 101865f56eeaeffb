"""The frozen app reads documents by starting its own binary with `--document-worker`
(packaging/entry.py). Here a stand-in for that binary runs entry.py as PyInstaller would, and
engine.documents takes the frozen path to it: a real document and a zip bomb go through it."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import docx
import pytest

from engine.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "engine" / "documents"))
import hostile  # noqa: E402


@pytest.fixture()
def frozen(tmp_path, monkeypatch):
    if os.name == "nt":
        pytest.skip("the stand-in binary is a shell script")
    binary = tmp_path / "hushwrite"
    binary.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" "{ROOT / "packaging" / "entry.py"}" "$@"\n')
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(binary))
    return binary


def test_frozen_binary_reads_a_document_through_its_worker_flag(frozen, tmp_path):
    from engine.documents import load_document
    from engine.documents.isolation import worker_command

    assert worker_command()[0] == [str(frozen), "--document-worker"]
    d = docx.Document()
    d.add_heading("Minutes", 0)
    d.add_paragraph("The council approved the plan.")
    p = tmp_path / "minutes.docx"
    d.save(p)
    doc = load_document(p)
    assert doc.title == "Minutes" and "The council approved the plan." in doc.text


def test_frozen_binary_refuses_a_zip_bomb(frozen, tmp_path):
    from engine.documents import load_document

    bomb = tmp_path / "bomb.docx"
    hostile.docx_bomb(bomb)
    with pytest.raises(InputError, match="bomb.docx expands to 1.5 GB when unpacked"):
        load_document(bomb)

"""`hushwrite summarize` on hostile files as a user runs it: exit 2, the message with its figures,
no traceback, no model needed (the refusal comes before the model loads)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import hostile

ROOT = Path(__file__).resolve().parents[2]


def summarize(tmp_path, path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), HUSHWRITE_DATA_DIR=str(tmp_path / "data"))
    t = time.monotonic()
    p = subprocess.run([sys.executable, "-m", "engine.cli", "--no-store", "summarize", str(path)],
                       capture_output=True, text=True, timeout=60, env=env)
    return p, time.monotonic() - t


def test_summarize_zip_bomb_exits_2_with_the_figures(tmp_path):
    bomb = tmp_path / "bomb.docx"
    hostile.docx_bomb(bomb)
    p, seconds = summarize(tmp_path, bomb)
    assert p.returncode == 2, p.stderr
    assert p.stderr.startswith("hushwrite: bomb.docx expands to 1.5 GB when unpacked (5.3 MB on disk); "
                               "the limit is 256 MB")
    assert "Traceback" not in p.stderr and p.stdout == ""
    assert seconds < 10


def test_summarize_pdf_claiming_ten_million_pages_exits_2(tmp_path):
    pdf = tmp_path / "claims.pdf"
    pdf.write_bytes(hostile.pdf_ten_million_pages())
    p, seconds = summarize(tmp_path, pdf)
    assert p.returncode == 2, p.stderr
    assert "claims.pdf claims 10,000,000 pages; the limit is 10,000" in p.stderr
    assert "Traceback" not in p.stderr and seconds < 10


def test_summarize_fifo_exits_2_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "notes.txt"
    os.mkfifo(fifo)
    p, seconds = summarize(tmp_path, fifo)
    assert p.returncode == 2, p.stderr
    assert "notes.txt is a named pipe (FIFO), not a document file" in p.stderr
    assert "Traceback" not in p.stderr and seconds < 10

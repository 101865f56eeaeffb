"""`hushwrite summarize` on hostile files as a user runs it: exit 2, the message with its figures,
no traceback, no model needed (the refusal comes before the model loads)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import hostile

ROOT = Path(__file__).resolve().parents[3]


def summarize(tmp_path, path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), HUSHWRITE_DATA_DIR=str(tmp_path / "data"))
    t = time.monotonic()
    p = subprocess.run([sys.executable, "-m", "hushwrite", "--no-store", "summarize", str(path)],
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


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_summarize_fifo_exits_2_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "notes.txt"
    os.mkfifo(fifo)
    p, seconds = summarize(tmp_path, fifo)
    assert p.returncode == 2, p.stderr
    assert "notes.txt is a named pipe (FIFO), not a document file" in p.stderr
    assert "Traceback" not in p.stderr and seconds < 10


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_while_a_document_loads_exits_130_and_leaves_no_reader(tmp_path):
    """Ctrl+C in a terminal signals the whole process group: the CLI stops with 130, the reading
    child ignores the signal itself and is killed by its parent, so nothing is left running."""
    import signal

    from pdfmaker import text_pdf

    lines = [f"Line {i}: the committee discussed the budget and the plan for the river park." for i in range(45)]
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(text_pdf([lines] * 600))  # seconds to read
    env = dict(os.environ, PYTHONPATH=str(ROOT), HUSHWRITE_DATA_DIR=str(tmp_path / "data"))
    p = subprocess.Popen([sys.executable, "-m", "hushwrite", "--no-store", "summarize", str(pdf)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not _readers(p.pid):
        time.sleep(0.05)
    readers = _readers(p.pid)
    assert readers, "the reading child never started"
    time.sleep(0.3)
    os.killpg(p.pid, signal.SIGINT)
    out, err = p.communicate(timeout=30)
    assert p.returncode == 130, err
    assert "Traceback" not in err
    time.sleep(0.2)
    assert not any(os.path.exists(f"/proc/{r}") and _state(r) != "Z" for r in readers)


def _readers(parent: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == parent:
                        found.append(int(entry))
            except (OSError, ValueError):
                continue
    return found


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"

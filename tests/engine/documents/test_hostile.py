"""Hostile files, built here for real: each ends in a clear message (or, for a UTF-16 file
without a byte-order mark, its text) within 10 s, and caller plus reading child stay under
500 MB. Each case runs in a fresh Python: the caller's peak is its own VmHWM, the child's is the
peak it reports itself (VmHWM) or the parent's watchdog saw, whichever is higher."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import hostile
from engine.documents import Limits, load_document
from engine.errors import Cancelled, InputError

ROOT = Path(__file__).resolve().parents[3]
MB = 2**20

MEASURE = r"""
import json, sys, time
from engine.documents.isolation import run_isolated
def vm_hwm():  # this process's own peak (ru_maxrss would include its parent's, kept across exec)
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmHWM:"))
t = time.monotonic()
try:
    doc, stats = run_isolated(sys.argv[1])
    outcome, text = "ok", doc.text
except Exception as exc:
    outcome, text, stats = type(exc).__name__, str(exc), getattr(exc, "stats", {})
took = time.monotonic() - t
print(json.dumps({"outcome": outcome, "text": text, "seconds": took, "caller_peak": vm_hwm(),
                  "child_peak": max(stats.get("peak_rss", 0), stats.get("watched_peak", 0))}))
"""


def measure(path) -> dict:
    """Load one file in a fresh Python; its outcome, seconds and peak memory of caller and child."""
    if not sys.platform.startswith("linux"):
        pytest.skip("peak memory is read from /proc")
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    run = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True,
                         timeout=60, env=env)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    return json.loads(run.stdout)


def _bytes(name, data):
    return lambda t: (t / name).write_bytes(data) and t / name


def _built(name, build, *args):
    def make(t):
        build(t / name, *args)
        return t / name
    return make


def _fifo(t):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    os.mkfifo(t / "notes.txt")
    return t / "notes.txt"


CASES = [
    ("docx zip bomb (1.5 GB document.xml)", _built("bomb.docx", hostile.docx_bomb),
     "bomb.docx expands to 1.5 GB when unpacked (5.3 MB on disk); the limit is 256 MB"),
    ("docx with one 200 MB part", _built("big.docx", hostile.docx_big_member),
     "big.docx: its part word/document.xml unpacks to 200 MB; the limit for one part is 64 MB"),
    ("docx with 5,000 extra parts", _built("crowded.docx", hostile.docx_many_members),
     "crowded.docx holds 5,003 parts; the limit is 1,000"),
    ("PDF nested 200,000 levels deep", _bytes("deep.pdf", hostile.pdf_nested()),
     "deep.pdf is damaged: no text could be read from it (PdfReadError('Error reading PDF file.'))"),
    ("PDF whose page tree and outline refer to themselves", _bytes("loop.pdf", hostile.pdf_self_referencing()),
     "loop.pdf is damaged or is not a real .pdf file (PdfReadError: Detected cyclic page references.)"),
    ("PDF claiming 10 million pages", _bytes("claims.pdf", hostile.pdf_ten_million_pages()),
     "claims.pdf claims 10,000,000 pages; the limit is 10,000"),
    ("truncated PDF", _bytes("cut.pdf", hostile.pdf_truncated()), "cut.pdf is damaged or is not a real .pdf file"),
    ("text file with a 100 MB single line", _built("line.txt", hostile.one_line_text, 100 * MB),
     "line.txt is 100 MB; the limit is 50 MB"),
    ("text file with a 5 MB single line", _built("long-line.txt", hostile.one_line_text, 5 * MB),
     "long-line.txt: line 1 is 5,242,880 characters long; the limit is 1,000,000 characters in one line"),
    ("a directory named like a document", lambda t: (t / "report.docx").mkdir() or t / "report.docx",
     "report.docx is a folder, not a document"),
    ("a FIFO", _fifo, "notes.txt is a named pipe (FIFO), not a document file"),
]


@pytest.mark.parametrize("make, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_file_gets_its_message_fast_and_small(tmp_path, make, message):
    path = make(tmp_path)
    got = measure(path)
    assert got["outcome"] == "InputError", got
    assert message in got["text"] and "Traceback" not in got["text"]
    assert got["seconds"] < 10
    assert got["caller_peak"] < 500 * MB and got["child_peak"] < 500 * MB
    assert got["caller_peak"] + got["child_peak"] < 500 * MB


def test_utf16_without_a_byte_order_mark_is_read(tmp_path):
    p = tmp_path / "lettre.txt"
    p.write_bytes(hostile.utf16_without_bom())
    got = measure(p)
    assert got["outcome"] == "ok" and got["text"] == hostile.UTF16_TEXT
    assert got["seconds"] < 10 and got["caller_peak"] + got["child_peak"] < 500 * MB


@pytest.mark.parametrize("name, build, expect", [
    ("page.html", hostile.html_unclosed_attributes, "Start."),
    ("notes.md", hostile.markdown_spaced_heading, "Body text."),
], ids=["HTML with 10,000 unclosed attributes", "Markdown heading with 900,000 spaces"])
def test_inputs_that_made_parsers_quadratic_read_fast(tmp_path, name, build, expect):
    p = tmp_path / name
    p.write_bytes(build())
    got = measure(p)
    assert got["outcome"] == "ok" and expect in got["text"]
    assert got["seconds"] < 10 and got["caller_peak"] + got["child_peak"] < 500 * MB


def test_a_part_packed_beyond_the_ratio_is_refused_as_a_zip_bomb(tmp_path):
    p = tmp_path / "packed.docx"
    hostile.docx_bomb(p, 50 * MB)  # under the size limits, but packed 288 to 1
    with pytest.raises(InputError, match=r"packed.docx: its part word/document.xml is packed 288 to 1 "
                                         r"\(178 KB unpacking to 50 MB\); the limit is 100 to 1"):
        load_document(p)


def test_pdf_text_over_the_policy_is_refused_at_the_page_that_passes_it(tmp_path):
    from pdfmaker import text_pdf

    p = tmp_path / "book.pdf"
    p.write_bytes(text_pdf([[f"Line {i} of the book, with words." for i in range(30)]] * 50))
    with pytest.raises(InputError, match="book.pdf has more than 20,000 characters of text within its first 21 of "
                                         "50 pages; the limit is 20,000 characters"):
        load_document(p, limits=Limits(text_chars=20_000))


def test_pdf_whose_outline_and_form_loop_is_read_once(tmp_path):
    """pypdf's own guards: the self-drawing form is drawn once, the looping outline gives one entry."""
    p = tmp_path / "loops.pdf"
    p.write_bytes(hostile.pdf_outline_and_form_loops())
    got = measure(p)
    assert got["outcome"] == "ok" and got["text"] == "Minutes of the meeting.\nagain"
    assert got["seconds"] < 10 and got["caller_peak"] + got["child_peak"] < 500 * MB
    assert [s.title for s in load_document(p).sections] == ["Loop"]


# The child's own limits, each hit for real on a legitimate but slow or heavy file.

@pytest.fixture(scope="module")
def slow_pdf(tmp_path_factory):
    from pdfmaker import text_pdf

    lines = [f"Line {i}: the committee discussed the budget and the plan for the river park." for i in range(45)]
    p = tmp_path_factory.mktemp("slow") / "minutes.pdf"
    p.write_bytes(text_pdf([lines] * 600))  # about 5 s to read on this machine
    return p


def _children() -> list[int]:
    me = str(os.getpid())
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if f.read().rsplit(")", 1)[1].split()[1] == me:
                        found.append(int(entry))
            except OSError:
                continue
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_wall_clock_limit_stops_the_child(slow_pdf):
    import time

    before = set(_children())  # session fixtures may own processes (an engine, a llama-server)
    t = time.monotonic()
    with pytest.raises(InputError, match="reading minutes.pdf took longer than 1 s, the limit"):
        load_document(slow_pdf, limits=Limits(seconds=1.0))
    assert time.monotonic() - t < 3
    assert set(_children()) - before == set()


@pytest.mark.skipif(sys.platform == "win32", reason="setrlimit")
def test_cpu_limit_stops_the_child(slow_pdf):
    with pytest.raises(InputError, match="used more than 1 s of processor time, the limit"):
        load_document(slow_pdf, limits=Limits(cpu_seconds=1))


@pytest.mark.skipif(sys.platform == "win32", reason="setrlimit")
def test_memory_limit_stops_the_child(tmp_path):
    p = tmp_path / "heavy.docx"
    hostile.docx_big_member(p, 40 * MB)  # under the part limit; its XML tree needs far more than 300 MB
    with pytest.raises(InputError, match="reading heavy.docx needed more than 300 MB of memory, the limit"):
        load_document(p, limits=Limits(memory_bytes=300 * MB))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_cancel_kills_the_child_at_once(slow_pdf):
    import threading
    import time

    before = set(_children())  # session fixtures may own processes (an engine, a llama-server)
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    t = time.monotonic()
    with pytest.raises(Cancelled):
        load_document(slow_pdf, cancel=cancel)
    assert time.monotonic() - t < 1.5
    assert set(_children()) - before == set()


def test_a_bug_in_the_child_is_a_message_not_a_traceback(tmp_path):
    """The child's envelope for an unexpected exception: the parent names it without a traceback.
    Made real by handing the child a request it cannot serve (limits of the wrong type)."""
    from engine.documents import isolation

    p = tmp_path / "fine.txt"
    p.write_text("Fine text.", encoding="utf-8")

    with pytest.raises(InputError, match="fine.txt could not be read: Hushwrite hit an internal error"):
        isolation.load_isolated(p, Limits(line_chars=None))

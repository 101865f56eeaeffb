"""`hushwrite summarize` as a user runs it: real process, real files, exit codes, Ctrl+C, resume."""

from __future__ import annotations

import json
import re
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from engine.summarize.progress import Progress, ProgressBar, format_eta
from texts import PARAGRAPHS, STRUCTURED

ROOT = Path(__file__).resolve().parents[3]


def _env(tmp_path):
    # Resume goes through the encrypted store: a passphrase store in the test's own data dir.
    env = dict(os.environ, PYTHONPATH=str(ROOT), HUSHWRITE_DATA_DIR=str(tmp_path / "data"),
               HUSHWRITE_PASSPHRASE="summarize-tests-passphrase", HUSHWRITE_KEYRING="off")
    env.pop("HUSHWRITE_DEBUG", None)
    return env


def _cached_parts(tmp_path) -> int:
    """Summaries cached in the test's encrypted store (opened beside the running CLI: WAL readers)."""
    from engine.store import Store

    with Store.open(tmp_path / "data", passphrase="summarize-tests-passphrase", interactive=False) as store:
        return store.counts()["summary_cache"]


def _cli(tmp_path, *args, **kw):
    if not (tmp_path / "data" / "store.db").exists():  # create the store once
        subprocess.run([sys.executable, "-m", "hushwrite", "history"], cwd=tmp_path, env=_env(tmp_path),
                       capture_output=True, check=True, timeout=120)
    return subprocess.Popen([sys.executable, "-m", "hushwrite", "summarize", *args],
                            cwd=tmp_path, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kw)


def _run(tmp_path, *args, timeout=900):
    p = _cli(tmp_path, *args)
    out, err = p.communicate(timeout=timeout)
    return p.returncode, out, err


def _pdf_with_password(tmp_path):
    sys.path.insert(0, str(ROOT / "tests" / "engine" / "documents"))
    from pdfmaker import text_pdf

    src = tmp_path / "src.pdf"
    src.write_bytes(text_pdf([["Board minutes."]]))
    w = PdfWriter()
    w.append(PdfReader(src))
    w.encrypt(user_password="pw", owner_password="owner")
    w.write(tmp_path / "locked.pdf")
    return "locked.pdf"


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda t: "nowhere.txt", "file not found: nowhere.txt"),
        (lambda t: (t / "song.mp3").write_bytes(b"ID3") and "song.mp3", "'.mp3' files are not supported"),
        (_pdf_with_password, "password-protected"),
        (lambda t: (t / "empty.md").write_text("\n\n") and "empty.md", "is empty"),
    ],
)
def test_document_errors_exit_2_with_a_message_and_no_traceback(tmp_path, make, message):
    code, out, err = _run(tmp_path, make(tmp_path), "--no-progress")
    assert code == 2 and out == ""
    assert err.startswith("hushwrite: ") and message in err and "Traceback" not in err


def test_docx_summarized_as_json_then_resumed_from_the_cache(tmp_path):
    d = docx.Document()
    d.add_heading("Millbrook library", 0)
    for line in STRUCTURED.split("\n\n")[1:]:
        if line.startswith("## "):
            d.add_heading(line[3:], 1)
        else:
            d.add_paragraph(line)
    d.save(tmp_path / "library.docx")
    code, out, err = _run(tmp_path, "library.docx", "--kind", "key-points", "--json", "--ctx", "1024")
    assert code == 0, err
    data = json.loads(out)
    assert data["tool"] == "summarize" and data["variant"] == "key-points" and data["ok"]
    assert data["document"]["format"] == "docx" and data["document"]["sections"] == 3
    assert data["timings"]["prompt_tokens"] > 0 and data["summarize"]["seconds"] > 0
    assert data["summarize"]["computed"] >= 3 and data["summarize"]["reused"] == 0
    assert data["text"].startswith("- ")
    code, out2, err = _run(tmp_path, "library.docx", "--kind", "key-points", "--json", "--ctx", "1024")
    again = json.loads(out2)
    assert code == 0 and again["summarize"]["computed"] == 0
    assert again["summarize"]["reused"] == data["summarize"]["computed"] and again["text"] == data["text"]


def test_ctrl_c_exits_130_after_caching_finished_chunks_and_a_rerun_resumes(tmp_path):
    text = "\n\n".join(PARAGRAPHS + PARAGRAPHS[::-1])
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    p = _cli(tmp_path, "long.txt", "--no-progress", "--ctx", "1024")
    deadline = time.time() + 600
    while time.time() < deadline and _cached_parts(tmp_path) == 0 and p.poll() is None:
        time.sleep(0.3)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 130, err
    assert "resume" in err and "Traceback" not in err
    finished = _cached_parts(tmp_path)  # finished chunks are in the encrypted store
    assert finished >= 1
    code, out, err = _run(tmp_path, "long.txt", "--json", "--ctx", "1024")
    data = json.loads(out)
    assert code == 0 and data["summarize"]["reused"] == finished and data["summarize"]["computed"] >= 1


def test_progress_bar_line():
    class Sink:
        text = ""

        def write(self, s):
            self.text += s

        def flush(self):
            pass

    sink = Sink()
    bar = ProgressBar(sink, width=10)
    bar(Progress(3, 10, 75.0, "summarizing", reused=2))
    assert sink.text.startswith("\r[###.......] 3/10  ETA 01:15  summarizing  (2 from cache)")
    bar.close()
    assert sink.text.endswith("\n")
    assert format_eta(None) == "--:--" and format_eta(3725) == "1:02:05"


def test_sources_print_line_numbers_and_json_carries_spans(tmp_path):
    text = ("Budget notes\n\nThe council approved 1.2 million pounds for road repairs on Mill Lane.\n"
            "Work starts in April and should take six weeks.\n\nThe swimming pool opens on Sundays from June, "
            "and entry stays free for children under 12.")
    (tmp_path / "notes.txt").write_text(text, encoding="utf-8")
    code, out, err = _run(tmp_path, "notes.txt", "--kind", "key-points", "--sources", "--no-progress", "--ctx", "1024")
    assert code == 0, err
    body, _, sources = out.partition("\nSources:\n")
    assert body.startswith("- ") and sources
    assert all(ln.startswith(("[", "    “")) for ln in sources.strip().splitlines())
    assert any(" line 3" in ln or " lines 3" in ln for ln in sources.splitlines())
    code, out, err = _run(tmp_path, "notes.txt", "--kind", "summary", "--json", "--ctx", "1024")
    data = json.loads(out)
    assert code == 0 and data["points"]
    for p in data["points"]:
        for src in p["sources"]:
            assert text[src["start"]:src["end"]].split()[:3] == src["passage"].split()[:3]
            first = text.count("\n", 0, src["start"]) + 1
            assert src["lines"][0] == first


PDF_PAGES = [
    ["Harbour report", "The harbour board met on Monday to discuss the storm damage.",
     "Two piers were closed after waves broke the railings on the east side."],
    ["Repairs to the east pier will cost 80,000 pounds and take four months.",
     "The fishing fleet will use the west pier until the work is finished."],
    ["The ferry to the island keeps its summer timetable.",
     "Tickets bought before the storm stay valid until the end of September."],
]


def test_sources_of_a_pdf_are_page_numbers_and_json_always_carries_spans(tmp_path):
    sys.path.insert(0, str(ROOT / "tests" / "engine" / "documents"))
    from pdfmaker import text_pdf

    from engine.documents import load_document

    (tmp_path / "report.pdf").write_bytes(text_pdf(PDF_PAGES))
    doc = load_document(str(tmp_path / "report.pdf"))
    assert len(doc.page_starts) == 3
    page_text = [" ".join(doc.text[a:b].split()) for a, b in zip(doc.page_starts, doc.page_starts[1:] + [len(doc.text)])]
    assert all(page_text[i].startswith(" ".join(lines[0].split()[:3])) for i, lines in enumerate(PDF_PAGES))

    code, out, err = _run(tmp_path, "report.pdf", "--kind", "key-points", "--sources", "--no-progress", "--ctx", "1024")
    assert code == 0, err
    body, _, sources = out.partition("\nSources:\n")
    assert body.startswith("- ") and sources
    labels = [ln for ln in sources.splitlines() if ln.startswith("[")]
    assert labels and all(re.search(r"\] pages? \d", ln) for ln in labels), labels  # pages, not lines
    cited = set()
    for label, quote in _label_and_first_quote(sources):
        page = int(re.search(r"pages? (\d+)", label).group(1))
        assert quote.rstrip("…")[:40] in page_text[page - 1], (label, quote)  # the passage is on that page
        cited.add(page)
    assert len(cited) >= 2, sources  # five key points of three pages come from more than one page

    code, out, err = _run(tmp_path, "report.pdf", "--kind", "summary", "--json", "--ctx", "1024")  # no --sources
    assert code == 0, err
    data = json.loads(out)
    assert data["document"]["pages"] == 3 and data["points"]
    for p in data["points"]:
        assert p["sources"]
        for src in p["sources"]:
            first, last = src["pages"]
            assert 1 <= first <= last <= 3
            assert doc.page_starts[first - 1] <= src["start"] < (doc.page_starts + [len(doc.text)])[first]
            assert " ".join(doc.text[src["start"]:src["end"]].split())[:40] == src["passage"][:40]


def _label_and_first_quote(sources: str):
    lines = sources.strip().splitlines()
    for i, ln in enumerate(lines):
        if ln.startswith("[") and i + 1 < len(lines) and lines[i + 1].startswith("    “"):
            yield ln, lines[i + 1].strip()[1:].rstrip("”")

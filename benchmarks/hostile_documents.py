"""What each hostile document costs: message, seconds and peak memory of caller and reading child.

    python benchmarks/hostile_documents.py [--runs 3]

Builds the files of tests/engine/documents/hostile.py in a temporary folder, then loads each one the
way `engine.documents.load_document` does (isolation.run_isolated, which also returns the child's
figures) in a fresh Python. Peaks are VmHWM: the caller's own, and the one the reading child
reports (or the parent's watchdog saw). Linux only. Prints medians over --runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "engine" / "documents"))
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
    outcome, text = f"read: {len(doc.text):,} characters", ""
except Exception as exc:
    outcome, text, stats = f"{type(exc).__name__}: {exc}", "", getattr(exc, "stats", {})
took = time.monotonic() - t
print(json.dumps({"outcome": outcome, "text": text, "seconds": took, "caller_peak": vm_hwm(),
                  "child_peak": max(stats.get("peak_rss", 0), stats.get("watched_peak", 0))}))
"""


def build(folder: Path) -> list[tuple[str, Path]]:
    import hostile

    f = folder
    hostile.docx_bomb(f / "bomb.docx")
    hostile.docx_big_member(f / "big.docx")
    hostile.docx_many_members(f / "crowded.docx")
    (f / "deep.pdf").write_bytes(hostile.pdf_nested())
    (f / "loop.pdf").write_bytes(hostile.pdf_self_referencing())
    (f / "loops.pdf").write_bytes(hostile.pdf_outline_and_form_loops())
    (f / "claims.pdf").write_bytes(hostile.pdf_ten_million_pages())
    (f / "cut.pdf").write_bytes(hostile.pdf_truncated())
    hostile.one_line_text(f / "line.txt", 100 * MB)
    hostile.one_line_text(f / "long-line.txt", 5 * MB)
    (f / "lettre.txt").write_bytes(hostile.utf16_without_bom())
    (f / "page.html").write_bytes(hostile.html_unclosed_attributes())
    (f / "notes.md").write_bytes(hostile.markdown_spaced_heading())
    (f / "report.docx").mkdir()
    os.mkfifo(f / "pipe.txt")
    return [
        ("docx zip bomb, document.xml 1.5 GB", f / "bomb.docx"),
        ("docx with one 200 MB part", f / "big.docx"),
        ("docx with 5,000 extra parts", f / "crowded.docx"),
        ("PDF nested 200,000 levels", f / "deep.pdf"),
        ("PDF page tree/outline/form referring to itself", f / "loop.pdf"),
        ("PDF outline and form XObject drawing themselves", f / "loops.pdf"),
        ("PDF claiming 10,000,000 pages", f / "claims.pdf"),
        ("truncated PDF", f / "cut.pdf"),
        ("text, one 100 MB line", f / "line.txt"),
        ("text, one 5 MB line", f / "long-line.txt"),
        ("UTF-16 text without BOM", f / "lettre.txt"),
        ("HTML, 10,000 unclosed attributes", f / "page.html"),
        ("Markdown heading with 900,000 spaces", f / "notes.md"),
        ("a directory named report.docx", f / "report.docx"),
        ("a FIFO named pipe.txt", f / "pipe.txt"),
    ]


def measure(path: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    run = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, env=env,
                         timeout=120)
    return json.loads(run.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cases = build(Path(tmp))
        print(f"{'file':48} {'on disk':>9} {'s':>6} {'caller MB':>9} {'child MB':>8}  outcome")
        for label, path in cases:
            runs = [measure(path) for _ in range(args.runs)]
            disk = path.stat().st_size if path.is_file() else 0
            med = {k: statistics.median(r[k] for r in runs) for k in ("seconds", "caller_peak", "child_peak")}
            print(f"{label:48} {disk / MB:>7.1f}MB {med['seconds']:>6.2f} {med['caller_peak'] / MB:>9.0f} "
                  f"{med['child_peak'] / MB:>8.0f}  {runs[0]['outcome']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

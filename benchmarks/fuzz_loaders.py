"""Coverage-guided fuzzing of the document loaders with atheris (libFuzzer for Python).

    python benchmarks/fuzz_loaders.py --minutes 30

Seeds for txt, md, html, docx and pdf are written here (nothing downloaded). The first byte of
each input picks the format, the rest is the file; for "docx-xml" the rest is word/document.xml,
zipped here with the other parts of a real .docx, so mutations reach python-docx and lxml instead
of stopping at the zip's CRC check. Each input goes through the same in-process
reading the isolated child does (`engine.documents.loader.parse_bytes`: the policy checks, the
parser, the structure pass). The only accepted outcomes are a Document or an InputError; any other
exception is an unclassified error and a crash, an input that takes over --timeout seconds is a
hang, and memory over --rss-mb is a crash too. Prints executions, coverage, crashes and how the
inputs ended, then exits 1 if anything went wrong.

Instrumented for coverage: engine (documents, decoding), pypdf, python-docx, zipfile and
charset_normalizer (lxml, which parses the XML in .docx and all HTML, is C and not instrumented).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("txt", "md", "html", "docx", "pdf", "docx-xml")  # docx-xml: the input is word/document.xml


# -- seeds ----------------------------------------------------------------------------------------

def _pdf(pages: list[list[str]], outline: bool = False, password: str | None = None) -> bytes:
    sys.path.insert(0, str(ROOT / "tests" / "engine" / "documents"))
    from pdfmaker import text_pdf  # the same byte-by-byte writer the loader tests use
    from pypdf import PdfReader, PdfWriter

    raw = text_pdf(pages)
    if not outline and password is None:
        return raw
    w = PdfWriter()
    w.append(PdfReader(io.BytesIO(raw)))
    if outline:
        top = w.add_outline_item(title="Minutes", page_number=0)
        w.add_outline_item(title="Decision", page_number=len(pages) - 1, parent=top)
    if password is not None:
        w.encrypt(user_password=password, owner_password="owner")
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def _docx(stored: bool) -> bytes:
    import zipfile

    import docx

    d = docx.Document()
    d.core_properties.title = "Quarterly report"
    d.add_heading("Quarterly report", 0)
    d.add_heading("Sales", 1)
    d.add_paragraph("Sales rose by 12 percent in the north; costs stayed flat.")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text, t.cell(1, 0).text, t.cell(1, 1).text = "Region", "Growth", "North", "12%"
    buf = io.BytesIO()
    d.save(buf)
    if not stored:
        return buf.getvalue()
    out = io.BytesIO()  # unpacked parts: mutations reach the XML instead of breaking the deflate stream
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    return out.getvalue()


def _docx_parts() -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(_docx(stored=False))) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def docx_around(xml: bytes, parts: dict[str, bytes]) -> bytes:
    """A real .docx whose word/document.xml is `xml`."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for name, data in parts.items():
            z.writestr(name, xml if name == "word/document.xml" else data)
    return out.getvalue()


def seeds() -> dict[str, bytes]:
    para = "The council approved the river park plan. Work starts in spring; the paths open in summer.\n\n"
    return {
        "txt-utf8": b"\x00" + ("Notes\n\n" + para * 3 + "CHAPTER 2. Costs.\n\nFour million euros.\n").encode(),
        "txt-cp1252": b"\x00" + "Chère Amélie,\n\nLe café était très bon.\n".encode("cp1252"),
        "txt-utf16-bom": b"\x00" + "Plain text with a byte-order mark.\n".encode("utf-16"),
        "txt-utf16-nobom": b"\x00" + "Plain text without a byte-order mark.\n".encode("utf-16-le"),
        "md": b"\x01" + ("# Trip notes\n\nWe left early.\n\n## Day one\n\n" + para + "```\n# not a heading\n```\n"
                         "## Day two ##\n\nSunshine.\n").encode(),
        "html": b"\x02" + ("<html><head><title>Garden guide</title><style>p{}</style></head><body><h1>Planting</h1>"
                           "<p>Plant bulbs in autumn &amp; water them.</p><script>x()</script><h2>Pruning</h2>"
                           "<ul><li>late <b>winter</b></li></ul><table><tr><td>a</td></tr></table></body></html>").encode(),
        "docx": b"\x03" + _docx(stored=False),
        "docx-stored": b"\x03" + _docx(stored=True),
        "pdf": b"\x04" + _pdf([["The committee met on Monday (briefly)."], ["It approved the budget."]]),
        "pdf-outline": b"\x04" + _pdf([["Minutes of the meeting."], ["Decision: approved."]], outline=True),
        "pdf-owner-locked": b"\x04" + _pdf([["Open to read, locked to edit."]], password=""),
        "docx-xml": b"\x05" + _docx_parts()["word/document.xml"],
    }


# -- the fuzzed process ---------------------------------------------------------------------------

def _fuzz(args) -> None:
    import atheris

    with atheris.instrument_imports(include=["engine", "pypdf", "docx", "zipfile", "charset_normalizer"]):
        import charset_normalizer  # noqa: F401
        import docx  # noqa: F401
        import pypdf  # noqa: F401

        from engine.documents import loader, pdf, structure, text, webpage, word, zipcheck  # noqa: F401
        from engine.errors import InputError

    parts = _docx_parts()
    outcomes: Counter[str] = Counter()
    stats = Path(args.stats)
    last = [time.monotonic()]

    def kind(message: str) -> str:
        m = re.search(r"is damaged or is not a real \.\w+ file \((\w+)", message)
        if m:
            return f"damaged ({m.group(1)})"
        for label in ("expands to", "parts; the limit", "unpacks to", "packed", "claims", "pages; the limit",
                      "characters in one line", "characters of text", "words of text", "is empty", "binary",
                      "password-protected", "scanned", "is damaged: no text", "UTF-16", "nests"):
            if label in message:
                return label
        return "other: " + message[:60]

    def one(data: bytes) -> None:
        if len(data) < 2:
            return
        fmt = FORMATS[data[0] % len(FORMATS)]
        body = data[1:]
        if fmt == "docx-xml":
            fmt, body = "docx", docx_around(body, parts)
        try:
            loader.parse_bytes(body, fmt, f"fuzz.{fmt}")
            outcomes[f"{FORMATS[data[0] % len(FORMATS)]}: read"] += 1
        except InputError as exc:
            outcomes[f"{FORMATS[data[0] % len(FORMATS)]}: {kind(str(exc))}"] += 1
        now = time.monotonic()
        if now - last[0] > 5:
            last[0] = now
            stats.write_text(json.dumps(outcomes))

    atheris.Setup([sys.argv[0], *args.libfuzzer], one)
    atheris.Fuzz()


# -- the driver -----------------------------------------------------------------------------------

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=1.0)
    ap.add_argument("--timeout", type=int, default=10, help="seconds one input may take (a hang beyond)")
    ap.add_argument("--rss-mb", type=int, default=1536, help="memory limit of the fuzzed process")
    ap.add_argument("--max-len", type=int, default=131072)
    ap.add_argument("--workdir", help="keep corpus and crash files here (default: a temporary folder)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--stats", help=argparse.SUPPRESS)
    ap.add_argument("libfuzzer", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _fuzz(args)
        return 0

    work = Path(args.workdir or tempfile.mkdtemp(prefix="hushwrite-fuzz-"))
    corpus, artifacts = work / "corpus", work / "crashes"
    corpus.mkdir(parents=True, exist_ok=True)
    artifacts.mkdir(exist_ok=True)
    for name, data in seeds().items():
        (corpus / f"seed-{name}").write_bytes(data)
    stats = work / "outcomes.json"
    lib = [str(corpus), f"-max_total_time={max(1, int(args.minutes * 60))}", f"-timeout={args.timeout}",
           f"-rss_limit_mb={args.rss_mb}", f"-max_len={args.max_len}", f"-artifact_prefix={artifacts}/",
           "-print_final_stats=1"]
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    started = time.monotonic()
    run = subprocess.run([sys.executable, __file__, "--child", "--stats", str(stats), "--", *lib],
                         capture_output=True, text=True, env=env, timeout=args.minutes * 60 + 600)
    took = time.monotonic() - started
    log = run.stdout + run.stderr
    (work / "fuzz.log").write_text(log)

    progress = re.findall(r"#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)", log)
    execs = int(re.findall(r"stat::number_of_executed_units: (\d+)", log)[-1]) if "number_of_executed_units" in log \
        else (int(progress[-1][0]) if progress else 0)
    cov, ft, corp = (progress[-1][1:] if progress else ("?", "?", "?"))
    crashes = sorted(p.name for p in artifacts.iterdir())
    hangs = [c for c in crashes if c.startswith("timeout-")]
    unclassified = re.findall(r"Uncaught Python exception: (.*)", log)
    outcomes = json.loads(stats.read_text()) if stats.exists() else {}

    print(f"fuzzed the loaders for {took / 60:.1f} min ({os.cpu_count()} CPUs, nice {os.nice(0)})")
    print(f"executions: {execs:,} ({execs / max(took, 1):.0f}/s)")
    print(f"coverage: {cov} edges, {ft} features, corpus {corp} inputs (from {len(seeds())} seeds)")
    print(f"crashes: {len(crashes) - len(hangs)}  hangs: {len(hangs)}  unclassified exceptions: {len(unclassified)}")
    for c in crashes:
        print(f"  {artifacts / c}")
    for u in unclassified[:5]:
        print(f"  {u}")
    if outcomes:
        print("outcomes (sampled every 5 s):")
        for k, n in sorted(outcomes.items(), key=lambda kv: -kv[1]):
            print(f"  {n:>9,}  {k}")
    print(f"log: {work / 'fuzz.log'}")
    ok = run.returncode == 0 and not crashes and not unclassified and execs > 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

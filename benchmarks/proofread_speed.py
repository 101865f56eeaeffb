"""Proofreading speed: seconds for a 1,000-word text and sentences per second, one sentence at a
time versus parallel sequences (`model.generate_many`). Medians of --repeats runs.

    PYTHONPATH=. python benchmarks/proofread_speed.py [--repeats 3] [--words 1000]
    PYTHONPATH=. python benchmarks/proofread_speed.py --startup [--repeats 5]

--startup times the CLI from launch to its first checked sentence (a one-sentence
`hushwrite proofread`, so launch to exit), with the spelling index cached and with it rebuilt.

Texts: learner English (JFLEG dev sources, many errors) and clean prose (the 2016 State of the
Union address), both from ../shared/eval; the model is loaded once, outside the timings.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.jfleg import DEFAULT_DIR, detokenize, read  # noqa: E402
from engine.proofread import proofread  # noqa: E402
from engine.proofread.segment import sentences  # noqa: E402
from engine.proofread.spelling import speller  # noqa: E402
from engine.runtime import LoadOptions, load_model  # noqa: E402

SOTU = DEFAULT_DIR.parent / "long" / "sotu-2016.txt"


def first_words(text: str, n: int) -> str:
    """The first whole sentences of `text` adding up to about n words, in paragraphs of 5."""
    out, count = [], 0
    for s in sentences(text):
        out.append(s.text)
        count += len(s.text.split())
        if count >= n:
            break
    return "\n\n".join(" ".join(out[i : i + 5]) for i in range(0, len(out), 5))


def startup(repeats: int) -> int:
    """Launch → first checked sentence for `hushwrite proofread` on one sentence (medians)."""
    import os
    import subprocess
    import tempfile

    root = Path(__file__).resolve().parents[1]
    sentence = "i has went to the libary yesterday"
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("| spelling index | median s | min s | runs |\n|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, PYTHONPATH=str(root), HUSHWRITE_CACHE_DIR=cache)
        for label, fresh in (("rebuilt (first run)", True), ("cached", False)):
            times = []
            for _ in range(repeats):
                if fresh:
                    for f in Path(cache).glob("*"):
                        f.unlink()
                t = time.perf_counter()
                out = subprocess.run([sys.executable, "-m", "hushwrite", "--no-store", "proofread"], input=sentence,
                                     capture_output=True, text=True, env=env)
                times.append(time.perf_counter() - t)
                if out.returncode != 0:
                    print(out.stderr)
                    return 1
            print(f"| {label} | {statistics.median(times):.2f} | {min(times):.2f} | {repeats} |", flush=True)
        print(f"output: {out.stdout.strip()}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--words", type=int, default=1000)
    ap.add_argument("--wide", action="store_true", help="also try 7 parallel sequences (n_seq_max=8)")
    ap.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default: physical cores)")
    ap.add_argument("--startup", action="store_true", help="time the CLI's start-up instead")
    args = ap.parse_args()
    if args.startup:
        return startup(args.repeats)
    texts = {"learner (JFLEG)": first_words("\n".join(detokenize(s) for s in read(DEFAULT_DIR, "dev.src")), args.words)}
    if SOTU.exists():
        texts["clean (SOTU 2016)"] = first_words(SOTU.read_text(encoding="utf-8"), args.words)
    t = time.perf_counter()
    speller()
    print(f"dictionary load: {time.perf_counter() - t:.2f} s (once per process)")
    print("| text | words | sentences | mode | median s | sentences/s |\n|---|---:|---:|---|---:|---:|")
    configs = [(4, "3 parallel sequences"), (1, "one by one")] + ([(8, "7 parallel sequences")] if args.wide else [])
    for n_seq, label in configs:
        model = load_model(options=LoadOptions(n_seq_max=n_seq, n_threads=args.threads))
        batch = 1 if n_seq == 1 else n_seq - 1
        for name, text in texts.items():
            n_sent = len(sentences(text))
            times = []
            for _ in range(args.repeats):
                t = time.perf_counter()
                proofread(model, text, batch=batch)
                times.append(time.perf_counter() - t)
            med = statistics.median(times)
            print(f"| {name} | {len(text.split())} | {n_sent} | {label} | {med:.1f} | {n_sent / med:.1f} |", flush=True)
        model.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Seconds per 1,000 words of one summary, wall and CPU, for the pipeline on PYTHONPATH.

    PYTHONPATH=/path/to/tree python benchmarks/summarize_speed.py --words 2000 --runs 2

Meant for before/after comparisons on a shared machine: run it alternately with the old and the
new tree on PYTHONPATH; CPU seconds (this process, all threads) move less with other people's load
than wall seconds do. The text is the first N words of Moby-Dick (`../shared/eval/long`), no cache.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT.parent / "shared" / "eval" / "long" / "moby-dick.txt"


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--file", default=str(DEFAULT_FILE))
    ap.add_argument("--words", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--kind", default="summary")
    ap.add_argument("--threads", type=int, default=None, help="model threads (1 is faster on a crowded machine)")
    args = ap.parse_args()

    import engine
    from engine.runtime import LoadOptions, load_model
    from engine.summarize import summarize

    words = Path(args.file).read_text(encoding="utf-8").split(" ")
    text = " ".join(words[: args.words])
    n = len(text.split())
    model = load_model(None, LoadOptions(n_threads=args.threads))
    walls, cpus = [], []
    for _ in range(args.runs):
        w0, c0 = time.perf_counter(), cpu()
        r = summarize(model, text, args.kind)
        walls.append(time.perf_counter() - w0)
        cpus.append(cpu() - c0)
    print(json.dumps({
        "tree": str(Path(engine.__file__).resolve().parents[1]), "words": n, "runs": args.runs,
        "wall_s_per_1000_words": round(statistics.median(walls) * 1000 / n, 2),
        "cpu_s_per_1000_words": round(statistics.median(cpus) * 1000 / n, 2),
        "model_calls": r.computed, "prompt_tokens": r.stats.prompt_tokens, "output_tokens": r.stats.output_tokens,
        "ok": r.ok,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Proofreading quality on JFLEG dev: GLEU of (a) the unedited input, (b) the raw model with a
plain "correct this" prompt, (c) the dictionary layer alone, (d) the full pipeline; plus the
clean-text change rate (already-correct dev.ref0 sentences that come back changed).

    PYTHONPATH=. python benchmarks/quality_proofread.py [--limit N] [--data DIR] [--skip-raw]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.jfleg import DEFAULT_DIR, detokenize, gleu, read, retokenized  # noqa: E402
from engine.proofread import proofread  # noqa: E402
from engine.proofread.prompts import plain_messages  # noqa: E402
from engine.runtime import load_model  # noqa: E402

CHUNK = 40  # sentences per proofread() call: one line each, so results map back line by line


def run_pipeline(model, lines: list[str], use_model: bool = True) -> list[str]:
    out: list[str] = []
    for i in range(0, len(lines), CHUNK):
        part = lines[i : i + CHUNK]
        text = "\n".join(part)
        fixed = proofread(model, text, use_model=use_model).text.split("\n")
        if len(fixed) != len(part):
            raise RuntimeError("the pipeline changed the number of lines")
        out += fixed
        print(f"  {len(out)}/{len(lines)}", file=sys.stderr, end="\r")
    return out


def run_raw(model, lines: list[str]) -> list[str]:
    """The plain prompt, the model's whole answer on one line (what a naive tool would paste back)."""
    prompts = [model.prompt_tokens(plain_messages(s)) for s in lines]
    budgets = [2 * model.count_tokens(s) + 16 for s in lines]
    answers = model.generate_many(prompts, budgets)
    return [" ".join(text.split()) for text, _ in answers]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--limit", type=int, default=None, help="first N sentences only (development)")
    ap.add_argument("--skip-raw", action="store_true", help="skip (b), the slowest and least interesting run")
    args = ap.parse_args()
    src = read(args.data, "dev.src", args.limit)
    ref0 = read(args.data, "dev.ref0", args.limit)
    plain = [detokenize(s) for s in src]
    model = load_model()
    rows = [("(a) unedited input", gleu(args.data, src, src, args.limit), "")]
    if not args.skip_raw:
        t = time.perf_counter()
        raw = run_raw(model, plain)
        rows.append(("(b) raw model, plain prompt", gleu(args.data, src, retokenized(src, raw), args.limit), f"{time.perf_counter() - t:.0f} s"))
    t = time.perf_counter()
    spelled = run_pipeline(model, plain, use_model=False)
    rows.append(("(c) dictionary layer only", gleu(args.data, src, retokenized(src, spelled), args.limit), f"{time.perf_counter() - t:.0f} s"))
    t = time.perf_counter()
    ours = run_pipeline(model, plain)
    rows.append(("(d) Hushwrite pipeline", gleu(args.data, src, retokenized(src, ours), args.limit), f"{time.perf_counter() - t:.0f} s"))

    clean = [detokenize(s) for s in ref0]
    back = run_pipeline(model, clean)
    changed = sum(a != b for a, b in zip(clean, back))
    print(f"\nJFLEG dev, {len(src)} sentences, model {model.name}\n")
    print("| system | GLEU | time |\n|---|---:|---:|")
    for name, score, secs in rows:
        print(f"| {name} | {score:.2f} | {secs} |")
    print(f"\nclean-text change rate (dev.ref0 through the pipeline): {changed}/{len(clean)} = {100 * changed / len(clean):.1f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

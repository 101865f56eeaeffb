"""Proofreading quality on JFLEG dev: GLEU of (a) the unedited input, (b) the raw model with a
plain "correct this" prompt, (c) the dictionary layer alone, (d) the pipeline in careful mode
(the default) and (e) in thorough mode; plus the clean-text change rate: already-correct
dev.ref0 sentences that come back changed.

    PYTHONPATH=. python benchmarks/quality_proofread.py [--limit N] [--part all|gleu|clean|raw]

--part lets the slow halves run as separate processes; --raw-limit bounds (b), whose answers
run to the token limit (it loops) and so cost most of the time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.jfleg import DEFAULT_DIR, detokenize, gleu, read, retokenized  # noqa: E402
from engine.proofread import Draft  # noqa: E402
from engine.proofread.prompts import plain_messages  # noqa: E402
from engine.runtime import LoadOptions, load_model  # noqa: E402

CHUNK = 40  # sentences per Draft: one per line, so results map back line by line


def run_pipeline(model, lines: list[str], modes=("careful", "thorough"), use_model: bool = True) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {m: [] for m in modes}
    for i in range(0, len(lines), CHUNK):
        part = lines[i : i + CHUNK]
        draft = Draft(model, "\n".join(part), use_model=use_model)
        for m in modes:
            fixed = draft.result(m).text.split("\n")
            if len(fixed) != len(part):
                raise RuntimeError("the pipeline changed the number of lines")
            out[m] += fixed
        print(f"  {i + len(part)}/{len(lines)}", file=sys.stderr, flush=True)
    return out


def run_raw(model, lines: list[str]) -> list[str]:
    """The plain prompt, the model's whole answer on one line (what a naive tool would paste back)."""
    prompts = [model.prompt_tokens(plain_messages(s)) for s in lines]
    budgets = [2 * model.count_tokens(s) + 16 for s in lines]
    return [" ".join(text.split()) for text, _ in model.generate_many(prompts, budgets)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--limit", type=int, default=None, help="first N sentences only (development)")
    ap.add_argument("--raw-limit", type=int, default=None, help="first N sentences for (b)")
    ap.add_argument("--part", choices=["all", "gleu", "clean", "raw"], default="all")
    ap.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default: physical cores)")
    args = ap.parse_args()
    src = read(args.data, "dev.src", args.limit)
    plain = [detokenize(s) for s in src]
    model = load_model(options=LoadOptions(n_threads=args.threads))
    print(f"JFLEG dev, {len(src)} sentences, model {model.name}\n\n| system | GLEU | time |\n|---|---:|---:|")
    if args.part in ("all", "gleu"):
        print(f"| (a) unedited input | {gleu(args.data, src, src, args.limit):.2f} | |", flush=True)
    if args.part in ("all", "raw"):
        n = args.raw_limit or len(src)
        t = time.perf_counter()
        raw = run_raw(model, plain[:n])
        score = gleu(args.data, src[:n], retokenized(src[:n], raw), n)
        base = gleu(args.data, src[:n], src[:n], n)
        print(f"| (b) raw model, plain prompt (first {n}; unedited {base:.2f}) | {score:.2f} | {time.perf_counter() - t:.0f} s |", flush=True)
    if args.part in ("all", "gleu"):
        t = time.perf_counter()
        spelled = run_pipeline(model, plain, ("careful",), use_model=False)["careful"]
        print(f"| (c) dictionary layer only | {gleu(args.data, src, retokenized(src, spelled), args.limit):.2f} | {time.perf_counter() - t:.0f} s |", flush=True)
        t = time.perf_counter()
        ours = run_pipeline(model, plain)
        secs = time.perf_counter() - t
        for label, mode in (("(d) Hushwrite, careful (default)", "careful"), ("(e) Hushwrite, thorough", "thorough")):
            print(f"| {label} | {gleu(args.data, src, retokenized(src, ours[mode]), args.limit):.2f} | {secs:.0f} s (both) |", flush=True)
    if args.part in ("all", "clean"):
        clean = [detokenize(s) for s in read(args.data, "dev.ref0", args.limit)]
        back = run_pipeline(model, clean)
        for mode, lines in back.items():
            changed = sum(a != b for a, b in zip(clean, lines))
            print(f"\nclean-text change rate, {mode} (dev.ref0 through the pipeline): {changed}/{len(clean)} = {100 * changed / len(clean):.1f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

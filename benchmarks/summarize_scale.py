"""How summarizing scales with length: time, tokens, peak memory, and the ratio to the engine bound.

    PYTHONPATH=. python benchmarks/summarize_scale.py --sizes 10000,50000,all --modes sequential,parallel

Each (size, mode) runs in its own process, so peak RSS is that job's own. Inside it we first time
the engine alone on chunk-sized prompts from the same text (prompt tokens/s and decode tokens/s,
median of several, measured before and after the job), then summarize with an empty cache.
Engine bound = fresh prompt tokens / prompt tok/s + output tokens / decode tok/s; ratio = total
time / bound (1.0 means no overhead beyond the model's own work; batching can go below 1).
`--cancel` also measures how long a cancel takes to stop the job.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT.parent / "shared" / "eval" / "long" / "moby-dick.txt"


def cut_words(text: str, n: int | None) -> str:
    if not n:
        return text
    m = None
    for i, m in enumerate(re.finditer(r"\S+", text), 1):
        if i == n:
            break
    return text[: m.end()] if m else text


def calibrate(model, text: str, chunk_tokens: int, samples: int = 3) -> tuple[list[float], list[float]]:
    """Prompt and decode tokens/s of the bare engine on chunk-sized prompts of this text."""
    from engine.model import GenerationStats
    from engine.summarize import prompts
    from engine.summarize.core import SAMPLING

    toks = model.tokenize(text)
    p_tps, d_tps = [], []
    for k in range(samples):
        start = (len(toks) // (samples + 1)) * (k + 1) - chunk_tokens // 2
        piece = model.detokenize(toks[max(0, start): max(0, start) + chunk_tokens])
        msgs, prefix = prompts.messages("map", "summary", piece)
        prompt = model.prompt_tokens(msgs) + model.tokenize(prefix)
        model._reset_cache() if hasattr(model, "_reset_cache") else None
        st = GenerationStats()
        for _ in model.stream_tokens(prompt, 128, (), SAMPLING, st):
            pass
        p_tps.append(st.prompt_tps)
        if st.output_tokens >= 16:
            d_tps.append(st.decode_tps)
    return p_tps, d_tps


def cancel_latency(model, text: str, kind: str = "summary") -> float:
    """Seconds from setting the cancel Event to summarize() raising Cancelled."""
    from engine.errors import Cancelled
    from engine.summarize import summarize

    event = threading.Event()
    running = threading.Event()
    stopped = {}

    def work():
        try:
            summarize(model, text, kind, cancel=event, on_progress=lambda p: p.stage == "summarizing" and running.set())
        except Cancelled:
            stopped["at"] = time.perf_counter()

    t = threading.Thread(target=work)
    t.start()
    running.wait()
    time.sleep(1.0)  # inside a chunk's generation
    t0 = time.perf_counter()
    event.set()
    t.join()
    return stopped.get("at", float("nan")) - t0


def run_one(args) -> dict:
    from engine.runtime import LoadOptions, load_model
    from engine.summarize import MemoryCache, summarize
    from engine.summarize.core import chunk_budget

    text = cut_words(Path(args.file).read_text(encoding="utf-8"), None if args.one == "all" else int(args.one))
    from engine.documents.text import document_from_text

    doc = document_from_text(text, Path(args.file).name)
    fa = {"auto": None, "on": True, "off": False}[args.flash_attn]
    model = load_model(None, LoadOptions(n_ctx=args.ctx, n_seq_max=args.seq, flash_attn=fa))
    budget = chunk_budget(model, args.chunk_tokens)
    t0 = time.perf_counter()
    r = summarize(model, doc.text, args.kind, cache=MemoryCache(), headings=doc.sections,
                  parallel=(args.mode == "parallel"), chunk_tokens=args.chunk_tokens)
    total = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the summary's own peak
    # the engine bound after it: chunk-sized prompts may open the engine's second context
    # (runtime/split_prefill.py), which the summary's own calls need not
    p_tps_all, d_tps_all = calibrate(model, text, budget, samples=6)
    p_tps = statistics.median(p_tps_all)
    d_tps = statistics.median(d_tps_all)
    fresh = r.stats.prompt_tokens - r.stats.cached_tokens
    bound = fresh / p_tps + r.stats.output_tokens / d_tps
    out = {
        "words": len(text.split()), "mode": args.mode, "flash_attn": model.options.flash_attn, "kind": args.kind, "ctx": args.ctx, "chunk_budget": budget,
        "chunks": r.chunks, "calls": r.computed, "levels": r.levels, "sections": len(r.sections), "fallbacks": r.fallbacks,
        "seconds": round(total, 1), "prompt_tokens": r.stats.prompt_tokens, "fresh_prompt_tokens": fresh,
        "output_tokens": r.stats.output_tokens, "prompt_tps": round(p_tps, 1), "decode_tps": round(d_tps, 1),
        "engine_bound_s": round(bound, 1), "ratio": round(total / bound, 3),
        "peak_rss_mb": round(peak, 1),
        "peak_rss_with_bound_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "second_context": getattr(model, "_aux_state", "n/a"), "reads_apart": getattr(model, "prefill_moves", 0),
        "model_mb": round(model.info.file_size / 2**20, 1), "ok": r.ok,
    }
    if args.cancel:
        out["cancel_latency_s"] = [round(cancel_latency(model, doc.text), 3) for _ in range(args.cancel)]
    if args.show:
        out["result_head"] = r.text[:1500]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--file", default=str(DEFAULT_FILE))
    ap.add_argument("--sizes", default="10000", help="comma list of word counts, or 'all' (default 10000)")
    ap.add_argument("--modes", default="sequential,parallel", help="sequential, parallel, or both")
    ap.add_argument("--kind", default="summary")
    ap.add_argument("--ctx", type=int, default=4096)
    ap.add_argument("--seq", type=int, default=4, help="n_seq_max (parallel sequences + 1)")
    ap.add_argument("--chunk-tokens", type=int, default=None)
    ap.add_argument("--cancel", type=int, default=0, help="also measure cancel latency N times")
    ap.add_argument("--show", action="store_true", help="include the start of the result")
    ap.add_argument("--out", help="write the rows as JSON here")
    ap.add_argument("--flash-attn", choices=("auto", "on", "off"), default="auto",
                    help="auto = the calibrated choice for this machine (default); on = the old fixed default")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--mode", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args)))
        return 0
    rows = []
    for size in args.sizes.split(","):
        for mode in args.modes.split(","):
            cmd = [sys.executable, __file__, "--one", size, "--mode", mode, "--file", args.file, "--kind", args.kind,
                   "--ctx", str(args.ctx), "--seq", str(args.seq), "--cancel", str(args.cancel),
                   "--flash-attn", args.flash_attn]
            if args.chunk_tokens:
                cmd += ["--chunk-tokens", str(args.chunk_tokens)]
            if args.show:
                cmd.append("--show")
            res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), **_env()})
            if res.returncode:
                print(res.stderr, file=sys.stderr)
                return res.returncode
            row = json.loads(res.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(json.dumps(row), flush=True)
    cols = ["words", "mode", "flash_attn", "chunks", "calls", "seconds", "prompt_tokens", "output_tokens", "prompt_tps", "decode_tps",
            "engine_bound_s", "ratio", "peak_rss_mb"]
    print("\n| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in cols) + " |")
    if args.out:
        Path(args.out).write_text(json.dumps(rows, indent=2))
    return 0


def _env() -> dict:
    import os

    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


if __name__ == "__main__":
    sys.exit(main())

"""What running the model in its own process costs, measured side by side in one run.

1. Prompt and decode tokens/s of the same requests through the engine process (engine.process)
   and in this process (engine.runtime), alternating, medians over --reps; the ratio (target
   >= 0.97).

    python benchmarks/engine_process.py [--reps 7] [--threads 2] [--tokens 128]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.calibrate import cpu_name  # noqa: E402
from engine.model import GenerationStats  # noqa: E402
from engine.runtime import LoadOptions  # noqa: E402

WORDS = ("river stone lantern orchard harbor meadow copper violet station garden willow ember summit "
         "canyon thistle marble falcon glacier prairie cobalt").split()



def prompt_for(model, rep: int) -> list[int]:
    """A ~512-token prompt that shares nothing with the previous one (no prefix-cache help)."""
    words = [WORDS[(rep * 7 + i * 3) % len(WORDS)] for i in range(380)]
    text = f"Run {rep}. " + " ".join(words)
    return model.prompt_tokens([{"role": "user", "content": "Summarize: " + text}])


def run(model, prompt: list[int], n_out: int) -> GenerationStats:
    stats = GenerationStats()
    for _ in model.stream_tokens(prompt, n_out, stats=stats):
        pass
    return stats


def tokens_per_second(reps: int, threads: int, n_out: int) -> dict:
    from engine.process import open_model
    from engine.runtime import load_model

    opts = LoadOptions(n_ctx=2048, n_threads=threads, n_seq_max=1)
    local = load_model(None, opts)
    remote = open_model(None, opts)
    rows = {"process": [], "in_process": []}
    try:
        for model in (local, remote):  # warm-up
            run(model, prompt_for(model, 999), 8)
        for rep in range(reps):
            for name, model in (("in_process", local), ("process", remote)) if rep % 2 else \
                    (("process", remote), ("in_process", local)):
                s = run(model, prompt_for(model, rep), n_out)
                rows[name].append((s.prompt_tps, s.decode_tps, s.output_tokens))
    finally:
        local.close()
        remote.close()
    out = {}
    for name, values in rows.items():
        out[name] = {"prompt_tps": statistics.median(v[0] for v in values),
                     "decode_tps": statistics.median(v[1] for v in values),
                     "output_tokens": statistics.median(v[2] for v in values)}
    out["ratio_prompt"] = out["process"]["prompt_tps"] / out["in_process"]["prompt_tps"]
    out["ratio_decode"] = out["process"]["decode_tps"] / out["in_process"]["decode_tps"]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--tokens", type=int, default=128)
    args = ap.parse_args()
    print(f"CPU: {cpu_name()}, {os.cpu_count()} logical CPUs, load average {os.getloadavg()[0]:.1f}")
    speed = tokens_per_second(args.reps, args.threads, args.tokens)
    print(f"{'':24}{'engine process':>16}{'in-process':>12}{'ratio':>8}")
    for key, label in (("prompt_tps", "prompt tokens/s"), ("decode_tps", "decode tokens/s")):
        ratio = speed["ratio_prompt" if key == "prompt_tps" else "ratio_decode"]
        print(f"{label:24}{speed['process'][key]:16.1f}{speed['in_process'][key]:12.1f}{ratio:8.2f}")
    print(json.dumps({"speed": speed}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Reading long prompts with the other attention setting in a second context (the KV cache then
moved to the main one) vs reading them in place, side by side in one run.

Two engines on the same weights file, both decoding with the main setting (`--decode-fa`,
default: the calibrated one); one also reads prompts with the other setting. For each prompt
length, rounds alternate the two; printed: median prompt seconds, the ratio, the time of the move
itself (both directions, measured inside the split engine) and whether both engines continued
the prompt with the same greedy text. A second table reads a long new part after a cached
system-prompt head (a summary chunk), the case the split is for.

    python benchmarks/split_prefill.py [--model PATH] [--threads N] [--reps 5] [--lengths 256,512,1024,1500]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.model import GenerationStats  # noqa: E402
from engine.runtime import LoadOptions, load_model  # noqa: E402
from engine.runtime import kv_layout  # noqa: E402

TEXT = ("The council approved the new bus routes on Monday after a long debate. Residents of the north side "
        "asked for a stop near the clinic, and the planners agreed to add one by March. ")


def timed_moves():
    """Wrap kv_layout.move_sequence to add up its seconds."""
    spent = {"s": 0.0, "n": 0}
    real = kv_layout.move_sequence

    def move(*a, **k):
        t0 = time.perf_counter()
        try:
            return real(*a, **k)
        finally:
            spent["s"] += time.perf_counter() - t0
            spent["n"] += 1

    import engine.runtime.split_prefill as sp

    sp.move_sequence = move
    return spent


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    ap.add_argument("--threads", type=int)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--lengths", default="256,512,1024,1500")
    ap.add_argument("--decode-fa", choices=("on", "off"), default=None)
    a = ap.parse_args()
    probe = load_model(a.model, LoadOptions(n_threads=a.threads))
    fa = {"on": True, "off": False}.get(a.decode_fa, probe.flash_attn)
    probe.close()
    plain = load_model(a.model, LoadOptions(n_threads=a.threads, flash_attn=fa, prefill_flash_attn=None, calibration="off"))
    split = load_model(a.model, LoadOptions(n_threads=a.threads, flash_attn=fa, prefill_flash_attn=not fa, calibration="off"))
    spent = timed_moves()
    tokens = plain.prompt_tokens([{"role": "user", "content": "Summarize: " + TEXT * 120}])
    print(f"model {plain.name}, {plain.n_threads} threads; decoding with flash attention {'on' if fa else 'off'}, "
          f"the split engine reads long prompts with it {'off' if fa else 'on'}; {a.reps} interleaved rounds")
    list(split.stream_tokens(tokens[:300], 1))  # opens and checks the second context outside the timing

    def table(title: str, cases: list[tuple[int, int]]) -> None:
        print(f"\n{title}\n{'cached + new tokens':>22}{'in place s':>12}{'split s':>10}{'split/in place':>16}"
              f"{'moves ms':>10}{'same text':>11}")
        for cached, new in cases:
            prompt = tokens[: cached + new]
            rows = {"plain": [], "split": []}
            moves, same = [], True
            for _ in range(a.reps):
                texts = {}
                for name, m in (("plain", plain), ("split", split)):
                    m._reset_cache()
                    if cached:
                        list(m.stream_tokens(tokens[:cached], 1))
                    spent["s"] = 0.0
                    st = GenerationStats()
                    texts[name] = "".join(m.stream_tokens(prompt, 8, stats=st))
                    rows[name].append(st.prompt_seconds)
                    if name == "split":
                        moves.append(spent["s"])
                same = same and texts["plain"] == texts["split"]
            p, s = statistics.median(rows["plain"]), statistics.median(rows["split"])
            print(f"{f'{cached} + {new}':>22}{p:12.3f}{s:10.3f}{s / p:16.3f}{1000 * statistics.median(moves):10.1f}"
                  f"{'yes' if same else 'NO':>11}", flush=True)

    lengths = [int(x) for x in a.lengths.split(",")]
    table("a prompt read from nothing", [(0, n) for n in lengths])
    table("a new part after a cached 120-token head (a summary chunk after the instructions)",
          [(120, n) for n in lengths])
    print(f"\nmoves by the split engine: {split.prefill_moves}")
    plain.close()
    split.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

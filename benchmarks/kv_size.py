"""The main KV cache sized to the work (engine/runtime/kv_size.py) vs a cache of the full context,
side by side in one process.

Two engines on the same model file, the same options but `fit_kv`, interleaved round by round
(the host drifts by the minute). Each request is a new text after a pause: the cache is emptied
and the sized engine trimmed, as the engine process does when idle. Printed, medians:
  - decode tokens/s for --gen tokens after a prompt of each depth, and the ratio sized / full;
  - the whole request's seconds (prompt read, any growth of the cache, decode) and the ratio;
  - how often the sized engine grew its cache, and what a growth cost;
  - a prompt read that grows the cache (--read tokens after --read-depth cached ones, the cache
    shrunk to its start size first) vs the same read into the full cache: prompt tokens/s, paired
    by round. With flash attention the engine no longer trims when idle (the size costs no speed
    there), so this is what the first long request after loading pays;
  - making the context at load: seconds at the start size vs the full size, and its KV bytes.

    python benchmarks/kv_size.py [--model PATH] [--reps 7] [--depths 128,512,1024,1500] [--gen 64] [--flash-attn off]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine.calibrate import cpu_name  # noqa: E402
from engine.model import GenerationStats  # noqa: E402
from engine.runtime import LoadOptions, load_model  # noqa: E402
from engine.runtime.backend import ll  # noqa: E402
from engine.runtime.kv_size import START_CELLS  # noqa: E402
from engine.runtime.loading import create_context  # noqa: E402
from engine_speed import story_tokens  # noqa: E402


def request(model, prompt: list[int], gen: int) -> tuple[GenerationStats, int, float]:
    """A new text after a pause: empty cache, idle trim, then one request decoding exactly `gen`.
    Returns its stats and the growths of the cache within it (count, seconds)."""
    model._reset_cache()
    model.trim_kv()
    before = model.grows, model.grow_seconds
    st = GenerationStats()
    for _ in model.stream_tokens(prompt, gen, stats=st):
        pass
    return st, model.grows - before[0], model.grow_seconds - before[1]


def read_after(model, prompt: list[int], depth: int, shrink: bool) -> float:
    """Prompt tokens/s reading prompt[depth:] after prompt[:depth] is cached; with `shrink`, the
    cache is first remade at its start size, so the read grows it."""
    model._reset_cache()
    if shrink:
        model._resize(START_CELLS)
    for _ in model.stream_tokens(prompt[:depth], 1):
        pass
    st = GenerationStats()
    for _ in model.stream_tokens(prompt, 1, stats=st):
        pass
    return st.prompt_tps


def creation(model, cells: int, reps: int) -> float:
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        ctx = create_context(model._model, model.info, cells, model.options, [])
        times.append(time.perf_counter() - t)
        ll.llama_free(ctx)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--depths", default="128,512,1024,1500")
    ap.add_argument("--gen", type=int, default=64)
    ap.add_argument("--n-ctx", type=int, default=4096)
    ap.add_argument("--read", type=int, default=512, help="prompt tokens of the read that grows the cache")
    ap.add_argument("--read-depth", type=int, default=512, help="tokens cached before that read")
    ap.add_argument("--flash-attn", choices=("auto", "on", "off"), default="auto",
                    help="the main context's attention setting (auto: the calibrated one)")
    a = ap.parse_args()
    depths = [int(d) for d in a.depths.split(",")]
    fa = None if a.flash_attn == "auto" else a.flash_attn == "on"
    # loaded in this order and its reverse on alternate runs would be fairer still: in one process
    # the engine loaded first measured up to 10 % slower or faster in back-to-back runs here
    full = load_model(a.model, LoadOptions(n_ctx=a.n_ctx, flash_attn=fa, fit_kv=False))
    sized = load_model(a.model, replace(full.requested, fit_kv=True))
    how = ("asked for" if fa is not None else "calibrated" if sized.calibration_report().get("measured")
           else "built-in default: no calibration cached")
    print(f"CPU: {cpu_name()}; model {sized.path.name}, {sized.n_threads} threads, decode with flash "
          f"attention {'on' if sized.flash_attn else 'off'} ({how}), context {sized.n_ctx}")
    prompts = {d: story_tokens(sized, d) for d in depths}
    rows = {d: {"sized": [], "full": []} for d in depths}
    grew = {d: [] for d in depths}
    for r in range(a.reps):
        for d in depths:
            pair = (("sized", sized), ("full", full)) if r % 2 == 0 else (("full", full), ("sized", sized))
            for name, m in pair:
                st, n_grew, grow_s = request(m, prompts[d], a.gen)
                rows[d][name].append((st.decode_tps, st.total_seconds, st.output_tokens))
                if name == "sized":
                    grew[d].append((n_grew, grow_s, m.kv_cells))
    med = statistics.median
    print(f"\n{'depth':>6}{'cells used':>12}{'decode t/s full':>17}{'sized':>8}{'ratio':>8}"
          f"{'request s full':>16}{'sized':>8}{'ratio':>8}{'grew':>6}{'growth ms':>11}")
    for d in depths:
        f_dec, s_dec = med(x[0] for x in rows[d]["full"]), med(x[0] for x in rows[d]["sized"])
        f_tot, s_tot = med(x[1] for x in rows[d]["full"]), med(x[1] for x in rows[d]["sized"])
        n_grew = sum(g[0] for g in grew[d])
        grow_ms = [g[1] * 1000 / g[0] for g in grew[d] if g[0]]
        cells = med(g[2] for g in grew[d])
        print(f"{d:>6}{int(cells):>12}{f_dec:17.1f}{s_dec:8.1f}{s_dec / f_dec:8.3f}{f_tot:16.3f}{s_tot:8.3f}"
              f"{s_tot / f_tot:8.3f}{n_grew:>6}{(med(grow_ms) if grow_ms else 0):11.1f}")
    if min(x[2] for d in depths for k in rows[d] for x in rows[d][k]) < a.gen:
        print("(some requests ended early; decode rates use the tokens actually made)")
    read = story_tokens(sized, a.read_depth + a.read)
    pairs = []
    for r in range(a.reps):
        got = {}
        for name, m in ((("sized", sized), ("full", full)) if r % 2 == 0 else (("full", full), ("sized", sized))):
            got[name] = read_after(m, read, a.read_depth, shrink=m is sized)
        pairs.append((got["sized"], got["full"]))
    print(f"\na read of {a.read} tokens after {a.read_depth} cached, growing the cache from {START_CELLS} cells: "
          f"{med(p[0] for p in pairs):.1f} tokens/s vs {med(p[1] for p in pairs):.1f} into the full cache "
          f"(paired ratio {med(p[0] / p[1] for p in pairs):.3f})")
    print(f"idle trims shrink the cache here: {'yes' if sized.trims_kv else 'no (flash attention: its size costs no speed)'}")
    sized._reset_cache()
    sized._resize(START_CELLS)
    start, n_full = sized.kv_cells, full.kv_cells
    c_start, c_full = creation(sized, start, a.reps), creation(sized, n_full, a.reps)
    per_cell = sized.info.kv_bytes_per_token()
    print(f"\nmaking the context at load: {start} cells {c_start * 1000:.1f} ms, {n_full} cells {c_full * 1000:.1f} ms "
          f"(ratio {c_start / c_full:.2f}); KV cache {start * per_cell / 2**20:.0f} MB vs {n_full * per_cell / 2**20:.0f} MB")
    sized.close()
    full.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

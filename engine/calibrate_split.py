"""Which requests the calibration sends to a second context with the other attention setting
(engine/runtime/split_prefill.py), from the full runs of both settings: long prompts where the
other setting reads faster, short requests where it decodes faster. Kept apart from
`engine.calibrate` (which calls it from `choose`) so each stays small; with the per-token time
model both use. Runs are `engine.calibrate.Run`s."""

from __future__ import annotations

from dataclasses import replace


def seconds_per_token(decode_tps: dict[int, float], depth: int) -> float:
    """Decode seconds per token at `depth`, interpolated linearly in depth between the measured
    depths (attention work grows linearly with the context) and extrapolated beyond them."""
    pts = sorted((d, 1.0 / r) for d, r in decode_tps.items() if r > 0)
    if not pts:
        return float("inf")
    if len(pts) == 1:
        return pts[0][1]
    lo, hi = (pts[0], pts[1]) if depth <= pts[0][0] else (pts[-2], pts[-1])
    for a, b in zip(pts, pts[1:]):
        if a[0] <= depth <= b[0]:
            lo, hi = a, b
            break
    slope = (hi[1] - lo[1]) / (hi[0] - lo[0]) if hi[0] != lo[0] else 0.0
    return max(1e-6, lo[1] + slope * (depth - lo[0]))


def _other(runs: list, best):
    """The full run of the other attention setting with `best`'s threads, ubatch and offload."""
    return next((r for r in runs if r.decode_tps and r.n_ubatch == best.n_ubatch
                 and r.same_base(replace(best, flash_attn=not best.flash_attn))), None)


def short_setting(runs: list, best, tiny: int, short: int, margin: float) -> tuple[int, str]:
    """Below how many tokens of context the other attention setting decodes faster than `best`'s
    (0: nowhere measured), and why. Found where the two settings' per-token times, linear in
    depth between `tiny` and `short`, cross; the other setting must decode more than `margin`
    faster at `tiny`, and nothing past `short` is assumed."""
    other = _other(runs, best)
    if other is None or best.n_gpu_layers or tiny not in other.decode_tps or tiny not in best.decode_tps:
        return 0, ""
    if other.decode_tps[tiny] <= best.decode_tps[tiny] * (1.0 + margin):
        return 0, ""
    lo, hi = tiny, short
    gap_lo = seconds_per_token(other.decode_tps, lo) - seconds_per_token(best.decode_tps, lo)
    gap_hi = seconds_per_token(other.decode_tps, hi) - seconds_per_token(best.decode_tps, hi)
    below = hi if gap_hi <= 0 else int(lo + (hi - lo) * (-gap_lo) / (gap_hi - gap_lo))
    below -= below % 16
    if below <= tiny:
        return 0, ""
    on = "on" if other.flash_attn else "off"
    return below, (f"requests under {below} tokens run with flash attention {on}: it decodes faster there "
                   f"({other.decode_tps[tiny]:.0f} vs {best.decode_tps[tiny]:.0f} tokens/s at {tiny})")


def prefill_setting(runs: list, best, margin: float) -> tuple[bool | None, str]:
    """The attention setting to read long prompts with when it is not `best`'s (None: `best`'s),
    and why: the other setting of the same threads and ubatch, on the CPU, read prompts more than
    `margin` faster."""
    other = _other(runs, best)
    if (other is None or best.n_gpu_layers or best.prompt_tps <= 0
            or other.prompt_tps <= best.prompt_tps * (1.0 + margin)):
        return None, ""
    on = "on" if other.flash_attn else "off"
    return other.flash_attn, (f"long prompts are read with flash attention {on} in a second context: "
                              f"{other.prompt_tps:.0f} vs {best.prompt_tps:.0f} tokens/s")

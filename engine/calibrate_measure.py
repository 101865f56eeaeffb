"""Take the calibration measurements on a loaded model, in contexts of its own.

Each measured setting gets a fresh llama.cpp context on the model's weights (flash attention and
ubatch size are context parameters), so the engine's own context and its cached prompt prefix are
never touched and a request can run while a calibration is paused. One full run:

    feed tokens [0, tiny)           (untimed: warms the threads)
    decode N tokens at depth tiny   (timed one by one; the median gives decode tokens/s there)
    feed [tiny, short)              (untimed)
    decode N tokens at depth short  (timed)
    feed [short, 512)               (timed: prompt tokens/s)
    feed [512, deep)
    decode N tokens at depth deep   (timed)

The token content does not matter for speed; a fixed English text is used. `stop()` is polled
by llama.cpp's abort callback during every graph computation, so a calibration gives the CPU
back within one operation when a request arrives (the interrupted run is measured again later).
"""

from __future__ import annotations

import ctypes
import statistics
import time
from dataclasses import replace
from typing import Callable

from . import calibrate as cal
from .errors import ModelError

from .runtime.backend import ll

DECODE_TOKENS = 12  # timed decode steps per depth (after 2 untimed ones)
PROMPT_END = 512  # prompt rate is measured over [short, PROMPT_END)
SAMPLE_TEXT = (
    "The river ran slowly past the old mill, and the children who lived on the hill above it spent "
    "the long summer afternoons watching the water turn the great wooden wheel. Their grandmother "
    "told them stories about the years when the mill still ground flour for the whole valley, when "
    "carts came down the road every morning and the miller knew every family by name. "
)


DEADLINE_FACTOR = 3.0  # a calibration running past 3x its budget gives up (the machine is busy)


class Interrupted(Exception):
    """The measurement was stopped (a request arrived, or the calibration was cancelled)."""


class TooSlow(ModelError):
    """The calibration ran far past its budget: the machine is too busy to measure reliably."""


class Measurer:
    """Runs calibration measurements for one loaded `LlamaModel`."""

    def __init__(self, model, stop: Callable[[], bool] = lambda: False, weights_for=None):
        self.model = model
        self.stop = stop
        self._abort = ll.ggml_abort_callback(lambda _data: bool(self.stop()))
        self._weights_for = weights_for or self._default_weights
        self._extra_weights: dict[int, object] = {}
        self._tokens: list[int] = []

    # -- resources --------------------------------------------------------------------------------
    def _default_weights(self, n_gpu_layers: int):
        """The model's own weights when the GPU layers match; otherwise (a GPU machine trying CPU
        only, or the reverse) a second copy loaded for the calibration and freed after it."""
        if n_gpu_layers == self.model.n_gpu_layers:
            return self.model._model
        if n_gpu_layers not in self._extra_weights:
            self._extra_weights[n_gpu_layers] = self.model._load_weights(n_gpu_layers)
        return self._extra_weights[n_gpu_layers]

    def close(self) -> None:
        for w in self._extra_weights.values():
            ll.llama_model_free(w)
        self._extra_weights.clear()

    def tokens(self, n: int) -> list[int]:
        if len(self._tokens) < n:
            one = self.model.tokenize(SAMPLE_TEXT)
            self._tokens = (one * (n // max(1, len(one)) + 1))[:n]
        return self._tokens[:n]

    def _context(self, run: cal.Run, n_ctx: int):
        from .hardware import available_memory

        need = self.model.info.kv_bytes_per_token() * n_ctx + (64 << 20)
        free = available_memory()
        if free and need > free:
            raise ModelError(f"not enough free memory to calibrate ({need >> 20} MB needed, {free >> 20} MB free)")
        cp = ll.llama_context_default_params()
        cp.n_ctx = n_ctx
        cp.n_batch = max(PROMPT_END, run.n_ubatch)
        cp.n_ubatch = run.n_ubatch
        cp.n_seq_max = 1
        cp.n_threads = run.n_threads
        cp.n_threads_batch = run.n_threads
        cp.flash_attn_type = ll.LLAMA_FLASH_ATTN_TYPE_ENABLED if run.flash_attn else ll.LLAMA_FLASH_ATTN_TYPE_DISABLED
        cp.no_perf = True
        ctx = ll.llama_init_from_model(self._weights_for(run.n_gpu_layers), cp)
        if not ctx:
            raise ModelError(f"could not create a calibration context for {run.label()}")
        ll.llama_set_abort_callback(ctx, self._abort, ctypes.c_void_p(0))
        return ctx

    # -- primitives -------------------------------------------------------------------------------
    def _feed(self, ctx, batch, tokens: list[int], start: int, end: int, chunk: int) -> float:
        t0 = time.perf_counter()
        for s in range(start, end, chunk):
            part = tokens[s : min(end, s + chunk)]
            batch.n_tokens = len(part)
            for i, tok in enumerate(part):
                batch.token[i], batch.pos[i], batch.n_seq_id[i] = tok, s + i, 1
                batch.seq_id[i][0] = 0
                batch.logits[i] = 1 if s + i == end - 1 else 0
            self._decode(ctx, batch)
        return time.perf_counter() - t0

    def _decode(self, ctx, batch) -> None:
        if self.stop():
            raise Interrupted()
        rc = ll.llama_decode(ctx, batch)
        if rc == 2 or self.stop():
            raise Interrupted()
        if rc != 0:
            raise ModelError(f"llama.cpp failed to decode during calibration (code {rc})")
        ll.llama_synchronize(ctx)

    def _decode_rate(self, ctx, batch, tokens: list[int], depth: int) -> float:
        """Decode tokens/s at `depth`: the median of DECODE_TOKENS single-token steps."""
        times = []
        for k in range(DECODE_TOKENS + 2):
            batch.n_tokens = 1
            batch.token[0], batch.pos[0], batch.n_seq_id[0], batch.logits[0] = tokens[depth + k], depth + k, 1, 1
            batch.seq_id[0][0] = 0
            t0 = time.perf_counter()
            self._decode(ctx, batch)
            if k >= 2:
                times.append(time.perf_counter() - t0)
        ll.llama_memory_seq_rm(ll.llama_get_memory(ctx), 0, depth, -1)  # back to `depth` tokens
        return 1.0 / statistics.median(times)

    # -- runs ---------------------------------------------------------------------------------------
    def full_run(self, run: cal.Run, short: int, deep: int, on_short=None) -> cal.Run:
        """Prompt rate and decode rates at `short` and `deep`. `on_short(run_so_far, elapsed)` may
        return a new deep depth (the first run uses it to fit the time budget)."""
        t0 = time.perf_counter()
        toks = self.tokens(max(deep, PROMPT_END) + DECODE_TOKENS + 4)
        ctx = self._context(run, _ctx_size(max(deep, PROMPT_END)))
        batch = ll.llama_batch_init(max(PROMPT_END, run.n_ubatch), 0, 1)
        try:
            chunk = max(PROMPT_END, run.n_ubatch)
            tiny = cal.TINY_DEPTH if cal.TINY_DEPTH < short else 0
            warm = self._feed(ctx, batch, toks, 0, tiny, chunk) if tiny else 0.0
            decode = {tiny: self._decode_rate(ctx, batch, toks, tiny)} if tiny else {}
            warm += self._feed(ctx, batch, toks, tiny, short, chunk)
            decode[short] = self._decode_rate(ctx, batch, toks, short)
            t_prompt = self._feed(ctx, batch, toks, short, PROMPT_END, chunk)
            out = replace(run, prompt_tps=(PROMPT_END - short) / t_prompt, decode_tps=dict(decode))
            if on_short is not None:
                deep = on_short(out, short / warm if warm > 0 else 0.0) or deep
            if deep > PROMPT_END:
                self._feed(ctx, batch, toks, PROMPT_END, deep, chunk)
            decode[deep] = self._decode_rate(ctx, batch, toks, deep)
        finally:
            ll.llama_batch_free(batch)
            ll.llama_free(ctx)
        return replace(run, prompt_tps=out.prompt_tps, decode_tps=decode, seconds=time.perf_counter() - t0)

    def prompt_run(self, run: cal.Run, short: int) -> cal.Run:
        """Prompt rate only, over the same tokens as a full run's."""
        t0 = time.perf_counter()
        toks = self.tokens(PROMPT_END + 4)
        ctx = self._context(run, _ctx_size(PROMPT_END))
        batch = ll.llama_batch_init(max(PROMPT_END, run.n_ubatch), 0, 1)
        try:
            chunk = max(PROMPT_END, run.n_ubatch)
            self._feed(ctx, batch, toks, 0, short, chunk)
            t_prompt = self._feed(ctx, batch, toks, short, PROMPT_END, chunk)
        finally:
            ll.llama_batch_free(batch)
            ll.llama_free(ctx)
        return replace(run, prompt_tps=(PROMPT_END - short) / t_prompt, decode_tps={}, seconds=time.perf_counter() - t0)


def _ctx_size(depth: int) -> int:
    need = depth + DECODE_TOKENS + 8
    return (need + 255) // 256 * 256


def fit_depth(budget_left: float, prompt_tps: float, decode_tps: float, full_left: int, prompt_runs: int,
              short: int, ceiling: int) -> int:
    """The deepest depth (<= ceiling, >= PROMPT_END, a multiple of 64) whose remaining runs fit in
    `budget_left` seconds, given the rates measured so far. The current run still has to feed
    [PROMPT_END, deep) and decode once; each other full run feeds `deep` tokens and decodes twice."""
    if prompt_tps <= 0 or decode_tps <= 0:
        return PROMPT_END
    step = (DECODE_TOKENS + 2) / decode_tps

    def cost(deep: int) -> float:
        this = (deep - PROMPT_END) / prompt_tps + step * 1.3  # deeper decoding is slower
        others = full_left * (deep / prompt_tps + 2.3 * step)
        return this + others + prompt_runs * PROMPT_END / prompt_tps

    deep = max(PROMPT_END, ceiling // 64 * 64)
    while deep > PROMPT_END and cost(deep) > budget_left:
        deep -= 64
    return max(PROMPT_END, deep)


def calibrate(model, budget_seconds: float = cal.BUDGET_SECONDS, stop: Callable[[], bool] = lambda: False,
              done_runs: list | None = None, weights_for=None, on_run=None) -> tuple[list[cal.Run], list[int], float]:
    """Measure the plan for `model`; returns (runs, [short, deep], seconds). `done_runs` are
    measurements kept from an interrupted earlier attempt (not measured again). Raises
    `Interrupted` when `stop()` turns true; the runs finished so far are in `done_runs`."""
    from .hardware import physical_cores

    t_start = time.perf_counter()
    deadline = t_start + budget_seconds * DEADLINE_FACTOR
    outer_stop = stop

    def stop() -> bool:
        return outer_stop() or time.perf_counter() > deadline

    done = done_runs if done_runs is not None else []
    default = model.default_run()
    full, threads, ubatches = cal.plan(default, physical_cores(), cal.logical_cpus(), model.n_gpu_layers)
    ceiling = min(cal.LONG_DEPTH, model.n_ctx - DECODE_TOKENS - 16, (model.info.context_length or 1 << 30) - DECODE_TOKENS - 16)
    if ceiling < PROMPT_END:
        raise ModelError(f"the context ({model.n_ctx} tokens) is too small to calibrate")
    short = cal.SHORT_DEPTH
    deep_holder = {"deep": max((max(r.decode_tps) for r in done if r.decode_tps), default=0) or ceiling}
    measurer = Measurer(model, stop, weights_for)

    def fit(first: cal.Run, _warm_tps: float) -> int:
        left = budget_seconds - (time.perf_counter() - t_start)
        remaining_full = len(full) + len(threads) - len([r for r in done if r.decode_tps]) - 1
        deep_holder["deep"] = fit_depth(left, first.prompt_tps, first.decode_tps[short], remaining_full,
                                        len(ubatches), short, ceiling)
        return deep_holder["deep"]

    def find(template: cal.Run) -> cal.Run | None:
        return next((r for r in done if (r.flash_attn, r.n_threads, r.n_ubatch, r.n_gpu_layers, bool(r.decode_tps))
                     == (template.flash_attn, template.n_threads, template.n_ubatch, template.n_gpu_layers, True)), None)

    try:
        _measure_plan(measurer, full, threads, ubatches, done, default, short, deep_holder, fit, find, on_run)
    except Interrupted:
        if time.perf_counter() > deadline and not outer_stop():
            raise TooSlow(
                f"calibration gave up after {time.perf_counter() - t_start:.0f} s (budget {budget_seconds:.0f} s): "
                "the machine is too busy to measure; the defaults stay in use"
            ) from None
        raise
    finally:
        measurer.close()
    return list(done), [short, deep_holder["deep"]], time.perf_counter() - t_start


def _measure_plan(measurer, full, threads, ubatches, done, default, short, deep_holder, fit, find, on_run) -> None:
    """Full runs first, then the thread and ubatch variants of the winner so far."""
    for template in full:
        if find(template):
            continue
        first = not any(r.decode_tps for r in done)
        r = measurer.full_run(template, short, deep_holder["deep"], on_short=fit if first else None)
        done.append(r)
        if on_run:
            on_run(r)
    winner = cal.choose([r for r in done if r.decode_tps], default)
    for template in threads:
        t = replace(template, flash_attn=winner.flash_attn, n_gpu_layers=winner.n_gpu_layers)
        if not find(t):
            done.append(measurer.full_run(t, short, deep_holder["deep"]))
            if on_run:
                on_run(done[-1])
    winner = cal.choose([r for r in done if r.decode_tps], default)
    for template in ubatches:
        t = replace(template, flash_attn=winner.flash_attn, n_threads=winner.n_threads, n_gpu_layers=winner.n_gpu_layers)
        if not any(not r.decode_tps and (r.flash_attn, r.n_threads, r.n_ubatch, r.n_gpu_layers)
                   == (t.flash_attn, t.n_threads, t.n_ubatch, t.n_gpu_layers) for r in done):
            done.append(measurer.prompt_run(t, short))
            if on_run:
                on_run(done[-1])



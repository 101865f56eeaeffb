"""The main context's KV cache, sized to the work it holds.

Without flash attention llama.cpp keeps V transposed: each of a layer's V rows is as long as the
whole cache, and a decode step reads the first cells of every row (as many as are in use, padded
to 256). In a cache much larger than the work those are short runs far apart; in one sized to the
work they are nearly one stream: the default model at depth 512 decodes faster in a 1,024-cell
cache than in a 4,096-cell one (benchmarks/kv_size.py has this machine's figures). The cache is
also memory the work does not use (23 KB a cell for the default model: 94 MB at 4,096 cells), and
a smaller one is made faster when the model loads.

So on the CPU the main context starts at `START_CELLS` and is remade larger when a request needs
more: at least twice the size, up to the context asked for (`n_ctx`, which is what a request may
use and what every check reads). Making a context costs tens of milliseconds (its buffers and
graphs), so it shrinks only when the engine is idle (`trim_kv`, called by the engine process after
a pause), never on a request's path, and only where its size costs speed: without flash attention.
With flash attention a decode reads the same cells whatever the cache's size, so a trim would only
give back memory and charge the next long request a remake (~40 ms) and a slower first read into
the new buffers (a 512-token read after 512 cached tokens ran at 0.96-0.97 of its speed into a
cache already large enough; benchmarks/kv_size.py): that cache keeps the size it grew to, which is
never more than the context asked for, the size it had before it was sized to the work. A remade
context receives the whole KV cache of the old one at once (every sequence with its positions,
cells shared between sequences once), so the prompt cache and the prefilled prefixes stay valid;
a decode that finds no room grows the cache and retries. Anything that fails keeps the old context as it was. With layers on a GPU the context is
made at full size once, as before.
"""

from __future__ import annotations

import ctypes
import time

from ..errors import ModelError
from .backend import ll
from .loading import create_context, set_abort

PAD = 256  # llama.cpp rounds a context up to this
START_CELLS = 1024  # a short rewrite or proofreading request (prompt and answer) fits without growing
STEP = 512  # sizes are multiples of this
TRIM_ROOM = 512  # an idle trim leaves this many free cells past what the cache holds


def _round_up(n: int, step: int) -> int:
    return -(-n // step) * step


class KVSizing:
    """Sizing of `LlamaModel`'s main context (uses its `_model`, `info`, `options`, `_ctx`, `_mem`,
    `_cached`, `_abort_cb`, `_abort_armed`, `_prefill_cells`, `n_gpu_layers`; `_aux` from
    split_prefill.py)."""

    def _init_kv_size(self) -> None:
        self._cells = 0  # the main context's size now
        self._n_ctx_max = 0  # the size asked for: what a request may use
        self.resizes = 0  # contexts remade for size, grown or trimmed (tests, benchmarks)
        self.resize_seconds = 0.0
        self.grows = 0  # of which grown for a request
        self.grow_seconds = 0.0

    @property
    def n_ctx(self) -> int:
        """The context a request may use (tokens): the size asked for, whatever the cache holds now."""
        return self._n_ctx_max

    @property
    def kv_cells(self) -> int:
        """The main context's KV cache size now (cells)."""
        return self._cells

    @property
    def sizes_kv(self) -> bool:
        """Whether the main context's size follows the work (on the CPU, unless turned off)."""
        return bool(self.options.fit_kv) and not self.n_gpu_layers

    def _first_cells(self, wanted: int) -> int:
        """The size to create the main context at, for a context of `wanted` tokens."""
        self._n_ctx_max = _round_up(wanted, PAD)
        return min(self._n_ctx_max, START_CELLS) if self.sizes_kv else self._n_ctx_max

    def _cells_for(self, need: int) -> int:
        return min(self._n_ctx_max, max(START_CELLS, _round_up(need, STEP)))

    def _cells_in_use(self) -> int:
        """Cells the main context holds between requests' steps: the prompt cache and the prefilled
        prefixes (batched sequences and the spare one are emptied before and after their use)."""
        return len(self._cached) + self._prefill_cells()

    def _fit_cells(self, need: int) -> None:
        """Before a request adds up to `need` cells: grow the cache when they do not fit."""
        if self.sizes_kv and not self._on_second_context():
            want = self._cells_in_use() + need
            if want > self._cells:
                self._grow(want)

    def _grow_for_batch(self, n_tokens: int) -> bool:
        """A decode of `n_tokens` found no room: grow the cache if it can; True when it grew and the
        decode may be retried."""
        if not self.sizes_kv or self._on_second_context() or self._cells >= self._n_ctx_max:
            return False
        return self._grow(self._cells_in_use() + n_tokens)

    def _grow(self, want: int) -> bool:
        t0 = time.perf_counter()
        if not self._resize(min(self._n_ctx_max, max(2 * self._cells, self._cells_for(want)))):
            return False
        self.grows += 1
        self.grow_seconds += time.perf_counter() - t0
        return True

    @property
    def trims_kv(self) -> bool:
        """Whether an idle trim shrinks the cache: sized, and decoding without flash attention (the
        setting whose speed depends on the cache's size)."""
        return self.sizes_kv and not self.flash_attn

    def trim_kv(self) -> int:
        """Shrink the cache to what it holds and `TRIM_ROOM` more (not below `START_CELLS`) when that
        is smaller and `trims_kv`; for an idle engine. Returns the size now. Skipped while a request
        or a prefill runs."""
        if not self.trims_kv or self.busy or not self._lock.acquire(blocking=False):
            return self._cells
        try:
            want = self._cells_for(self._cells_in_use() + TRIM_ROOM)
            if want < self._cells:
                self._resize(want)
            return self._cells
        finally:
            self._lock.release()

    def _on_second_context(self) -> bool:
        return self._ctx is not None and self._ctx is getattr(self, "_aux", None)

    def _resize(self, cells: int) -> bool:
        """Remake the main context with `cells` cells and its whole KV cache; False (and nothing
        changed) when the new context cannot be made or refuses the cache."""
        t0 = time.perf_counter()
        try:
            ctx = create_context(self._model, self.info, cells, self.options, [])
        except ModelError:
            return False
        if not _copy_cache(self._ctx, ctx):
            ll.llama_free(ctx)
            return False
        old, self._ctx, self._mem = self._ctx, ctx, ll.llama_get_memory(ctx)
        set_abort(ctx, self._abort_cb if self._abort_armed else None)
        ll.llama_free(old)
        self._cells = int(ll.llama_n_ctx(ctx))
        self.resizes += 1
        self.resize_seconds += time.perf_counter() - t0
        return True


def _copy_cache(src, dst) -> bool:
    """Put the whole KV cache of `src` into `dst` (same model and attention setting), which it
    replaces: llama.cpp's state of "sequence -1" is every cell with its positions and sequences,
    without the logits. False when `dst` refused it."""
    n = ll.llama_state_seq_get_size(src, -1)
    buf = (ctypes.c_uint8 * n)()
    if not n or ll.llama_state_seq_get_data(src, buf, n, -1) != n:
        return False
    return ll.llama_state_seq_set_data(dst, buf, n, -1) == n

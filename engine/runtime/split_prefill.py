"""Reading long prompts, and running short requests, with the other attention setting in a
second context.

On some CPUs the two attention settings win different halves of a request: on this project's
Xeon, flash attention reads prompts 9-15 % faster at every depth but decodes twice as slowly past
a few hundred tokens. One llama.cpp context has one setting, so when the calibration measured a
faster prompt rate for the other setting (`LoadOptions.prefill_flash_attn`), long prompts are read
in a second context with that setting and their KV cache is moved into the main one
(`kv_layout`), where decoding goes on with the setting that decodes fastest. Short prompts (a
cached prefix plus a sentence) stay in the main context: a move costs ~65 µs per token moved and
one extra one-token decode, about what the other setting saves on a 256-token read (measured:
`benchmarks/split_prefill.py`).

The second context is made on first use (a one-sentence CLI request never pays for it) and
checked once: a prompt whose head moves there and whose rest is read there and moved back must
give the main context's next token and nearly the same logits, or it is dropped for this model
and the engine says so in `choices`. Only what a context lacks moves: the second context keeps
its sequence between requests, and new cells join sequence 0 through a spare sequence. Everything else
(batched sequences, scoring, the popup's prefilled prefixes, the prompt file cache) stays in the
main context, which always holds sequence 0 afterwards.

Short requests: where the other setting also decodes faster at small depths (on the same Xeon,
flash attention below ~150 tokens), a request whose prompt and answer fit under the measured
crossover (`LoadOptions.short_below`) runs wholly in the second context: the cached prefix moves
there, the prompt is read and the answer generated there, and the sequence moves back at the
end so the prompt cache stays in the main context.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import Iterator

from ..errors import ModelError
from .backend import ll
from .kv_layout import KVLayoutError, move_sequence
from .loading import create_context, set_abort
from .prefill import shared

SPLIT_MIN_TOKENS = 256  # new prompt tokens for a move to pay (measured: 256 read in 0.97-0.99 of the time, 512 in 0.89-0.92)
# The second context's size: the longest prompt our tools read (a 1,500-token summary chunk) fits;
# a longer one is read in the main context. Its KV cache is most of what it costs: 46 MB here for
# the default model (resident), against 93 MB at the main context's 4,096 cells.
AUX_CTX = 2048
CHECK_TEXT = "The library opens at nine on weekdays and at ten on Saturdays; it is closed on Sundays."


class SplitPrefill:
    """The second context of `LlamaModel` (uses its `_model`, `_ctx`, `_mem`, `_batch`, `_feed`,
    `_cached`, `options`, `flash_attn`, `choices`)."""

    def _init_split(self) -> None:
        self._aux = None  # the second context, made on first use
        self._aux_mem = None
        self._aux_armed = False
        self._aux_state = "off"  # "off" | "ready" (not made yet) | "open" | "failed"
        self._aux_cached: list[int] = []  # tokens sequence 0 of the second context holds
        self._aux_ctx = AUX_CTX  # its size once made
        self._split_reads = False  # long prompts are read in the second context
        self._short_below = 0  # requests under this many tokens run there
        self.prefill_moves = 0  # prompts read in the second context (tests, benchmarks)
        self.short_requests = 0  # requests run wholly there

    def _plan_split(self, opt) -> None:
        """Called with each new main context: use the second context when `opt` asks for the other
        attention setting to read long prompts or run short requests (weights on the CPU)."""
        self._close_aux()
        self._split_reads = opt.prefill_flash_attn is not None and bool(opt.prefill_flash_attn) != bool(opt.flash_attn)
        self._short_below = int(opt.short_below or 0)
        if not (self._split_reads or self._short_below):
            self._aux_state = "off"
        elif self.n_gpu_layers:
            self._aux_state = "off"
            self.choices.append("prompts are read with the main attention setting: the model runs on a GPU")
        else:
            self._aux_state = "ready"

    @property
    def prefill_attention(self) -> bool:
        """The attention setting long prompts are read with now."""
        return (not self.flash_attn) if self._split_reads and self._aux_state in ("ready", "open") else self.flash_attn

    @property
    def short_requests_below(self) -> int:
        """Requests under this many tokens run with the other attention setting now (0: none)."""
        return self._short_below if self._aux_state in ("ready", "open") else 0

    def _reset_cache(self) -> None:
        """Forget every cached token, the second context's included."""
        super()._reset_cache()
        if self._aux_mem is not None:
            ll.llama_memory_clear(self._aux_mem, True)
        self._aux_cached = []

    def _close_aux(self) -> None:
        if self._aux:
            ll.llama_free(self._aux)
        self._aux = self._aux_mem = None
        self._aux_cached = []

    def _open_aux(self) -> bool:
        from .. import hardware

        n_ctx = min(self.n_ctx, AUX_CTX)
        need = self.info.kv_bytes_per_token() * n_ctx + (64 << 20)  # its KV cache and compute buffers
        free = hardware.available_memory()
        if free and need > free:
            return self._split_failed(f"a second context needs about {need >> 20} MB and {free >> 20} MB is free")
        opt = replace(self.options, flash_attn=not self.flash_attn, n_seq_max=2, n_prefill_seqs=0)  # 1: spare
        try:
            ctx = create_context(self._model, self.info, n_ctx, opt, [])
        except ModelError as exc:
            return self._split_failed(f"no second context ({exc})")
        if bool(opt.flash_attn) == bool(self.flash_attn):
            ll.llama_free(ctx)
            return self._split_failed("the other attention setting is not available for this model")
        set_abort(ctx, self._abort_cb)
        self._aux, self._aux_mem, self._aux_armed = ctx, ll.llama_get_memory(ctx), True
        self._aux_ctx = int(ll.llama_n_ctx(ctx))
        self._aux_state = "open"
        try:
            problem = self._check_split()
        except (KVLayoutError, ModelError) as exc:
            problem = str(exc)
        if problem:
            return self._split_failed(problem)
        return True

    def _split_failed(self, why: str) -> bool:
        self._close_aux()
        self._aux_state = "failed"
        self.choices.append(f"prompts are read with the main attention setting: {why}")
        return False

    def _check_split(self) -> str:
        """'' when a prompt read in the second context and moved gives the main context's next
        token and logits within the two settings' rounding; else what differed."""
        import numpy as np

        tokens = [ll.llama_vocab_bos(self._vocab)] + self.tokenize(CHECK_TEXT)
        tokens = [t for t in tokens if t >= 0]
        ll.llama_memory_seq_rm(self._mem, 0, -1, -1)
        self._cached = []
        direct = self._logits_after(tokens)
        ll.llama_memory_seq_rm(self._mem, 0, -1, -1)
        # the way a request uses it: a cached head moves there, the rest is read there and moves back
        half = len(tokens) // 2
        self._feed([(t, p, 0, False) for p, t in enumerate(tokens[:half])])
        if not self._read_in_aux(tokens, half, len(tokens) - 1):
            ll.llama_memory_seq_rm(self._mem, 0, -1, -1)
            return "the main context refused the moved cells"
        moved = self._logits_after(tokens, start=len(tokens) - 1)
        ll.llama_memory_seq_rm(self._mem, 0, -1, -1)
        a, b = np.asarray(direct), np.asarray(moved)
        corr = float(np.corrcoef(a, b)[0, 1])
        if int(a.argmax()) != int(b.argmax()) or corr < 0.995:
            return f"a moved prompt predicted differently (token {int(b.argmax())} vs {int(a.argmax())}, correlation {corr:.3f})"
        return ""

    def _logits_after(self, tokens: list[int], start: int = 0) -> list[float]:
        items = [(t, p, 0, p == len(tokens) - 1) for p, t in enumerate(tokens[start:], start=start)]
        last = self._feed(items)
        ptr = ll.llama_get_logits_ith(self._ctx, last[0])
        return [ptr[i] for i in range(self.n_vocab)]

    @contextlib.contextmanager
    def _on_aux(self) -> Iterator[None]:
        """Run the decoding steps on the second context; on any failure sequence 0 of the main
        context is emptied, so the prompt cache never points at half a prompt."""
        main = (self._ctx, self._mem, self._abort_armed)
        slots = self._slots  # a failed decode forgets them; they live in the main context
        self._ctx, self._mem, self._abort_armed = self._aux, self._aux_mem, self._aux_armed
        try:
            yield
        except BaseException:
            self._aux_armed = self._abort_armed
            self._ctx, self._mem, self._abort_armed = main
            self._slots = slots
            ll.llama_memory_seq_rm(self._mem, 0, -1, -1)
            self._cached = []
            if self._aux_mem is not None:
                ll.llama_memory_clear(self._aux_mem, True)
            self._aux_cached = []
            raise
        self._aux_armed = self._abort_armed
        self._ctx, self._mem, self._abort_armed = main

    def _move_tail(self, src, dst, from_pos: int, transposed: bool, scratch: int | None) -> bool:
        """Append the cells of sequence 0 of `src` at positions >= `from_pos` to sequence 0 of
        `dst`, which holds exactly [0, from_pos). Both contexts have the spare sequence `scratch`
        (None: the whole sequence moves instead): the tail is marked with it in `src` so only
        those cells are serialized, written to it in `dst` and joined to sequence 0 there. False
        (sequence 0 of `dst` then may be empty) when `dst` refused them."""
        if from_pos == 0 or scratch is None:
            return move_sequence(src, dst, 0, transposed)
        src_mem, dst_mem = ll.llama_get_memory(src), ll.llama_get_memory(dst)
        ll.llama_memory_seq_rm(src_mem, scratch, -1, -1)
        ll.llama_memory_seq_cp(src_mem, 0, scratch, from_pos, -1)
        try:
            ok = move_sequence(src, dst, scratch, transposed)
        finally:
            ll.llama_memory_seq_rm(src_mem, scratch, -1, -1)
        if ok:
            ll.llama_memory_seq_cp(dst_mem, scratch, 0, -1, -1)
        ll.llama_memory_seq_rm(dst_mem, scratch, -1, -1)
        return ok

    @property
    def _main_scratch(self) -> int | None:
        """A sequence of the main context no request holds while a prompt is fed (batched
        generation fills 1.. only after its shared head is read)."""
        return 1 if self.options.n_seq_max >= 2 else None

    def _aux_hold(self, tokens: list[int], reused: int) -> int:
        """Leave sequence 0 of the second context holding the longest prefix of `tokens` it can
        without reading: what it kept from before, extended by the main context's first `reused`
        tokens (moved over) when those are more. Returns how many it holds."""
        keep = min(shared(self._aux_cached, tokens), len(tokens))
        if keep < reused:
            ll.llama_memory_seq_rm(self._aux_mem, 0, keep, -1)
            ll.llama_memory_seq_rm(self._mem, 0, reused, -1)
            if self._move_tail(self._ctx, self._aux, keep, transposed=self.flash_attn, scratch=self._main_scratch):
                keep = reused
            else:
                ll.llama_memory_clear(self._aux_mem, True)
                keep = 0
        ll.llama_memory_seq_rm(self._aux_mem, 0, keep, -1)
        self._aux_cached = list(tokens[:keep])
        return keep

    def _read_in_aux(self, prompt: list[int], reused: int, end: int) -> bool:
        """Sequence 0 of the main context holds prompt[:reused]; leave it holding prompt[:end],
        read in the second context. False (and sequence 0 maybe empty) when the main context
        refused the moved cells; KVLayoutError when the state could not be converted."""
        keep = self._aux_hold(prompt[:end], reused)
        with self._on_aux():
            self._feed([(t, p, 0, False) for p, t in enumerate(prompt[keep:end], start=keep)])
        self._aux_cached = list(prompt[:end])
        ll.llama_memory_seq_rm(self._mem, 0, reused, -1)
        return self._move_tail(self._aux, self._ctx, reused, transposed=not self.flash_attn, scratch=self._main_scratch)

    def _feed_prompt(self, prompt: list[int], reused: int, end: int, want_last: bool) -> dict[int, int]:
        """Decode prompt[reused:end] into sequence 0 (which holds prompt[:reused]), logits for the
        last one when `want_last`; sequence 0 and `_cached` then hold prompt[:end]. Long reads go
        through the second context when the calibration chose one; the last token is decoded in
        the main context so its logits are where sampling reads them."""
        split_end = end - 1 if want_last else end
        new = split_end - reused
        # the new part moves back, and what the second context lacks of the cached part moves there
        there = reused - min(reused, shared(self._aux_cached, prompt[:reused]))
        if (self._split_reads and self._aux_state in ("ready", "open") and self._ctx is not self._aux
                and new >= SPLIT_MIN_TOKENS and 2 * new >= there and split_end < min(self._aux_ctx, self.n_ctx)):
            if self._aux_state == "ready":
                self._open_aux()  # its check leaves sequence 0 empty
                reused = 0
            if self._aux_state == "open":
                try:
                    moved = self._read_in_aux(prompt, reused, split_end)
                except KVLayoutError as exc:
                    self._split_failed(str(exc))
                    moved = False
                reused = split_end if moved else 0
                self.prefill_moves += moved
            if not reused:
                ll.llama_memory_seq_rm(self._mem, 0, -1, -1)
                self._cached = []
        items = [(t, p, 0, False) for p, t in enumerate(prompt[reused:end], start=reused)]
        if items and want_last:
            items[-1] = (items[-1][0], items[-1][1], 0, True)
        last = self._feed(items) if items else {}
        self._cached = list(prompt[:end])
        return last

    # -- short requests -------------------------------------------------------------------------------
    def _short_on_aux(self, total: int) -> bool:
        """Whether a request of `total` tokens (prompt and answer) runs in the second context; may
        make it (its check empties sequence 0 of the main context: call before the prefix is kept)."""
        if not self._short_below or total >= self._short_below or self._aux_state not in ("ready", "open"):
            return False
        if self._aux_state == "ready":
            self._open_aux()
            ll.llama_memory_seq_rm(self._mem, 0, -1, -1)
            self._cached = []
        return self._aux_state == "open"

    def _seed_aux(self, prompt: list[int], reused: int) -> tuple[int, bool]:
        """Make the second context hold as much of `prompt` as it can without reading (see
        `_aux_hold`); returns (tokens it holds, whether the request can run there)."""
        try:
            return self._aux_hold(prompt[: len(prompt) - 1], reused), True
        except KVLayoutError as exc:
            self._split_failed(str(exc))
            return reused, False

    @contextlib.contextmanager
    def _short_request(self, main_reused: int) -> Iterator[None]:
        """Run the block's decoding in the second context, then append what it added past the
        main context's `main_reused` tokens to sequence 0 there (emptied, with `_cached`, if the
        main context refuses it)."""
        with self._on_aux():
            yield
        self._aux_cached = list(self._cached)
        ll.llama_memory_seq_rm(self._mem, 0, main_reused, -1)
        try:
            ok = self._move_tail(self._aux, self._ctx, main_reused, transposed=not self.flash_attn,
                                 scratch=self._main_scratch)
        except KVLayoutError as exc:
            self._split_failed(str(exc))
            ok = False
        if not ok:
            ll.llama_memory_seq_rm(self._mem, 0, -1, -1)
            self._cached = []
        self.short_requests += 1

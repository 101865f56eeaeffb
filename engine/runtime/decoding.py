"""The decoding loop's parts shared by single and batched generation and by scoring: filling a
llama_batch, llama_decode with its failures in plain words, the prompt-prefix KV cache kept in
sequence 0, and one sequence in flight (`Sequence`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence as Seq

from ..errors import Cancelled, InputError, ModelError
from .backend import ll, recent_log
from .loading import set_abort
from .stops import StopFilter

# A decode of fewer tokens runs without the abort callback (`Decoding._run_decode`).
ABORT_MIN_TOKENS = 16


@dataclass
class Sequence:
    """One generation in flight (batched decoding keeps several)."""

    seq_id: int
    prompt: list[int]
    max_tokens: int
    stop: Seq[str]
    sampler: object  # sampler.Sampler
    text: StopFilter = None
    n_out: int = 0
    done: bool = False
    finish: str = ""
    batch_index: int = -1
    pos: int = 0
    primed: bool = False  # the prompt is decoded and the first token sampled
    last_token: int = -1
    result: str = ""

    def __post_init__(self) -> None:
        self.text = StopFilter(self.stop)


class Decoding:
    """Batch, decode and prefix-cache steps of `LlamaModel` (which holds `_ctx`, `_mem`, `_batch`,
    `_vocab`, `_cached`, `_cancel` and `options`)."""

    def _clear_batch(self) -> None:
        self._batch.n_tokens = 0

    def _add(self, token: int, pos: int, seq: int, logits: bool) -> int:
        b = self._batch
        i = b.n_tokens
        b.token[i] = token
        b.pos[i] = pos
        b.n_seq_id[i] = 1
        b.seq_id[i][0] = seq
        b.logits[i] = 1 if logits else 0
        b.n_tokens = i + 1
        return i

    def _run_decode(self, abortable: bool) -> int:
        """llama_decode of the batch. llama.cpp asks the abort callback before every graph node,
        about 600 times per decode for the default model, each a call into Python while the other
        threads wait at the node's barrier: 2 % of a token's time at a short context, measured. So
        a small step (one token per sequence while generating, milliseconds long and followed by a
        cancel check) runs without it; prompt and prefill batches, which can take seconds, with it."""
        if abortable != self._abort_armed:
            set_abort(self._ctx, self._abort_cb if abortable else None)
            self._abort_armed = abortable
        rc = ll.llama_decode(self._ctx, self._batch)
        while rc == 1 and self._grow_for_batch(self._batch.n_tokens):  # no room: a larger cache (kv_size.py)
            rc = ll.llama_decode(self._ctx, self._batch)
        return rc

    def _decode(self) -> None:
        rc = self._run_decode(self._batch.n_tokens >= ABORT_MIN_TOKENS)
        if rc == 0:
            return
        if rc == 2 or self._cancel.is_set():
            self._drop_work()
            raise Cancelled("stopped")
        self._reset_cache()
        if rc == 1:
            raise InputError("the text does not fit in the model's context window")
        raise ModelError(f"llama.cpp failed to decode (code {rc}): {recent_log() or 'no detail'}")

    def _reset_cache(self) -> None:
        ll.llama_memory_clear(self._mem, True)
        self._cached = []
        self._slots = []  # prefilled prefixes (prefill.py) go with everything else

    def _drop_work(self) -> None:
        """After a cancel: empty the sequences requests use (the prompt cache included) and keep
        the prefilled prefixes, whose cells an aborted decode never touches."""
        for seq in range(max(1, self.options.n_seq_max)):
            ll.llama_memory_seq_rm(self._mem, seq, -1, -1)
        self._cached = []

    def _feed(self, items: list[tuple[int, int, int, bool]]) -> dict[int, int]:
        """Decode (token, pos, seq, want_logits) items in n_batch slices; return seq -> batch index
        of its logits in the final slice."""
        last: dict[int, int] = {}
        n_batch = self.options.n_batch
        for start in range(0, len(items), n_batch):
            if self._cancel.is_set():
                self._drop_work()
                raise Cancelled("stopped")
            self._clear_batch()
            last = {}
            for token, pos, seq, want in items[start : start + n_batch]:
                idx = self._add(token, pos, seq, want)
                if want:
                    last[seq] = idx
            self._decode()
        return last

    def _prepare_prefix(self, prompt: list[int]) -> int:
        """Keep the longest cached prefix of `prompt` in sequence 0; return how many tokens are reused."""
        keep = 0
        limit = min(len(self._cached), len(prompt) - 1)  # always decode >= 1 token for fresh logits
        while keep < limit and self._cached[keep] == prompt[keep]:
            keep += 1
        if keep < len(self._cached):
            if not ll.llama_memory_seq_rm(self._mem, 0, keep, -1):
                self._reset_cache()
                keep = 0
            else:
                del self._cached[keep:]
        return keep

    def _sample(self, seq: Sequence) -> str:
        """Sample `seq`'s next token from the logits at its batch index; return the text it
        releases. Sets `seq.done`/`seq.finish` at the end of generation, the end-of-generation
        token included (it is not counted and not given out)."""
        token = seq.sampler.next(self._ctx, seq.batch_index)
        if ll.llama_vocab_is_eog(self._vocab, token):
            seq.done, seq.finish = True, "stop"
            return seq.text.finish()
        seq.n_out += 1
        seq.last_token = token
        out = seq.text.feed(self.piece(token))
        if seq.text.stopped:
            seq.done, seq.finish = True, "stop"
        elif seq.n_out >= seq.max_tokens:
            seq.done, seq.finish = True, "length"
            out += seq.text.finish()
        return out

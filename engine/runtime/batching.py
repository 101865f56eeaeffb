"""Several prompts as parallel sequences in shared batches (`LlamaModel.generate_many`)."""

from __future__ import annotations

import time
from typing import Callable, Sequence as Seq

from ..errors import Cancelled
from ..model import GenerationStats, SamplingOptions
from .backend import ll
from .decoding import Sequence
from .sampler import Sampler


def common_prefix(token_lists: Seq[list[int]]) -> int:
    """How many leading tokens every list shares, leaving at least one token of the shortest."""
    shortest = min(len(t) for t in token_lists)
    common = 0
    while common < shortest - 1 and all(t[common] == token_lists[0][common] for t in token_lists):
        common += 1
    return common


class BatchedGeneration:
    """`generate_many` of `LlamaModel` (uses its `Decoding` steps, `_lock`, `_busy` and `stream_tokens`)."""

    def generate_many(
        self,
        prompts: Seq[list[int]],
        max_tokens: Seq[int] | int,
        stop: Seq[str] = (),
        sampling: SamplingOptions | None = None,
        on_done: Callable[[int, str, GenerationStats], None] | None = None,
        on_partial: Callable[[dict[int, str]], None] | None = None,
    ) -> list[tuple[str, GenerationStats]]:
        """Generate for several prompts as parallel sequences in shared batches.

        The longest prefix common to every prompt is decoded once (in sequence 0, where it also
        stays cached for the next call) and copied to each sequence; then every step decodes one
        token of each live sequence in a single llama_decode call. Returns (text, stats) per prompt,
        in order; `on_done(i, text, stats)` fires as each finishes; `on_partial({i: text so far})`
        after every decoding step that gave some prompt new text (a draft to preview, unchecked).
        """
        if not prompts:
            return []
        sampling = sampling or SamplingOptions()
        limits = [max_tokens] * len(prompts) if isinstance(max_tokens, int) else list(max_tokens)
        width = max(1, self.options.n_seq_max - 1)  # sequence 0 holds the shared prefix
        results: list[tuple[str, GenerationStats] | None] = [None] * len(prompts)
        self._cancel.arm()
        with self._busy(), self._lock:
            self._cancel.start_call()
            for start in range(0, len(prompts), width):
                group = list(range(start, min(start + width, len(prompts))))
                self._generate_group(prompts, limits, group, stop, sampling, results, on_done, on_partial)
        return [r for r in results if r is not None]

    def _generate_group(self, prompts, limits, group, stop, sampling, results, on_done, on_partial=None) -> None:
        t0 = time.perf_counter()
        group_prompts = [prompts[i] for i in group]
        common = common_prefix(group_prompts)
        total = sum(len(p) for p in group_prompts) - common * (len(group) - 1)
        self._make_room(total + sum(limits[i] for i in group))
        if total + sum(limits[i] for i in group) > self.n_ctx:
            # Not enough room for all at once: fall back to one by one.
            for i in group:
                stats = GenerationStats()
                text = ""
                for piece in self.stream_tokens(prompts[i], limits[i], stop, sampling, stats):
                    text += piece
                    if on_partial and piece:
                        on_partial({i: text})
                results[i] = (text, stats)
                if on_done:
                    on_done(i, text, stats)
            return
        reused = self._share_prefix(group_prompts[0], common)
        seqs: list[Sequence] = []
        items = []
        cached = []  # per prompt: tokens not decoded for it in this call
        for k, i in enumerate(group):
            sid = k + 1
            ll.llama_memory_seq_rm(self._mem, sid, -1, -1)
            p = prompts[i]
            slot, start = self._best_slot(p)  # a prefilled prefix (prefill.py) longer than the shared one
            if slot is not None and start > common:
                ll.llama_memory_seq_cp(self._mem, slot.seq_id, sid, 0, start)
            else:
                start = common
                if common:
                    ll.llama_memory_seq_cp(self._mem, 0, sid, 0, common)
            cached.append(start if start > common else reused)
            seq = Sequence(sid, p, max(1, limits[i]), stop, Sampler(sampling, self.n_vocab), pos=len(p))
            seqs.append(seq)
            for pos in range(start, len(p)):
                items.append((p[pos], pos, sid, pos == len(p) - 1))
        try:
            report = _partials(group, seqs, on_partial) if on_partial else None
            prompt_seconds, decode_seconds = self._run_group(seqs, items, report)
        except Cancelled:
            self._drop_work()
            raise
        finally:
            for s in seqs:
                s.sampler.close()
                ll.llama_memory_seq_rm(self._mem, s.seq_id, -1, -1)
        elapsed = time.perf_counter() - t0
        for k, i in enumerate(group):
            s = seqs[k]
            stats = GenerationStats(
                prompt_tokens=len(s.prompt),
                cached_tokens=cached[k],
                output_tokens=s.n_out,
                prompt_seconds=prompt_seconds,
                decode_seconds=decode_seconds,
                total_seconds=elapsed,
                first_token_seconds=prompt_seconds,
                finish_reason=s.finish,
                batch_size=len(group),
            )
            results[i] = (s.result, stats)
            if on_done:
                on_done(i, s.result, stats)

    def _share_prefix(self, prompt: list[int], common: int) -> int:
        """Leave the first `common` tokens of `prompt` decoded in sequence 0 (reusing what is
        cached there); return how many were reused."""
        if not common:
            ll.llama_memory_seq_rm(self._mem, 0, -1, -1)  # the prefilled prefixes stay
            self._cached = []
            return 0
        head = prompt[: common + 1]
        reused = min(self._take_prefilled(head, self._prepare_prefix(head)), common)
        if len(self._cached) > common:
            ll.llama_memory_seq_rm(self._mem, 0, common, -1)
            del self._cached[common:]
        self._feed_prompt(prompt, reused, common, want_last=False)
        return reused

    def _run_group(self, seqs: list[Sequence], items, report: Callable[[], None] | None = None) -> tuple[float, float]:
        """Decode the prompts' suffixes, then step every live sequence together until all are
        done; return (prompt seconds, decode seconds). `report()` runs after each step."""
        t_prompt0 = time.perf_counter()
        # The suffixes go in n_batch slices; logits are requested only for each prompt's last token,
        # so sequences whose last token landed in an earlier slice are sampled right after it. When
        # someone watches the text (a draft preview), the first prompt's suffix goes alone first, so
        # its first token shows after that prompt's own reading, not after every prompt's.
        n_batch = self.options.n_batch
        pending = {s.seq_id: s for s in seqs}
        for piece in _slices(items, n_batch, first_alone=report is not None):
            if self._cancel.is_set():
                raise Cancelled("stopped")
            self._clear_batch()
            for token, pos, sid, want in piece:
                idx = self._add(token, pos, sid, want)
                if want:
                    pending[sid].batch_index = idx
            self._decode()
            for s in seqs:
                if s.batch_index >= 0 and not s.primed:
                    s.primed = True
                    s.result += self._sample(s)
            if report:
                report()
        prompt_seconds = time.perf_counter() - t_prompt0
        t_dec0 = time.perf_counter()
        while True:
            live = [s for s in seqs if not s.done]
            if not live:
                break
            if self._cancel.is_set():
                raise Cancelled("stopped")
            self._clear_batch()
            for s in live:
                s.batch_index = self._add(s.last_token, s.pos, s.seq_id, True)
                s.pos += 1
            self._decode()
            for s in live:
                s.result += self._sample(s)
            if report:
                report()
        return prompt_seconds, time.perf_counter() - t_dec0


def _slices(items: list, n_batch: int, first_alone: bool = False) -> list[list]:
    """The prompt items in decode batches of at most n_batch; with `first_alone`, the first
    sequence's items (they come first) end a batch of their own."""
    if not items:
        return []
    head = 0
    if first_alone:
        first = items[0][2]
        head = next((k for k, it in enumerate(items) if it[2] != first), len(items))
    cuts = [items[a : min(a + n_batch, head)] for a in range(0, head, n_batch)]
    return cuts + [items[a : a + n_batch] for a in range(head, len(items), n_batch)]


def _partials(group: list[int], seqs: list[Sequence], on_partial) -> Callable[[], None]:
    """A step reporter: hands `on_partial` the texts of the sequences that grew since the last step."""
    sent = [""] * len(seqs)

    def report() -> None:
        grown = {}
        for k, s in enumerate(seqs):
            if s.result != sent[k]:
                sent[k] = s.result
                grown[group[k]] = s.result
        if grown:
            on_partial(grown)

    return report

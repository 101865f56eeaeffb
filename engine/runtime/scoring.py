"""`LlamaModel.score_texts`: the log-probability the model gives each of several texts."""

from __future__ import annotations

from typing import Sequence as Seq

from ..errors import Cancelled, InputError
from .backend import ll
from .batching import common_prefix


class Scoring:
    """`score_texts` of `LlamaModel` (uses its `Decoding` steps, `_lock` and `tokenize`)."""

    def score_texts(self, texts: Seq[str], context: str = "") -> list[float]:
        """Summed natural-log probability of each text after BOS + `context` (see Model).

        Texts are scored in groups of parallel sequences (ids 1.., so the prompt cache in
        sequence 0 survives); the token prefix a group shares is decoded once and copied, so
        versions of one sentence that differ in a word cost little more than their tails. BOS +
        `context` is decoded once for all groups: a long context (a document whose sentences are
        scored) costs one pass, not one per group."""
        if not texts:
            return []
        import numpy as np

        bos = ll.llama_vocab_bos(self._vocab)
        head = [bos] if bos >= 0 else []
        head += self.tokenize(context) if context else []
        seqs = [head + self.tokenize(t) for t in texts]
        first = max(1, len(head))  # index of the first scored token
        n_vocab = ll.llama_vocab_n_tokens(self._vocab)
        scores = [0.0] * len(texts)
        width = max(1, self.options.n_seq_max - 1)
        # Positions [0, keep) hold BOS + context minus its last token, whose logits score each text's
        # first token and so are computed again in every group. They stay in sequence 1 between groups.
        keep = max(0, len(head) - 1) if self.options.n_seq_max > 1 else 0
        self._cancel.arm()
        with self._busy(), self._lock:  # busy: a prefill or calibration in the background yields
            self._cancel.start_call()
            order = sorted(range(len(texts)), key=lambda i: seqs[i])
            kept = 0
            try:
                for g in range(0, len(order), width):
                    group = order[g : g + width]
                    if any(len(seqs[i]) >= self.n_ctx for i in group):
                        raise InputError("a text to score does not fit in the model's context window")
                    self._score_group([seqs[i] for i in group], first, n_vocab, np, [scores, group], kept, keep)
                    kept = keep
            finally:
                if keep and self.options.n_seq_max > 1:
                    ll.llama_memory_seq_rm(self._mem, 1, -1, -1)
        return scores

    def _score_group(self, toks: list[list[int]], first: int, n_vocab: int, np, out, kept: int = 0, keep: int = 0) -> None:
        """Score one group. Sequence 1 already holds positions [0, `kept`) (the shared context); on the
        way out it keeps [0, `keep`) for the next group and everything else is removed."""
        scores, group = out
        ids = list(range(1, len(toks) + 1)) if self.options.n_seq_max > 1 else [0]
        if ids == [0]:
            self._reset_cache()
            kept = keep = 0
        common = common_prefix(toks)
        # (token, pos, seq, [(member, target token)]) ; targets are scored from this position's logits
        items: list[tuple[int, int, int, list[tuple[int, int]]]] = []
        for p in range(kept, common):
            if p + 1 < first:
                targets = []
            elif p + 1 < common:
                targets = [(k, toks[0][p + 1]) for k in range(len(toks))]
            else:
                targets = [(k, t[p + 1]) for k, t in enumerate(toks)]
            items.append((toks[0][p], p, ids[0], targets))
        tails = []
        for k, t in enumerate(toks):
            for p in range(common, len(t)):
                targets = [(k, t[p + 1])] if p + 1 < len(t) and p + 1 >= first else []
                tails.append((t[p], p, ids[k], targets))
        try:
            ll.llama_memory_seq_rm(self._mem, ids[0], kept, -1)
            for sid in ids[1:]:
                ll.llama_memory_seq_rm(self._mem, sid, -1, -1)
            self._score_items(items, n_vocab, np, scores, group)
            for sid in ids[1:]:
                if common:
                    ll.llama_memory_seq_cp(self._mem, ids[0], sid, 0, common)
            self._score_items(tails, n_vocab, np, scores, group)
        except Cancelled:
            self._drop_work()
            raise
        finally:
            ll.llama_memory_seq_rm(self._mem, ids[0], keep if keep <= common else 0, -1)
            for sid in ids[1:]:
                ll.llama_memory_seq_rm(self._mem, sid, -1, -1)
            if ids == [0]:
                self._cached = []

    def _score_items(self, items, n_vocab: int, np, scores: list[float], group: list[int]) -> None:
        n_batch = self.options.n_batch
        for start in range(0, len(items), n_batch):
            if self._cancel.is_set():
                raise Cancelled("stopped")
            self._clear_batch()
            wanted = []
            for token, pos, seq, targets in items[start : start + n_batch]:
                idx = self._add(token, pos, seq, bool(targets))
                if targets:
                    wanted.append((idx, targets))
            self._decode()
            for idx, targets in wanted:
                row = np.ctypeslib.as_array(ll.llama_get_logits_ith(self._ctx, idx), shape=(n_vocab,)).astype(np.float64)
                top = row.max()
                norm = top + np.log(np.exp(row - top).sum())
                for k, token in targets:
                    scores[group[k]] += float(row[token] - norm)

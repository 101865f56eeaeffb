"""`LlamaModel.prefill`: decode prompt prefixes before they are asked for, while the user chooses.

    model.prefill([prefix_a, prefix_b])   # returns at once; a background thread decodes them
    model.prefill_status()                # what is planned, decoded, held (plain values)
    model.cancel_prefill()                # stop and forget them (never waits)

Each prefix goes into a KV sequence of its own (ids after the ones generation uses: the context
has `n_seq_max + n_prefill_seqs` sequences, all in llama.cpp's one unified KV pool). A prefix that
starts like one already decoded copies that part (`llama_memory_seq_cp` shares the cells: no
compute, no memory) and decodes only its own tail. A later request whose prompt starts with a
prefilled prefix copies its KV instead of decoding it (decoding.py `_take_prefilled`, counted in
`GenerationStats.cached_tokens`).

Requests come first: the thread decodes PREFILL_BATCH tokens at a time under the model's lock and
only while no request is in flight; a request that arrives mid-batch aborts that batch through
llama.cpp's abort callback, so it waits for nothing. The prefill picks up again once the engine
has been idle for IDLE_SECONDS. Memory: the prefixes may hold at most SHARE of the context's cells
(what does not fit is simply not prefilled), and a request that needs their room drops them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from .backend import ll

PREFILL_BATCH = 64  # tokens per decode; a request arriving mid-batch aborts it, so it never waits for one
IDLE_SECONDS = 0.3  # the engine must be idle this long before prefilling resumes
SHARE = 0.5  # of the context's cells that prefilled prefixes may hold


def shared(a: list[int], b: list[int]) -> int:
    """Length of the common prefix of two token lists."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


@dataclass
class Slot:
    seq_id: int
    want: list[int]  # the prefix asked for
    done: int = 0  # its first `done` tokens are decoded in sequence `seq_id`

    @property
    def tokens(self) -> list[int]:
        return self.want[: self.done]


class Prefilling:
    """The prefill thread and the slots of `LlamaModel` (uses its `_lock`, `_mem`, `_ctx`, `_batch`,
    `_active`, `last_active`, `_cached`, `options`, `n_ctx`)."""

    def _init_prefill(self) -> None:
        self._slots: list[Slot] = []
        self._pf_cond = threading.Condition()
        self._pf_plan: list[list[int]] | None = None  # the newest plan, not yet taken by the thread
        self._pf_gen = 0  # bumped by every prefill() / cancel_prefill(): older plans stop
        self._pf_thread: threading.Thread | None = None
        self._pf_closed = False
        self._pf_decoding = -1  # the plan generation whose batch is in llama_decode now (-1: none)
        self._pf_state = {"state": "idle", "prefixes": 0, "accepted": 0, "accepted_tokens": 0, "planned_tokens": 0,
                          "decoded_tokens": 0,
                          "copied_tokens": 0, "seconds": 0.0, "batches": 0, "interrupted": 0}

    # -- the interface --------------------------------------------------------------------------
    def prefill(self, prompts: list[list[int]]) -> dict:
        """Decode each token prefix into a KV sequence of its own, in the background (returns at
        once with the plan's size). Replaces the previous plan; [] forgets every prefix."""
        plan = _dedupe([list(p) for p in prompts if len(p) > 1])
        if self.options.n_prefill_seqs <= 0:
            return {"accepted": 0, "reason": "prefill is off (n_prefill_seqs = 0)"}
        with self._pf_cond:
            self._pf_gen += 1
            self._pf_plan = plan
            self._pf_state.update(state="waiting" if plan else "forgetting" if self._slots else "idle", prefixes=len(plan), accepted=0, accepted_tokens=0,
                                  planned_tokens=sum(len(p) for p in plan), decoded_tokens=0, copied_tokens=0,
                                  seconds=0.0, batches=0, interrupted=0)
            if self._pf_thread is None or not self._pf_thread.is_alive():
                self._pf_thread = threading.Thread(target=self._pf_loop, name="hushwrite-prefill", daemon=True)
                self._pf_thread.start()
            self._pf_cond.notify_all()
        return {"prefixes": len(plan), "tokens": sum(len(p) for p in plan)}

    def cancel_prefill(self) -> None:
        """Stop prefilling (a batch in llama_decode is aborted) and forget the prefixes. Never waits."""
        if self._pf_thread is not None:
            self.prefill([])

    def prefill_status(self) -> dict:
        """The plan's progress and what the prefixes hold (plain values)."""
        st = dict(self._pf_state)
        st["slots"] = len(self._slots)
        st["held_tokens"] = self._prefill_cells()
        st["slot_tokens"] = [s.done for s in self._slots]
        return st

    def _stop_prefill(self) -> None:
        """At close: end the thread (it aborts a batch in flight) and wait for it."""
        with self._pf_cond:
            self._pf_closed = True
            self._pf_gen += 1
            self._pf_cond.notify_all()
        t = self._pf_thread
        if t is not None and t is not threading.current_thread():
            t.join(timeout=10)

    # -- used by requests (under the model's lock) ----------------------------------------------
    def _prefill_abort(self) -> bool:
        """The abort callback's answer while a prefill batch decodes: stop for a request, a newer
        plan, a cancel or close."""
        return self._pf_closed or self._pf_decoding != self._pf_gen or self._active > 0

    def _prefill_cells(self) -> int:
        """KV cells the slots hold (shared cells counted once)."""
        total, seen = 0, []
        for s in sorted(self._slots, key=lambda s: -s.done):
            toks = s.tokens
            total += len(toks) - max((shared(toks, t) for t in seen), default=0)
            seen.append(toks)
        return total

    def _make_room(self, need: int) -> None:
        """Before a request adds `need` cells: drop the prefilled prefixes when they hold too many,
        then size the KV cache for what is left and the request (kv_size.py)."""
        if self._slots and need + self._prefill_cells() + len(self._cached) > self.n_ctx:
            self._forget_slots()
        self._fit_cells(need)

    def _forget_slots(self) -> None:
        for s in self._slots:
            ll.llama_memory_seq_rm(self._mem, s.seq_id, -1, -1)
        self._slots = []

    def _best_slot(self, prompt: list[int]) -> tuple[Slot | None, int]:
        """The slot sharing the longest prefix with `prompt`, and how long (≤ len(prompt) - 1, so a
        request always decodes a token of its own for fresh logits)."""
        best, n = None, 0
        for s in self._slots:
            k = min(shared(s.tokens, prompt), len(prompt) - 1)
            if k > n:
                best, n = s, k
        return best, n

    def _take_prefilled(self, prompt: list[int], reused: int) -> int:
        """Sequence 0 holds `reused` tokens of `prompt`; when a slot holds more, sequence 0 takes the
        slot's KV instead. Returns how many tokens of `prompt` sequence 0 now holds."""
        slot, n = self._best_slot(prompt)
        if slot is None or n <= reused:
            return reused
        ll.llama_memory_seq_rm(self._mem, 0, -1, -1)
        ll.llama_memory_seq_cp(self._mem, slot.seq_id, 0, 0, n)
        self._cached = list(prompt[:n])
        return n

    # -- the thread -----------------------------------------------------------------------------
    def _pf_loop(self) -> None:
        while True:
            with self._pf_cond:
                while self._pf_plan is None and not self._pf_closed:
                    self._pf_cond.wait()
                if self._pf_closed:
                    return
                plan, gen = self._pf_plan, self._pf_gen
                self._pf_plan = None
            try:
                self._pf_run(plan, gen)
            except Exception as exc:  # never take the engine down: a prefix is only a head start
                self._pf_state.update(state="failed", error=str(exc))

    def _pf_wait_idle(self, gen: int, gap: float) -> bool:
        """Wait until no request ran for `gap` seconds; False when the plan was replaced meanwhile."""
        while True:
            if self._pf_closed or gen != self._pf_gen:
                return False
            if self._active == 0 and time.monotonic() - self.last_active >= gap:
                return True
            with self._pf_cond:
                self._pf_cond.wait(0.02)

    def _pf_run(self, plan: list[list[int]], gen: int) -> None:
        assigned = False
        t0 = time.perf_counter()
        while self._pf_wait_idle(gen, IDLE_SECONDS if plan else 0.0):
            with self._lock:
                if gen != self._pf_gen or self._active:
                    continue
                if not assigned:
                    self._assign(plan)
                    assigned = True
                    if not plan:
                        self._pf_state["state"] = "idle"
                        return
                self._pf_state["state"] = "running"
                more = self._pf_step(gen)
            self._pf_state["seconds"] = round(time.perf_counter() - t0, 3)
            if not more:
                if gen == self._pf_gen:
                    self._pf_state["state"] = "done"
                return
        if gen != self._pf_gen and self._pf_state.get("state") == "running":
            self._pf_state["state"] = "replaced"

    def _assign(self, plan: list[list[int]]) -> None:
        """Give each prefix of the plan a sequence, keeping a slot whose decoded tokens start it,
        within the cell budget and the sequence count; forget the other slots."""
        first = self.options.n_seq_max
        ids = list(range(first, first + self.options.n_prefill_seqs))
        budget = int(self.n_ctx * SHARE)
        old = list(self._slots)
        new: list[Slot] = []
        cells = 0
        for want in plan:
            if len(new) == len(ids):
                break
            add = len(want) - max((shared(want, s.want) for s in new), default=0)
            if cells + add > budget:
                continue  # does not fit: not prefilled (a shorter one later may)
            keep = next((s for s in old if s.done and want[: s.done] == s.tokens), None)
            if keep is not None:
                old.remove(keep)
                keep.want = want
                new.append(keep)
            else:
                new.append(Slot(-1, want))
            cells += add
        for s in old:
            ll.llama_memory_seq_rm(self._mem, s.seq_id, -1, -1)
        used = {s.seq_id for s in new if s.seq_id >= 0}
        free = [i for i in ids if i not in used]
        for s in new:
            if s.seq_id < 0:
                s.seq_id = free.pop(0)
                ll.llama_memory_seq_rm(self._mem, s.seq_id, -1, -1)
        self._slots = new
        self._pf_state.update(accepted=len(new), accepted_tokens=sum(len(s.want) for s in new))

    def _catch_up(self, slot: Slot) -> None:
        """Copy into `slot` the longest decoded start of its prefix that another slot or sequence 0
        already holds (shared cells: no compute)."""
        src, n = -1, slot.done
        for s in self._slots:
            if s is not slot:
                k = shared(s.tokens, slot.want)
                if k > n:
                    src, n = s.seq_id, k
        k = shared(self._cached, slot.want)
        if k > n:
            src, n = 0, k
        if src >= 0:
            ll.llama_memory_seq_rm(self._mem, slot.seq_id, -1, -1)
            ll.llama_memory_seq_cp(self._mem, src, slot.seq_id, 0, n)
            self._pf_state["copied_tokens"] += n - slot.done
            slot.done = n

    def _pf_step(self, gen: int) -> bool:
        """Decode one batch of prefix tokens; False when every slot is complete (or no room is left)."""
        todo = [s for s in self._slots if s.done < len(s.want)]
        if not todo:
            return False
        self._clear_batch()
        room = min(PREFILL_BATCH, int(self.options.n_ubatch or 512))
        taken: list[tuple[Slot, int]] = []
        for s in todo:
            if room <= 0 or any(shared(s.want, t.want) > max(s.done, t.done) for t, _ in taken):
                break  # it would decode what a slot in this batch is decoding: next batch
            self._catch_up(s)
            n = min(room, len(s.want) - s.done)
            for pos in range(s.done, s.done + n):
                self._add(s.want[pos], pos, s.seq_id, False)
            taken.append((s, n))
            room -= n
        if not taken:
            return True
        self._pf_decoding = gen
        try:
            rc = self._run_decode(True)  # a request arriving aborts it
        finally:
            self._pf_decoding = -1
        self._pf_state["batches"] += 1
        if rc != 0:  # aborted for a request (2), or no room (1): undo this batch's positions
            for s, _ in taken:
                ll.llama_memory_seq_rm(self._mem, s.seq_id, s.done, -1)
            if rc == 2:
                self._pf_state["interrupted"] += 1
                return True
            return False
        for s, n in taken:
            s.done += n
            self._pf_state["decoded_tokens"] += n
        return True


def _dedupe(plan: list[list[int]]) -> list[list[int]]:
    """Drop repeated prefixes and those another one starts with (its slot serves both)."""
    out: list[list[int]] = []
    for p in plan:
        if any(q[: len(p)] == p for q in plan if len(q) > len(p)) or p in out:
            continue
        out.append(p)
    return out

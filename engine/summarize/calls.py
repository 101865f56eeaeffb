"""The summarizer's model calls: cache first, then the model, with progress and cancel.

How uncached calls reach the model (`Calls.run`):

* **one by one** — the default on this computer (measured fastest on CPU: docs/summarize.md);
* **batched** (`parallel=True` with the embedded model) — groups of parallel sequences that fit
  the one context together (`model.generate_many`);
* **concurrent requests** — with an engine server (`model.concurrent_requests`, its slots):
  every uncached call of a step is sent, as many at once as the server has slots, each in its
  own slot context; a slot that finishes takes the next call at once. Each answer is cached and
  reported the moment it arrives, so a cancel (which closes every open stream) or a failure
  loses only the calls still running.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ..errors import Cancelled
from ..model import GenerationStats, Model
from ..tasks.cleanup import is_refusal
from . import prompts, shapes
from .cache import cache_key, model_identity
from .chunks import groups_within
from .ground import Unit
from .progress import Clock, Progress

FALLBACK = "\x1e"  # cached answers that are extracts (the model's reply was unusable) start with this


@dataclass
class Call:
    stage: str  # "map", "merge", "final"
    units: list[Unit]  # what the model is shown: source sentences or earlier points, with their spans
    title: str = ""
    answer: str = ""
    input_tokens: int = 0
    limit: int = 0  # output tokens allowed (the stage's limit; less for a short summary)
    sentences: int | None = None  # a final summary's sentence count (asked for, then kept)

    @property
    def text(self) -> str:
        return "\n".join(u.text for u in self.units)


def concurrency(model: Model, parallel: bool | None, default: bool) -> tuple[str, int]:
    """("one", 1), ("batch", sequences) or ("requests", slots): how this job's calls run.
    `parallel=None` means: a server's slots when the model is one, else `default`."""
    # a number only on a server's model (the engine process's proxy answers any name with a method)
    slots = getattr(model, "concurrent_requests", 0)
    if isinstance(slots, int) and slots:
        on = parallel if parallel is not None else True
        return ("requests", slots) if on and slots > 1 else ("one", 1)
    on = default if parallel is None else parallel
    if on and getattr(model, "can_batch", False):
        seqs = getattr(getattr(model, "options", None), "n_seq_max", 2)
        return "batch", max(1, (seqs if isinstance(seqs, int) else 2) - 1)
    return "one", 1


class Calls:
    def __init__(self, model: Model, kind: str, budget: int, cache, cancel, on_progress, sampling,
                 mode: tuple[str, int]):
        self.model, self.kind, self.budget = model, kind, budget
        self.cache, self.cancel, self.on_progress, self.sampling = cache, cancel, on_progress, sampling
        self.how, self.width = mode
        self.model_id = model_identity(model)
        self.instruction = ""  # a user's own tool's final instruction
        self.stats = GenerationStats()
        self.clock = Clock()
        self.done = self.total = self.reused = self.computed = 0
        self.in_flight_most = 0  # the most calls that were running at once
        self.tokens_left = 0  # input tokens of calls made but not yet answered
        self.pending = 0  # how many such calls
        self.stage = "reading"

    @property
    def parallel(self) -> bool:
        return self.how != "one"

    # -- progress and cancel ------------------------------------------------------------------------
    def report(self, stage: str | None = None) -> None:
        self.stage = stage or self.stage
        self.total = max(self.total, self.done)
        if self.on_progress:
            future = max(0, self.total - self.done - self.pending) * 120  # calls not yet made (short prompts)
            eta = 0.0 if self.stage == "done" else self.clock.eta(self.tokens_left + future)
            self.on_progress(Progress(self.done, self.total, eta, self.stage, self.reused))

    def check_cancel(self) -> None:
        """Between calls. model.cancel() sets a flag that the model's next call would clear on
        entry, so a cancel that lands between two chunks is caught here instead of being lost."""
        flag = getattr(self.model, "_cancel", None)
        if (self.cancel is not None and self.cancel.is_set()) or (flag is not None and flag.is_set()):
            raise Cancelled("stopped")

    # -- calls ----------------------------------------------------------------------------------------
    def new_call(self, stage: str, units: list[Unit], title: str = "", sentences: int | None = None) -> Call:
        limit = prompts.summary_tokens(sentences) if sentences else prompts.MAX_TOKENS[stage]
        c = Call(stage, units, title, limit=limit, sentences=sentences)
        c.input_tokens = self.model.count_tokens(c.text)
        self.tokens_left += c.input_tokens
        self.pending += 1
        return c

    def key(self, call: Call) -> str:
        style = self.kind if call.stage == "final" else prompts.MAP_STYLE[self.kind]
        custom = f"{self.instruction}\n" if call.stage == "final" and self.instruction else ""
        return cache_key(self.model_id, style, call.stage, prompts.PROMPT_VERSION, f"{custom}{call.title}\n{call.text}",
                         max_tokens=call.limit, sentences=call.sentences, sampling=self.sampling,
                         budget=self.budget)

    def run(self, calls: list[Call]) -> list[str]:
        """Answer every call (cache first); each answer is cached as soon as it exists."""
        todo: list[tuple[Call, str]] = []
        for c in calls:
            key = self.key(c)
            hit = self.cache.get(key) if self.cache is not None else None
            if hit is not None:
                c.answer = hit
                self.reused += 1
                self._count(c)
            else:
                todo.append((c, key))
        self.report()
        if self.how == "requests" and len(todo) > 1:
            self._requests(todo)
        else:
            size = lambda c: c.input_tokens + prompts.overhead_tokens(self.model) + c.limit  # noqa: E731
            batches = (groups_within([c for c, _ in todo], size, self.model.n_ctx - 16, self.width)
                       if self.how == "batch" else [[c] for c, _ in todo])
            keys = {id(c): k for c, k in todo}
            for batch in batches:
                self.check_cancel()
                t0 = time.perf_counter()
                self.in_flight_most = max(self.in_flight_most, len(batch))
                raws = self._generate(batch)
                self.clock.record(sum(c.input_tokens for c in batch), time.perf_counter() - t0)
                for c, raw in zip(batch, raws):
                    self._answered(c, keys[id(c)], raw)
                self.report()
        return [c.answer for c in calls]

    def _count(self, c: Call) -> None:
        self.done += 1
        self.pending -= 1
        self.tokens_left -= c.input_tokens

    def _answered(self, c: Call, key: str, raw: str) -> None:
        c.answer = self._accept(raw)
        if self.cache is not None:
            self.cache.put(key, c.answer)
        self.computed += 1
        self._count(c)

    def _requests(self, todo: list[tuple[Call, str]]) -> None:
        """All of `todo` as concurrent requests, as many at once as the server has slots."""
        self.check_cancel()
        asked = [self._prompt(c) for c, _ in todo]
        self.check_cancel()
        last = time.perf_counter()
        self.in_flight_most = max(self.in_flight_most, min(self.width, len(todo)))

        def finished(i: int, text: str, stats: GenerationStats) -> None:
            nonlocal last
            (c, key), prefix = todo[i], asked[i][1]
            now = time.perf_counter()
            stats.total_seconds = now - last  # wall time: the requests overlap
            self.clock.record(c.input_tokens, now - last)
            last = now
            self.stats.add(stats)
            self._answered(c, key, prefix + text)
            self.report()

        self.model.generate_many([p for p, _ in asked], [c.limit for c, _ in todo], sampling=self.sampling,
                                 on_done=finished)

    def _prompt(self, c: Call) -> tuple[list[int], str]:
        msgs, prefix = prompts.messages(c.stage, self.kind, c.text, c.title, c.sentences, self.instruction)
        toks = self.model.prompt_tokens(msgs)
        if prefix:
            toks = toks + self.model.tokenize(prefix)
        return toks, prefix

    def _generate(self, batch: list[Call]) -> list[str]:
        asked = [self._prompt(c) for c in batch]
        if len(batch) > 1:
            results = self.model.generate_many([p for p, _ in asked], [c.limit for c in batch], sampling=self.sampling)
            wall = max((s.total_seconds for _, s in results), default=0.0)
            for i, (_, s) in enumerate(results):
                s.prompt_seconds = s.decode_seconds = s.total_seconds = 0.0 if i else wall
                s.first_token_seconds = 0.0
                self.stats.add(s)
            return [prefix + text for (text, _), (_, prefix) in zip(results, asked)]
        (toks, prefix), c = asked[0], batch[0]
        stats = GenerationStats()
        raw = prefix
        for piece in self.model.stream_tokens(toks, c.limit, (), self.sampling, stats):
            raw += piece  # never streamed to the user: only checked points are shown
        self.stats.add(stats)
        return [raw]

    @staticmethod
    def _accept(raw: str) -> str:
        """The cleaned answer, or the FALLBACK mark when the reply is unusable (the call's own
        units, compressed, stand in for it)."""
        cleaned = shapes.clean(raw)
        usable = bool(cleaned) and not is_refusal(cleaned) and len(cleaned.split()) >= 3
        return cleaned if usable else FALLBACK

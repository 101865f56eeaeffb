"""summarize(): one prompt for a short text, map-reduce for a long one.

1. plan: parts along headings, token-budgeted chunks inside parts (chunks.py);
2. map: every chunk summarized (cached answers reused; uncached ones batched as parallel
   sequences when that is faster, see `DEFAULT_PARALLEL`);
3. reduce, level by level: a part with several chunks is merged into one section summary; the
   section (or chunk) summaries are grouped by token budget and merged until they fit one prompt;
4. final: that prompt asks for the kind's shape, which shapes.py draws (bullets, numbers, table).
When the document has two or more parts, the answer keeps them: the overall result first, then
one heading per part with its own short summary.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field

from ..errors import Cancelled, InputError
from ..model import GenerationStats, Model, SamplingOptions
from ..tasks.base import OnText, TaskResult
from ..tasks.cleanup import is_refusal
from ..textsplit import split_sentences
from . import prompts, shapes
from .cache import as_cache, cache_key, model_identity
from .chunks import OVERLAP_MARK, Part, group_by_budget, plan
from .progress import Clock, OnProgress, Progress

KINDS = ("summary", "key-points", "list", "table")
DEFAULT_CHUNK_TOKENS = 1536
DEFAULT_PARALLEL = False  # batched parallel sequences measured slower here: docs/summarize.md
FALLBACK = "\x1e"  # cached answers that are extracts (the model's reply was unusable) start with this
SAMPLING = SamplingOptions(temperature=0.0, repeat_penalty=1.15)


@dataclass
class SummaryResult(TaskResult):
    chunks: int = 0  # map calls the document needed
    computed: int = 0  # model calls run in this job
    reused: int = 0  # calls answered from the cache
    levels: int = 0  # reduce levels above the chunks
    sections: list[str] = field(default_factory=list)  # part titles kept as structure
    fallbacks: int = 0  # calls whose reply was unusable and replaced by an extract of their input
    parallel: bool = False
    seconds: float = 0.0
    cache_problem: str = ""  # the cache stopped working during the job (no resume for the rest)

    def as_dict(self) -> dict:
        d = super().as_dict()
        d["summarize"] = {
            "chunks": self.chunks, "computed": self.computed, "reused": self.reused, "levels": self.levels,
            "sections": self.sections, "fallbacks": self.fallbacks, "parallel": self.parallel,
            "seconds": round(self.seconds, 3), "cache_problem": self.cache_problem,
        }
        return d


@dataclass
class _Call:
    stage: str  # "map", "merge", "final"
    text: str
    title: str = ""
    answer: str = ""
    input_tokens: int = 0
    limit: int = 0  # output tokens allowed (the stage's limit; less for a short summary)
    sentences: int | None = None  # a final summary's sentence count (asked for, then kept)


class _Job:
    def __init__(self, model: Model, kind: str, budget: int, cache, cancel, on_progress, on_text, sampling, parallel):
        self.model, self.kind, self.budget = model, kind, budget
        self.cache, self.cancel, self.on_progress, self.on_text = cache, cancel, on_progress, on_text
        self.sampling, self.parallel = sampling, parallel
        self.model_id = model_identity(model)
        self.stats = GenerationStats()
        self.clock = Clock()
        self.done = self.total = self.reused = self.computed = self.fallbacks = self.levels = 0
        self.tokens_left = 0  # input tokens of calls made but not yet answered
        self.pending = 0  # how many such calls
        self.stage = "reading"
        self.final_sentences: int | None = None  # set by sentences() before the final call

    # -- progress ---------------------------------------------------------------------------------
    def report(self, stage: str | None = None) -> None:
        self.stage = stage or self.stage
        self.total = max(self.total, self.done)
        if self.on_progress:
            future = max(0, self.total - self.done - self.pending) * self.budget // 2  # calls not yet made
            eta = 0.0 if self.stage == "done" else self.clock.eta(self.tokens_left + future)
            self.on_progress(Progress(self.done, self.total, eta, self.stage, self.reused))

    def check_cancel(self) -> None:
        """Between calls. model.cancel() sets a flag that the model's next call would clear on
        entry, so a cancel that lands between two chunks is caught here instead of being lost."""
        flag = getattr(self.model, "_cancel", None)
        if (self.cancel is not None and self.cancel.is_set()) or (flag is not None and flag.is_set()):
            raise Cancelled("stopped")

    # -- model calls --------------------------------------------------------------------------------
    def key(self, call: _Call) -> str:
        style = self.kind if call.stage == "final" else prompts.MAP_STYLE[self.kind]
        return cache_key(self.model_id, style, call.stage, prompts.PROMPT_VERSION, f"{call.title}\n{call.text}",
                         max_tokens=call.limit, sentences=call.sentences, sampling=self.sampling,
                         budget=self.budget)

    def run(self, calls: list[_Call], stream_last: bool = False) -> list[str]:
        """Answer every call (cache first), in order; each answer is cached as soon as it exists."""
        todo: list[tuple[_Call, str]] = []
        for c in calls:
            hit = self.cache.get(self.key(c)) if self.cache is not None else None
            if hit is not None:
                c.answer = hit
                self.reused += 1
                self.fallbacks += hit.startswith(FALLBACK)
                self.done += 1
                self.pending -= 1
                self.tokens_left -= c.input_tokens
            else:
                todo.append((c, self.key(c)))
        self.report()
        groups = self._groups([c for c, _ in todo]) if self.parallel and not stream_last else [[c] for c, _ in todo]
        keys = dict((id(c), k) for c, k in todo)
        for group in groups:
            self.check_cancel()
            t0 = time.perf_counter()
            raws = self._generate(group, stream_last)
            seconds = time.perf_counter() - t0
            for c, raw in zip(group, raws):
                c.answer = self._accept(c, raw)
                if self.cache is not None:
                    self.cache.put(keys[id(c)], c.answer)
                self.computed += 1
                self.done += 1
                self.pending -= 1
                self.tokens_left -= c.input_tokens
            self.clock.record(sum(c.input_tokens for c in group), seconds)
            self.report()
        return [c.answer.lstrip(FALLBACK) for c in calls]

    def _prompt(self, c: _Call) -> tuple[list[int], str]:
        msgs, prefix = prompts.messages(c.stage, self.kind, c.text, c.title, c.sentences)
        toks = self.model.prompt_tokens(msgs)
        if prefix:
            toks = toks + self.model.tokenize(prefix)
        return toks, prefix

    def _groups(self, calls: list[_Call]) -> list[list[_Call]]:
        """Parallel groups whose prompts and replies fit the context together."""
        width = max(1, getattr(getattr(self.model, "options", None), "n_seq_max", 2) - 1)
        groups, cur, used = [], [], 0
        for c in calls:
            need = c.input_tokens + prompts.overhead_tokens(self.model) + c.limit
            if cur and (len(cur) >= width or used + need > self.model.n_ctx - 16):
                groups.append(cur)
                cur, used = [], 0
            cur.append(c)
            used += need
        if cur:
            groups.append(cur)
        return groups

    def _generate(self, group: list[_Call], stream: bool) -> list[str]:
        prompts_ = [self._prompt(c) for c in group]
        if len(group) > 1:
            limits = [c.limit for c in group]
            results = self.model.generate_many([p for p, _ in prompts_], limits, sampling=self.sampling)
            wall = max((s.total_seconds for _, s in results), default=0.0)
            for i, (_, s) in enumerate(results):
                s.prompt_seconds = s.decode_seconds = s.total_seconds = 0.0 if i else wall
                s.first_token_seconds = 0.0
                self.stats.add(s)
            return [prefix + text for (text, _), (_, prefix) in zip(results, prompts_)]
        (toks, prefix), c = prompts_[0], group[0]
        stats = GenerationStats()
        raw = prefix
        for piece in self.model.stream_tokens(toks, c.limit, (), self.sampling, stats):
            raw += piece
            if stream and self.on_text:
                self.on_text(raw)
        self.stats.add(stats)
        return [raw]

    def _accept(self, c: _Call, raw: str) -> str:
        """The cleaned answer, or an extract of the input when the reply is unusable."""
        cleaned = shapes.clean(raw)
        usable = bool(cleaned) and not is_refusal(cleaned) and len(cleaned.split()) >= 3
        if c.stage == "final":
            return cleaned if usable else ""  # the result says it is unusable; never a stand-in
        if usable and self.model.count_tokens(cleaned) < 0.9 * c.input_tokens:
            return cleaned
        self.fallbacks += 1
        return FALLBACK + extract(c.text, max(40, c.limit // 2), self.model.count_tokens)

    # -- map-reduce -----------------------------------------------------------------------------
    def reduce(self, items: list[str], final: bool) -> str:
        """Merge items level by level until they fit one prompt; then (if final) ask for the shape."""
        count = self.model.count_tokens
        for _ in range(12):
            joined = "\n\n".join(items)
            if count(joined) <= self.budget:
                if not final:
                    return items[0] if len(items) == 1 else self.run([self._call("merge", joined)])[0]
                self.report("writing the result")
                return self.run([self._call("final", joined, sentences=self.sentences(prompts.LONG_SUMMARY_SENTENCES))], stream_last=True)[0]
            self.levels += 1
            groups = group_by_budget(items, self.budget, count)
            self.total = max(self.total, self.done + len(groups) + 1)
            self.report(f"combining (level {self.levels})")
            items = self.run([self._call("merge", "\n\n".join(g)) for g in groups])
        raise InputError("the summaries did not shrink enough to combine; the document may be unusual")

    def sentences(self, n: int) -> int | None:
        """The sentence count of the final call: n for a summary (kept as the cut for the
        answer), None for the other kinds."""
        self.final_sentences = n if self.kind == "summary" else None
        return self.final_sentences

    def _call(self, stage: str, text: str, title: str = "", sentences: int | None = None) -> _Call:
        limit = prompts.summary_tokens(sentences) if sentences else prompts.MAX_TOKENS[stage]
        n = self.model.count_tokens(text)
        self.tokens_left += n
        self.pending += 1
        return _Call(stage, text, title, input_tokens=n, limit=limit, sentences=sentences)


def extract(text: str, limit: int, count) -> str:
    """The opening sentences of a text, up to `limit` tokens (a reply we could not use)."""
    text = text.replace(OVERLAP_MARK, "")
    out, n = [], 0
    for s, e in split_sentences(text):
        k = count(text[s:e])
        if out and n + k > limit:
            break
        out.append(text[s:e])
        n += k
    return " ".join(out)


def chunk_budget(model: Model, chunk_tokens: int | None = None) -> int:
    room = model.n_ctx - prompts.overhead_tokens(model) - max(prompts.MAX_TOKENS.values()) - 8
    budget = min(chunk_tokens or DEFAULT_CHUNK_TOKENS, room)
    if budget < 128:
        raise InputError(f"the model's context ({model.n_ctx} tokens) is too small to summarize with; use --ctx 2048 or more")
    return budget


def estimate_reduce_calls(n: int, each: int, budget: int) -> int:
    calls = 0
    while n > 1 and n * each > budget:
        n = math.ceil(n * each / (budget * 0.9))
        calls += n
    return calls + 1


class _CancelWatch:
    """Forward a threading.Event to model.cancel() while a job runs (stops within ~50 ms)."""

    def __init__(self, model: Model, event) -> None:
        self.model, self.event = model, event
        self.finished = threading.Event()
        self.thread = None
        if event is not None and hasattr(event, "wait"):
            self.thread = threading.Thread(target=self._watch, name="summarize-cancel", daemon=True)
            self.thread.start()

    def _watch(self) -> None:
        while not self.finished.is_set():
            if self.event.wait(0.05):
                self.model.cancel()  # repeated: a new call clears the model's flag when it starts
                time.sleep(0.02)

    def stop(self) -> None:
        self.finished.set()
        if self.thread is not None:
            self.thread.join()


def summarize(
    model: Model,
    text: str,
    kind: str = "summary",
    on_progress: OnProgress | None = None,
    on_text: OnText | None = None,
    cache=None,
    cancel=None,
    headings=None,
    parallel: bool | None = None,
    chunk_tokens: int | None = None,
    sampling: SamplingOptions | None = None,
) -> SummaryResult:
    """Summarize `text` as `kind`. `headings`: Sections / (offset, title) / (offset, level, title);
    None detects Markdown and chapter headings. `cache`: get/put or a store (resume). `cancel`: a
    threading.Event (or use model.cancel()); either raises Cancelled with finished chunks cached."""
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    if not text or not text.strip():
        raise InputError("there is no text to summarize")
    t0 = time.perf_counter()
    budget = chunk_budget(model, chunk_tokens)
    use_parallel = DEFAULT_PARALLEL if parallel is None else parallel
    job = _Job(model, kind, budget, as_cache(cache), cancel, on_progress, on_text, sampling or SAMPLING,
               bool(use_parallel and getattr(model, "can_batch", False)))
    parts = plan(text, headings, budget, model.count_tokens)
    n_chunks = sum(len(p.chunks) for p in parts)
    job.total = n_chunks + sum(estimate_reduce_calls(len(p.chunks), 90, budget) for p in parts if len(p.chunks) > 1)
    job.total += estimate_reduce_calls(len(parts), 90, budget) if len(parts) > 1 else 0
    watch = _CancelWatch(model, cancel)
    try:
        with model.job():  # drops a stale cancel; keeps one that lands between two chunks
            job.check_cancel()
            answer, outline = _run(job, parts, text)
    finally:
        watch.stop()
    job.total = job.done
    job.report("done")
    result = SummaryResult("summarize", text, "", variant=kind, model=getattr(model, "name", ""), stats=job.stats)
    result.chunks, result.computed, result.reused = (n_chunks if n_chunks > 1 else 0), job.computed, job.reused
    result.levels, result.fallbacks, result.parallel = job.levels, job.fallbacks, job.parallel
    result.cache_problem = getattr(job.cache, "problem", "") or ""
    result.sections = [p.title or "(opening)" for p in parts] if outline else []
    result.raw = answer
    shaped = shapes.render(kind, answer, sentences=job.final_sentences)
    if not shaped:
        result.ok, result.text = False, text
        result.problem = "the model returned nothing usable as a summary; the original is kept"
    else:
        result.text = shaped + (_outline(kind, parts, outline) if outline else "")
    result.seconds = time.perf_counter() - t0
    return result


def _run(job: _Job, parts: list[Part], text: str) -> tuple[str, list[str]]:
    """(final answer text, per-part summaries when the structure is kept)."""
    if len(parts) == 1 and len(parts[0].chunks) == 1:  # short: one prompt
        job.report("writing the result")
        n = job.sentences(prompts.summary_sentences(text))
        return job.run([job._call("final", parts[0].text, parts[0].title, sentences=n)], stream_last=True)[0], []
    maps = [(i, job._call("map", c, p.title)) for i, p in enumerate(parts) for c in p.chunks]
    job.report("summarizing")
    answers = job.run([c for _, c in maps])
    per_part: list[list[str]] = [[] for _ in parts]
    for (i, _), a in zip(maps, answers):
        per_part[i].append(a)
    if len(parts) == 1:
        return job.reduce(per_part[0], final=True), []
    job.report("combining sections")
    sections = [job.reduce(a, final=False) for a in per_part]
    return job.reduce(sections, final=True), sections


def _outline(kind: str, parts: list[Part], sections: list[str]) -> str:
    titles = [p.title or "(opening)" for p in parts]
    if kind == "table":
        rows = [(t, shapes.short(s)) for t, s in zip(titles, sections)]
        return "\n\n## By section\n\n" + shapes.table(rows, ("Section", "Summary"))
    out = []
    for t, s in zip(titles, sections):
        if kind == "summary":
            body = shapes.short(s, 3)
        else:
            entries = shapes.items(s, limit=4)
            body = shapes.numbered(entries) if kind == "list" else shapes.bullets(entries)
        out.append(f"## {t}\n\n{body}")
    return "\n\n" + "\n\n".join(out)

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
from .extract import Sentence, choosable, content_words, select
from .ground import Point, Unit, dedupe, ground, repair, unit_of
from .sources import SourcePart, plan_sources
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
    points: list[Point] = field(default_factory=list)  # every line shown, with its source spans
    repaired: int = 0  # model lines replaced by the source sentence they came from (unsupported)
    dropped: int = 0  # model lines removed (chatter, or nothing in the document supports them)

    def as_dict(self) -> dict:
        d = super().as_dict()
        d["summarize"] = {
            "chunks": self.chunks, "computed": self.computed, "reused": self.reused, "levels": self.levels,
            "sections": self.sections, "fallbacks": self.fallbacks, "parallel": self.parallel,
            "seconds": round(self.seconds, 3), "cache_problem": self.cache_problem,
            "repaired": self.repaired, "dropped": self.dropped,
        }
        d["points"] = [p.as_dict() for p in self.points]
        return d


@dataclass
class _Call:
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


class _Job:
    def __init__(self, model: Model, kind: str, budget: int, cache, cancel, on_progress, on_text, sampling,
                 parallel, document: str):
        self.model, self.kind, self.budget = model, kind, budget
        self.cache, self.cancel, self.on_progress, self.on_text = cache, cancel, on_progress, on_text
        self.sampling, self.parallel, self.document = sampling, parallel, document
        self.model_id = model_identity(model)
        self.instruction = ""  # a user's own tool's final instruction
        self.stats = GenerationStats()
        self.clock = Clock()
        self.done = self.total = self.reused = self.computed = self.fallbacks = self.levels = 0
        self.repaired = self.dropped = 0  # lines replaced by their source / removed (unsupported, chatter)
        self.tokens_left = 0  # input tokens of calls made but not yet answered
        self.pending = 0  # how many such calls
        self.stage = "reading"
        self.final_sentences: int | None = None  # set by sentences() before the final call

    # -- progress ---------------------------------------------------------------------------------
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

    # -- model calls --------------------------------------------------------------------------------
    def key(self, call: _Call) -> str:
        style = self.kind if call.stage == "final" else prompts.MAP_STYLE[self.kind]
        custom = f"{self.instruction}\n" if call.stage == "final" and self.instruction else ""
        return cache_key(self.model_id, style, call.stage, prompts.PROMPT_VERSION, f"{custom}{call.title}\n{call.text}",
                         max_tokens=call.limit, sentences=call.sentences, sampling=self.sampling,
                         budget=self.budget)

    def run(self, calls: list[_Call]) -> list[str]:
        """Answer every call (cache first), in order; each answer is cached as soon as it exists."""
        todo: list[tuple[_Call, str]] = []
        for c in calls:
            hit = self.cache.get(self.key(c)) if self.cache is not None else None
            if hit is not None:
                c.answer = hit
                self.reused += 1
                self.done += 1
                self.pending -= 1
                self.tokens_left -= c.input_tokens
            else:
                todo.append((c, self.key(c)))
        self.report()
        groups = self._groups([c for c, _ in todo]) if self.parallel else [[c] for c, _ in todo]
        keys = dict((id(c), k) for c, k in todo)
        for group in groups:
            self.check_cancel()
            t0 = time.perf_counter()
            raws = self._generate(group)
            seconds = time.perf_counter() - t0
            for c, raw in zip(group, raws):
                c.answer = self._accept(raw)
                if self.cache is not None:
                    self.cache.put(keys[id(c)], c.answer)
                self.computed += 1
                self.done += 1
                self.pending -= 1
                self.tokens_left -= c.input_tokens
            self.clock.record(sum(c.input_tokens for c in group), seconds)
            self.report()
        return [c.answer for c in calls]

    def _prompt(self, c: _Call) -> tuple[list[int], str]:
        msgs, prefix = prompts.messages(c.stage, self.kind, c.text, c.title, c.sentences, self.instruction)
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

    def _generate(self, group: list[_Call]) -> list[str]:
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
            raw += piece  # never streamed to the user: only checked points are shown
        self.stats.add(stats)
        return [raw]

    def _accept(self, raw: str) -> str:
        """The cleaned answer, or the FALLBACK mark when the reply is unusable (the call's own
        units, compressed, stand in for it)."""
        cleaned = shapes.clean(raw)
        usable = bool(cleaned) and not is_refusal(cleaned) and len(cleaned.split()) >= 3
        return cleaned if usable else FALLBACK

    # -- grounding ----------------------------------------------------------------------------------
    def points(self, call: _Call) -> list[Point]:
        """The call's answer as checked points, each with the document spans it rests on."""
        answer = call.answer
        lines: list[str] = []
        if answer and not answer.startswith(FALLBACK):
            if self.kind == "summary":
                flat = shapes.prose(answer)
                lines = [flat[s:e] for s, e in split_sentences(flat)]
            else:
                lines = shapes.items(answer)
        out: list[Point] = []
        used: set[int] = set()
        for line in lines:
            p, idx, _ = ground(line, call.units)
            if p is None:
                self.dropped += 1
                continue
            self.repaired += p.how != "model"
            words = set(content_words(line))  # the sentence it mainly rests on counts as used
            used.update(idx and [max(idx, key=lambda i: len(words & set(content_words(call.units[i].text))))])
            out.append(p)
        out = dedupe(out)
        if not out:  # nothing usable or nothing supported: the chosen sentences themselves
            self.fallbacks += 1
        # a chosen sentence that no line covers is shown as it is (compressed by rule), up to the
        # count the stage asked for: the model often writes fewer lines than it was given
        want = call.sentences or len(call.units)
        for i, u in enumerate(call.units):
            if len(out) >= want:
                break
            if i not in used:
                out = dedupe(out + [extract_point(u)])
        return sorted(out, key=lambda p: p.spans[0][0] if p.spans else 0)

    def unit(self, p: Point) -> Unit:
        return unit_of(p.text, p.spans, self.document)

    def compress(self, stage: str, units: list[Unit], title: str = "", sentences: int | None = None) -> _Call:
        limit = prompts.summary_tokens(sentences) if sentences else prompts.MAX_TOKENS[stage]
        c = _Call(stage, units, title, limit=limit, sentences=sentences)
        c.input_tokens = self.model.count_tokens(c.text)
        self.tokens_left += c.input_tokens
        self.pending += 1
        return c

    # -- map-reduce -----------------------------------------------------------------------------
    def reduce(self, points: list[Point], final: bool, title: str = "") -> list[Point]:
        """Choose among points level by level until one prompt holds them; then (if final) ask for
        the kind's shape, else for a section's few points. Spans follow every point."""
        for _ in range(12):
            if len(points) <= prompts.POOL:
                if final:
                    self.report("writing the result")
                    n = self.sentences(prompts.LONG_SUMMARY_SENTENCES)
                    chosen = choose_points(points, prompts.final_count(self.kind, n))
                    c = self.compress("final", [self.unit(p) for p in chosen], sentences=n)
                elif len(points) <= prompts.SECTION_POINTS:
                    return points
                else:
                    chosen = choose_points(points, prompts.SECTION_POINTS)
                    c = self.compress("merge", [self.unit(p) for p in chosen], title)
                self.run([c])
                return self.points(c)
            self.levels += 1
            groups = [points[i:i + prompts.POOL] for i in range(0, len(points), prompts.POOL)]
            self.total = max(self.total, self.done + len(groups) + 1)
            self.report(f"combining (level {self.levels})")
            calls = [self.compress("merge", [self.unit(p) for p in choose_points(g, prompts.MERGE_POINTS)], title)
                     for g in groups]
            self.run(calls)
            points = [p for c in calls for p in self.points(c)]
        raise InputError("the summaries did not shrink enough to combine; the document may be unusual")

    def sentences(self, n: int) -> int | None:
        """The sentence count of the final call: n for a summary (kept as the cut for the
        answer), None for the other kinds."""
        self.final_sentences = n if self.kind == "summary" else None
        return self.final_sentences


def extract_point(u: Unit) -> Point:
    """A unit shown as it is (compressed by rule) when the model gave nothing usable for it."""
    p = repair(u)
    if p.how == "repaired":
        p.how = "extract"
    return p


def choose_points(points: list[Point], k: int) -> list[Point]:
    """The k most central points, in order (the same scoring as source sentences)."""
    if len(points) <= k:
        return list(points)
    pseudo = [Sentence(p.spans[0][0] if p.spans else 0, 0, p.text, i) for i, p in enumerate(points)]
    chosen = select(pseudo, k, position=0.0)
    return [points[s.index] for s in chosen]


def points_of_sentences(sentences: list[Sentence]) -> list[Unit]:
    return [Unit(s.text, [s.span], s.text) for s in sentences]


def estimate_calls(chunks: int) -> int:
    """Merge and final calls a job of `chunks` map calls will need (for the progress total)."""
    n, calls = chunks * prompts.MAP_POINTS, 0
    while n > prompts.POOL:
        groups = math.ceil(n / prompts.POOL)
        calls += groups
        n = groups * prompts.MERGE_POINTS
    return calls + 1


def chunk_budget(model: Model, chunk_tokens: int | None = None) -> int:
    room = model.n_ctx - prompts.overhead_tokens(model) - max(prompts.MAX_TOKENS.values()) - 8
    budget = min(chunk_tokens or DEFAULT_CHUNK_TOKENS, room)
    if budget < 128:
        raise InputError(f"the model's context ({model.n_ctx} tokens) is too small to summarize with; use --ctx 2048 or more")
    return budget


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
    instruction: str = "",
) -> SummaryResult:
    """Summarize `text` as `kind`. `headings`: Sections / (offset, title) / (offset, level, title);
    None detects Markdown and chapter headings. `cache`: get/put or a store (resume). `cancel`: a
    threading.Event (or use model.cancel()); either raises Cancelled with finished chunks cached.
    `instruction`: a user's own tool's words for the final step (grounding and shape unchanged)."""
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    if not text or not text.strip():
        raise InputError("there is no text to summarize")
    t0 = time.perf_counter()
    budget = chunk_budget(model, chunk_tokens)
    use_parallel = DEFAULT_PARALLEL if parallel is None else parallel
    job = _Job(model, kind, budget, as_cache(cache), cancel, on_progress, on_text, sampling or SAMPLING,
               bool(use_parallel and getattr(model, "can_batch", False)), text)
    job.instruction = instruction
    parts, titles = plan_sources(text, headings, budget, model.count_tokens)
    if not any(choosable(s) for p in parts for s in p.sentences):
        raise InputError("there is no text to summarize (no sentence of four words or more)")
    n_chunks = sum(len(p.chunks) for p in parts)
    job.total = 1 if n_chunks == 1 else n_chunks + sum(estimate_calls(len(p.chunks)) for p in parts)
    watch = _CancelWatch(model, cancel)
    try:
        with model.job():  # drops a stale cancel; keeps one that lands between two chunks
            job.check_cancel()
            final, sections = _run(job, parts, titles, text)
    finally:
        watch.stop()
    job.total = job.done
    job.report("done")
    result = SummaryResult("summarize", text, "", variant=kind, model=getattr(model, "name", ""), stats=job.stats)
    result.chunks, result.computed, result.reused = (n_chunks if n_chunks > 1 else 0), job.computed, job.reused
    result.levels, result.fallbacks, result.parallel = job.levels, job.fallbacks, job.parallel
    result.repaired, result.dropped = job.repaired, job.dropped
    result.cache_problem = getattr(job.cache, "problem", "") or ""
    result.sections = [p.title or "(opening)" for p in parts] if sections else []
    final = _final_cut(kind, final, job.final_sentences)
    result.points = list(final)
    result.raw = "\n".join(p.text for p in final)
    shaped = shapes.render_points(kind, [p.text for p in final])
    if not shaped:
        result.ok, result.text = False, text
        result.problem = "the model returned nothing usable as a summary; the original is kept"
    else:
        result.text = shaped
        if sections:
            outline, shown = _outline(kind, parts, sections)
            result.text += outline
            result.points += shown
    if on_text is not None and result.ok:
        on_text(result.text)
    result.seconds = time.perf_counter() - t0
    return result


def _final_cut(kind: str, points: list[Point], sentences: int | None) -> list[Point]:
    """A summary keeps at most the sentences it asked for (none restating an earlier one); the
    other kinds at most shapes.MAX_ITEMS items."""
    out: list[Point] = []
    for p in points:
        if kind == "summary" and any(shapes.restates(p.text, q.text) for q in out):
            continue
        out.append(p)
    return out[: sentences or shapes.MAX_ITEMS]


def _run(job: _Job, parts: list[SourcePart], titles: list[str], text: str) -> tuple[list[Point], list[list[Point]]]:
    """(final points, per-part points when the structure is kept)."""
    if len(parts) == 1 and len(parts[0].chunks) == 1:  # short: the chosen sentences, one prompt
        job.report("writing the result")
        n = job.sentences(prompts.summary_sentences(text))
        chosen = select(parts[0].chunks[0], prompts.final_count(job.kind, n), titles)
        c = job.compress("final", points_of_sentences(chosen), parts[0].title, sentences=n)
        job.run([c])
        return job.points(c), []
    maps = [(i, job.compress("map", points_of_sentences(select(chunk, prompts.MAP_POINTS, titles)), p.title))
            for i, p in enumerate(parts) for chunk in p.chunks]
    job.report("summarizing")
    job.run([c for _, c in maps])
    per_part: list[list[Point]] = [[] for _ in parts]
    for i, c in maps:
        per_part[i].extend(job.points(c))
    if len(parts) == 1:
        return job.reduce(per_part[0], final=True), []
    job.report("combining sections")
    sections = [job.reduce(pts, final=False, title=p.title) for pts, p in zip(per_part, parts)]
    return job.reduce([q for s in sections for q in s], final=True), sections


def _outline(kind: str, parts: list[SourcePart], sections: list[list[Point]]) -> tuple[str, list[Point]]:
    """One heading per part with its own points; the points shown, labelled with their section."""
    titles = [p.title or "(opening)" for p in parts]
    shown: list[Point] = []
    if kind == "table":
        rows = []
        for t, pts in zip(titles, sections):
            pts = pts[:2]
            rows.append((t, " ".join(q.text for q in pts)))
            shown += [Point(q.text, q.spans, q.how, t) for q in pts]
        return "\n\n## By section\n\n" + shapes.table(rows, ("Section", "Summary")), shown
    out = []
    for t, pts in zip(titles, sections):
        pts = pts[:3] if kind == "summary" else pts[:4]
        shown += [Point(q.text, q.spans, q.how, t) for q in pts]
        entries = [q.text for q in pts]
        body = " ".join(entries) if kind == "summary" else shapes.numbered(entries) if kind == "list" else shapes.bullets(entries)
        out.append(f"## {t}\n\n{body}")
    return "\n\n" + "\n\n".join(out), shown

"""summarize(): one prompt for a short text, map-reduce for a long one.

1. plan: parts along headings, token-budgeted chunks of whole sentences inside parts (sources.py);
2. map: every chunk's chosen sentences compressed into checked points (cached answers reused;
   how uncached ones reach the model: calls.py — one by one here, concurrent requests to an
   engine server's slots);
3. reduce, level by level (job.py), until one prompt holds the points;
4. final: that prompt asks for the kind's shape, which shapes.py draws (bullets, numbers, table).
When the document has two or more parts, the answer keeps them: the overall result first, then
one heading per part with its own short summary.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from ..errors import InputError
from ..model import Model, SamplingOptions
from ..tasks.base import OnText, TaskResult
from . import prompts, shapes
from .cache import as_cache
from .calls import concurrency
from .extract import choosable, select
from .ground import Point
from .job import Job, estimate_calls, points_of_sentences
from .progress import OnProgress
from .sources import SourcePart, plan_sources

KINDS = ("summary", "key-points", "list", "table")
DEFAULT_CHUNK_TOKENS = 1536
DEFAULT_PARALLEL = False  # on this computer: batched sequences measured slower (docs/summarize.md)
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
    in_flight: int = 0  # the most model calls that ran at once (a server's slots, when it has several)
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
            "in_flight": self.in_flight, "seconds": round(self.seconds, 3), "cache_problem": self.cache_problem,
            "repaired": self.repaired, "dropped": self.dropped,
        }
        d["points"] = [p.as_dict() for p in self.points]
        return d


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
    on_draft=None,
) -> SummaryResult:
    """Summarize `text` as `kind`. `headings`: Sections / (offset, title) / (offset, level, title);
    None detects Markdown and chapter headings. `cache`: get/put or a store (resume). `cancel`: a
    threading.Event (or use model.cancel()); either raises Cancelled with finished chunks cached.
    `parallel`: None = an engine server's slots are all used (concurrent requests), while the
    model on this computer answers one call at a time (DEFAULT_PARALLEL); True/False forces it.
    `instruction`: a user's own tool's words for the final step (grounding and shape unchanged).
    `on_draft("", text)`: for a text short enough for one prompt, the sentences chosen from it, in
    the kind's shape, before the model shortens them (your own words: a preview, not the result)."""
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    if not text or not text.strip():
        raise InputError("there is no text to summarize")
    t0 = time.perf_counter()
    budget = chunk_budget(model, chunk_tokens)
    job = Job(model, kind, budget, as_cache(cache), cancel, on_progress, sampling or SAMPLING,
              concurrency(model, parallel, DEFAULT_PARALLEL), document=text)
    job.instruction = instruction
    job.on_draft = on_draft
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
    result.in_flight = job.in_flight_most
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


def _run(job: Job, parts: list[SourcePart], titles: list[str], text: str) -> tuple[list[Point], list[list[Point]]]:
    """(final points, per-part points when the structure is kept)."""
    if len(parts) == 1 and len(parts[0].chunks) == 1:  # short: the chosen sentences, one prompt
        job.report("writing the result")
        n = job.sentences(prompts.summary_sentences(text))
        units = _short_units(job.kind, parts, titles, n)
        if getattr(job, "on_draft", None):
            job.on_draft("", shapes.render_points(job.kind, [u.text for u in units]))
        c = job.new_call("final", units, parts[0].title, sentences=n)
        job.run([c])
        return job.points(c), []
    maps = [(i, job.new_call("map", points_of_sentences(select(chunk, prompts.MAP_POINTS, titles)), p.title))
            for i, p in enumerate(parts) for chunk in p.chunks]
    job.report("summarizing")
    job.run([c for _, c in maps])
    per_part: list[list[Point]] = [[] for _ in parts]
    for i, c in maps:
        per_part[i].extend(job.points(c))
    if len(parts) == 1:
        return job.reduce(per_part[0]), []
    job.report("combining sections")
    sections = job.reduce_parts(per_part, [p.title for p in parts])
    return job.reduce([q for s in sections for q in s]), sections


def _short_units(kind: str, parts: list[SourcePart], titles: list[str], n: int | None):
    """What a short text's one prompt shows the model: its chosen sentences."""
    return points_of_sentences(select(parts[0].chunks[0], prompts.final_count(kind, n), titles))


def short_prompt(model: Model, text: str, kind: str = "summary", headings=None) -> tuple[list[dict[str, str]], str] | None:
    """The (messages, reply prefix) `summarize` would send for `text` when it is short enough for
    one prompt (None when it is not): what a prefill of the summary can start on."""
    parts, titles = plan_sources(text, headings, chunk_budget(model), model.count_tokens)
    if len(parts) != 1 or len(parts[0].chunks) != 1:
        return None
    n = prompts.summary_sentences(text) if kind == "summary" else None
    units = _short_units(kind, parts, titles, n)
    return prompts.messages("final", kind, "\n".join(u.text for u in units), parts[0].title, n)


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

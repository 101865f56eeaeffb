"""One summary job: answers turned into checked points, and the reduce levels above the map.

`Job` adds to the model calls (calls.py) what the summary does with their answers: every line
the model wrote is grounded in the units it was shown (ground.py) or repaired or dropped, and
points are chosen and compressed again, level by level, until one prompt holds them.
"""

from __future__ import annotations

import math

from ..errors import InputError
from ..textsplit import split_sentences
from . import prompts, shapes
from .calls import FALLBACK, Call, Calls
from .extract import Sentence, content_words, select
from .ground import Point, Unit, dedupe, ground, repair, unit_of


class Job(Calls):
    def __init__(self, *args, document: str, **kw):
        super().__init__(*args, **kw)
        self.document = document
        self.fallbacks = self.levels = 0
        self.repaired = self.dropped = 0  # lines replaced by their source / removed (unsupported, chatter)
        self.final_sentences: int | None = None  # set by sentences() before the final call

    def points(self, call: Call) -> list[Point]:
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

    def reduce(self, points: list[Point], title: str = "") -> list[Point]:
        """Choose among points level by level until one prompt holds them, then ask for the kind's
        shape. Spans follow every point."""
        for _ in range(12):
            if len(points) <= prompts.POOL:
                self.report("writing the result")
                n = self.sentences(prompts.LONG_SUMMARY_SENTENCES)
                chosen = choose_points(points, prompts.final_count(self.kind, n))
                c = self.new_call("final", [self.unit(p) for p in chosen], sentences=n)
                self.run([c])
                return self.points(c)
            self.levels += 1
            groups = [points[i:i + prompts.POOL] for i in range(0, len(points), prompts.POOL)]
            self.total = max(self.total, self.done + len(groups) + 1)
            self.report(f"combining (level {self.levels})")
            calls = [self.new_call("merge", [self.unit(p) for p in choose_points(g, prompts.MERGE_POINTS)], title)
                     for g in groups]
            self.run(calls)
            points = [p for c in calls for p in self.points(c)]
        raise InputError("the summaries did not shrink enough to combine; the document may be unusual")

    def reduce_parts(self, parts: list[list[Point]], titles: list[str]) -> list[list[Point]]:
        """Each part's points reduced to a section's few, a section's merge levels, but
        level by level across all parts: the calls of every part at one level are sent together
        (an engine server answers them at once; on this computer they still run one by one)."""
        out = list(parts)
        todo = list(range(len(out)))
        for _ in range(12):
            rounds: list[tuple[int, list[Call], bool]] = []  # (part, its calls, whether it is then done)
            for i in todo:
                pts = out[i]
                if len(pts) <= prompts.SECTION_POINTS:
                    continue
                if len(pts) <= prompts.POOL:
                    chosen = choose_points(pts, prompts.SECTION_POINTS)
                    rounds.append((i, [self.new_call("merge", [self.unit(p) for p in chosen], titles[i])], True))
                else:
                    self.levels += 1
                    groups = [pts[k:k + prompts.POOL] for k in range(0, len(pts), prompts.POOL)]
                    rounds.append((i, [self.new_call("merge", [self.unit(p) for p in choose_points(g, prompts.MERGE_POINTS)],
                                                     titles[i]) for g in groups], False))
            if not rounds:
                return out
            calls = [c for _, cs, _ in rounds for c in cs]
            self.total = max(self.total, self.done + len(calls) + 1)
            self.report("combining sections")
            self.run(calls)
            todo = []
            for i, cs, finished in rounds:
                out[i] = [p for c in cs for p in self.points(c)]
                if not finished:
                    todo.append(i)
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

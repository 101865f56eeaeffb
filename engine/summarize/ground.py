"""Tie every point of a summary to the source it rests on, and keep out what the source does not say.

A *unit* is what the model was shown at one level: a source sentence (map, short texts) or an
earlier point (merge levels). Each unit knows the document spans it rests on. For every line the
model wrote we find the units that support it (content-word cover), then ask the shared
faithfulness check (engine/faithfulness.py, mode "summary") whether it states anything — a number,
date, amount, name, negation — that those units' source text does not. A fact found in another
unit pulls that unit in (the model fused two sentences); a fact found nowhere makes the line
unsupported, and it is *repaired* (replaced by the supporting sentence, compressed by rule: only
words are removed, so nothing new can appear) or dropped. Meta-chatter ("The text contains…",
"Here are 5 key points") is never kept, and a line resting on an instruction inside the document
("Ignore all previous instructions…") is shown only as an attributed quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from ..faithfulness import check, is_instruction
from .extract import content_words

Span = tuple[int, int]


@dataclass
class Unit:
    text: str  # what the model was shown
    spans: list[Span]  # where it comes from in the document
    source: str  # the document text under those spans


@dataclass
class Point:
    text: str
    spans: list[Span] = field(default_factory=list)
    how: str = "model"  # "model" (checked), "repaired", "extract" (the model gave nothing usable), "quote"
    section: str = ""

    def as_dict(self) -> dict:
        return {"text": self.text, "spans": [list(s) for s in self.spans], "how": self.how,
                "section": self.section}


def unit_of(text: str, spans: Sequence[Span], document: str) -> Unit:
    return Unit(text, merge_spans(spans), " … ".join(document[s:e] for s, e in merge_spans(spans)))


def merge_spans(spans: Sequence[Span]) -> list[Span]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


# --------------------------------------------------------------------------- meta-chatter

_META_SUBJECT = r"(?:the|this|that)\s+(?:text|passage|document|article|story|report|email|e-mail|message|note|notes|summary|section|excerpt|author|writer|piece)"
_META = re.compile(
    rf"""^\s*(?:
        here(?:'s|\s+is|\s+are)\b
      | (?:in\s+)?summary\b | to\s+summari[sz]e\b | in\s+conclusion\b | overall,
      | (?:the\s+)?(?:key|main|most\s+important)\s+(?:points?|ideas?|events?|claims?|topics?|takeaways?)\b
      | (?:sure|certainly|okay|of\s+course)\b
      | {_META_SUBJECT}\s+(?:\w+\s+){{0,2}}?(?:contains?|is\s+about|describes?|discusses|provides?|presents?|mentions?|
            talks?|explains?|lists?|includes?|has|highlights?|focuses|covers?|gives?|outlines?|shows?|says|states|
            tells|is\s+a|consists|offers?|suggests?|emphasi[sz]es|addresses|deals|revolves|seems|appears|does\s+not)\b
      | (?:i|we)\s+(?:have|will|would|can|hope)\b
      | (?:let\s+me|note\s*:|please\s+note)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_META_ANYWHERE = re.compile(
    r"\b(?:key\s+points?|main\s+(?:points|events|claims)\s+or\s+claims|the\s+(?:text|passage)\s+(?:above|below)|"
    r"as\s+an\s+ai|language\s+model|mix\s+of\s+factual|(?:is|are)\s+not\s+mentioned\s+in\s+the\s+(?:text|passage))\b",
    re.IGNORECASE,
)


def is_chatter(line: str) -> bool:
    """A line about the text or the task rather than a point of the document."""
    return bool(_META.match(line) or _META_ANYWHERE.search(line))


_LABEL = re.compile(
    r"^\s*(?:(?:the|this|here\s+is\s+the)\s+)?(?:original\s+|shortened\s+|short\s+|rewritten\s+|new\s+)?"
    r"(?:text|summary|answer|version|passage|sentences?)\s*(?:is|was|are|were|reads)?"
    r"(?:\s+(?:edited|rewritten|shortened|summari[sz]ed|changed|condensed)\s+(?:to|as|into))?\s*:\s*", re.I)


def strip_meta_lead(line: str) -> str:
    """Remove a label the model put before its answer ('The text is: "…"') and a leading
    'In summary,' connective. 'The text explains how to apply lotion.' is left alone (and is
    chatter): cutting it would not leave a sentence."""
    line = re.sub(r"^\s*(?:in\s+summary|to\s+summari[sz]e|in\s+conclusion|overall)\s*,\s*", "", line, flags=re.I)
    m = _LABEL.match(line)
    if m and m.end() < len(line):
        line = line[m.end():].strip()
        if line[:1] in "\"“" and line.count(line[0]) + line.count("”") <= 2:
            line = line.strip("\"“”").strip()
    return line


# --------------------------------------------------------------------------- support


def support(line: str, units: Sequence[Unit], limit: int = 3) -> tuple[list[int], float]:
    """Indexes of the units a line rests on (greedy cover of its content words) and the share of its
    content words they cover."""
    words = set(content_words(line))
    if not words:
        return [], 0.0
    bags = [set(content_words(u.text)) | set(content_words(u.source)) for u in units]
    chosen: list[int] = []
    covered: set[str] = set()
    while len(chosen) < limit:
        best, gain = -1, 0
        for i, b in enumerate(bags):
            if i in chosen:
                continue
            g = len((words - covered) & b)
            if g > gain:
                best, gain = i, g
        # a second unit must add at least two words (or the only ones left)
        if best < 0 or (chosen and gain < min(2, len(words - covered))):
            break
        chosen.append(best)
        covered |= words & bags[best]
    return sorted(chosen), len(covered) / len(words)


_QUOTED = re.compile(r"[\"“]([^\"”]{3,120})[\"”]")


def unsupported(line: str, source: str) -> list[str]:
    """What a line states that its source does not: facts (the shared check, mode "summary"),
    flipped negations, an obeyed instruction, quoted words. Empty when the line is supported."""
    report = check(source, line, "summary")
    out = [p.message() for p in report.problems
           if p.kind in ("added", "changed", "negation") or (p.kind == "task" and p.what in ("instruction", "chatter", "prompt"))]
    flat = " ".join(source.split()).lower()
    for q in _QUOTED.findall(line):
        if " ".join(q.split()).lower() not in flat:
            out.append(f"quoted words not in the text: “{q}”")
    return out


MIN_COVER = 0.5  # a line whose content words are mostly not in its units is not a summary of them
RETAIN = 0.5  # a compression keeps at least half of the content words of the sentence it shortens


def retained(line: str, units: Sequence[Unit], idx: Sequence[int]) -> float:
    """The share of its source units' content words a line keeps (1.0 when they have none); a
    line fusing n units is held to 1/n of the bar (core compares with RETAIN / n)."""
    words = set(content_words(line))
    bag = set().union(*(set(content_words(units[i].text)) for i in idx)) if idx else set()
    return len(words & bag) / len(bag) if bag else 1.0


def tidy(line: str) -> str:
    """A line cut off by the model: a trailing '...' and the broken word before it go, an unmatched
    quote mark at either end goes, and the line ends with a full stop."""
    line = line.strip()
    if re.search(r"(?:\.\.\.|…)[\"”']?$", line):
        line = re.sub(r"\s*\S*(?:\.\.\.|…)[\"”']?$", "", line).rstrip(" ,;:")
        if line and line[-1] not in ".!?":
            line += "."
    for q, pair in (('"', '"'), ("“", "”"), ("”", "“")):
        if line.count(q) + (line.count(pair) if pair != q else 0) == 1:
            line = line.replace(q, "")
    return line.strip()


def ground(line: str, units: Sequence[Unit]) -> tuple[Point | None, list[int], list[str]]:
    """(the point as shown or None, the units it used, the problems found). The point is the
    model's line when supported, else the best supporting unit compressed ("repaired"), else None."""
    line = tidy(strip_meta_lead(line))
    if not line or not units:
        return None, [], ["empty"]
    idx, cover = support(line, units)
    idx = sorted(idx + _instructions_drawn_on(line, units, idx))
    chatter = is_chatter(line)
    if idx and not chatter:
        problems = unsupported(line, " … ".join(units[i].source for i in idx))
        if problems:  # a fact may come from another unit: the model fused two sentences
            extra = [i for i in range(len(units)) if i not in idx and not unsupported_facts_left(line, units, idx + [i])]
            if extra:
                idx = sorted(idx + extra[:1])
                problems = unsupported(line, " … ".join(units[i].source for i in idx))
        if not problems and retained(line, units, idx) < RETAIN / len(idx):
            problems = ["not a compression of its source"]
        if not problems and cover >= MIN_COVER and not any(is_instruction(units[i].source) for i in idx):
            return Point(line, merge_spans([s for i in idx for s in units[i].spans]), "model"), idx, []
    else:
        problems = ["chatter"] if chatter else ["no support"]
    if not idx or cover < 0.3:
        return None, idx, problems or ["no support"]
    best = max(idx, key=lambda i: len(set(content_words(line)) & set(content_words(units[i].text))))
    return repair(units[best]), [best], problems or ["weak support"]


def _instructions_drawn_on(line: str, units: Sequence[Unit], idx: Sequence[int]) -> list[int]:
    """Instruction units (outside `idx`) that supply a word of the line no unit of `idx` has: a
    line fusing several sentences may carry an instruction's content past the support cover's
    limit ("…, all files have been deleted, and …"); such a line rests on the instruction too."""
    def bag(u: Unit) -> set[str]:
        return set(content_words(u.text)) | set(content_words(u.source))

    rest = set(content_words(line)) - set().union(*(bag(units[i]) for i in idx))
    return [i for i, u in enumerate(units) if i not in idx and rest and is_instruction(u.source) and rest & bag(u)]


def unsupported_facts_left(line: str, units: Sequence[Unit], idx: list[int]) -> bool:
    return bool(unsupported(line, " … ".join(units[i].source for i in idx)))


def repair(unit: Unit) -> Point:
    """A unit shown in place of an unsupported line: compressed, or quoted when it is an instruction."""
    if is_instruction(unit.source):
        return Point(quote(unit.source), list(unit.spans), "quote")
    text = unit.text
    if unsupported(text, unit.source):  # an earlier level's point: fall back to the source itself
        text = unit.source
    return Point(compress(text), list(unit.spans), "repaired")


def quote(source: str) -> str:
    """An instruction found in the document, attributed and never stated as fact."""
    flat = " ".join(source.split()).strip().strip('"“”')
    if len(flat) > 160:
        flat = flat[:157].rsplit(" ", 1)[0] + "…"
    return f"Quoted from the text (an instruction, not followed): “{flat}”"


_PAREN = re.compile(r"\s*\([^()]{0,80}\)")
_CLAUSE = re.compile(r",\s+(?:which|who|whom|whose|although|though|while|as|because|since|so|but|and)\b|;\s+|\s+[–—-]\s+")
MAX_WORDS = 28


def compress(sentence: str, max_words: int = MAX_WORDS) -> str:
    """A shorter form of a source sentence made only by removing words: parentheses first, then
    trailing clauses while the sentence is long. Never adds a word."""
    text = " ".join(sentence.split())
    text = _PAREN.sub("", text)
    while len(text.split()) > max_words:
        cuts = [m.start() for m in _CLAUSE.finditer(text) if len(text[: m.start()].split()) >= 6]
        if not cuts:
            break
        text = text[: cuts[-1]].rstrip(" ,;")
    text = text.strip()
    if text and text[-1] not in ".!?\"”'’)":
        text += "."
    return text


def dedupe(points: list[Point]) -> list[Point]:
    """Drop a point whose content words were mostly said by an earlier one."""
    out: list[Point] = []
    for p in points:
        words = set(content_words(p.text))
        if any(len(words) and len(words & set(content_words(q.text))) >= 0.7 * len(words) for q in out):
            continue
        out.append(p)
    return out

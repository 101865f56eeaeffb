"""What a fact stands in, and words a rewrite invents around it.

- the relation word before a fact: "settlement by 26 May" is not "settlement of 26 May", "fell by
  18%" is not "fell to 18%", "up to 2 days" is not "for 2 days";
- the direction of a figure: a candidate that says a figure rose (or fell) when the text says
  nothing of a rise (or fall): "48,000 (down from 55,000)" -> "increased by 48,000";
- a word put in place of another and doubled: "refund the duplicate payment" -> "refund the refund";
- a feeling or pleasantry the writer did not express: "I'm so excited to be here.", "I'm sure it will.";
- names written in lowercase by a writer who writes nothing with capitals ("the wilson account",
  "check w/ ana"): found by their place next to a title or a place or company word, or after the
  greeting, and kept like any other name.
"""

from __future__ import annotations

import re
from typing import Iterable

from .facts import Fact
from .policy import Problem

# Prepositions that tie a fact to what it measures; each group says the same thing.
_PREPOSITIONS = {
    "by": "by", "before": "before", "until": "until", "till": "until", "til": "until", "from": "from",
    "since": "from", "to": "to", "on": "on", "at": "at", "in": "in", "within": "in", "after": "after",
    "of": "of", "for": "for", "under": "under", "below": "under", "over": "over", "above": "over",
    "around": "about", "about": "about", "approximately": "about", "roughly": "about", "than": "than",
    "between": "between", "per": "per", "each": "per",
}
# A rise or fall: the candidate's verbs (a figure's direction), and every word of the source that says one.
_RISE = re.compile(r"\b(?:increas\w*|ris(?:e|es|en|ing)|rose|gr[eo]w\w*|gain\w*|jump\w*|climb\w*|soar\w*)\b", re.I)
_FALL = re.compile(r"\b(?:decreas\w*|f[ae]ll(?:s|en|ing)?|drop\w*|declin\w*|reduc\w*|shr[iu]nk\w*|lowered)\b", re.I)
_RISE_SOURCE = re.compile(_RISE.pattern[:-3] + r"|up|more|higher|over|above|raised?)\b", re.I)
_FALL_SOURCE = re.compile(_FALL.pattern[:-3] + r"|down|less|fewer|lower|under|below|cut\w*|los[et]\w*|short\w*)\b", re.I)
_DOUBLED = re.compile(r"\b([a-z]{3,})\s+(?:the|a|an|this|that|my|your|our|their|his|her|its)?\s*\1\b", re.I)
_FEELING = re.compile(
    r"\b(?:(?:i'?m|i’m|i am|we'?re|we’re|we are)\s+(?:so\s+|very\s+|really\s+|truly\s+)?"
    r"(?:excited|thrilled|delighted|sure|confident|happy to be|glad to be|looking forward)|looking forward|"
    r"look forward|have a (?:great|nice|good|lovely|wonderful) (?:day|week|weekend|time)|feel free to|"
    r"don'?t hesitate|can'?t wait|it was a pleasure|hope (?:you|this|that|it)\b)",
    re.I,
)
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "uncle", "aunt", "auntie", "saint"}
_PLACE_OR_COMPANY = {"farm", "street", "st", "road", "rd", "lane", "avenue", "ave", "junction", "square", "station",
                     "logistics", "studio", "studios", "bakery", "catering", "freight", "foods", "press", "supplies",
                     "inc", "ltd", "llc", "plc", "hotel", "lodge", "airport", "hospital", "university", "college"}
_NOT_NAMES = {"all", "everyone", "team", "guys", "folks", "there", "the", "a", "an", "my", "our", "your", "new", "old",
              "main", "big", "little", "first", "next", "last", "this", "that", "each", "every", "train", "bus", "car",
              "high", "village", "town", "city", "primary", "secondary", "local", "public", "private", "back", "front"}


def _words(text: str) -> list[str]:
    return [w.rstrip("'’") for w in re.findall(r"[a-z][a-z'’]*|&", text.lower())]


def _before(text: str, fact: str) -> str | None:
    """The word right before the only occurrence of `fact` (None when it occurs more or less than once)."""
    hits = [m for m in re.finditer(rf"(?<!\w){re.escape(fact)}(?!\w)", text, re.I)]
    if len(hits) != 1:
        return None
    prev = re.findall(r"[A-Za-z']+", text[max(0, hits[0].start() - 30): hits[0].start()])
    between = text[max(0, hits[0].start() - 3): hits[0].start()]
    if not prev or re.search(r"[^\s\w]", between):  # "Q2: 48,000" has no preposition before it
        return None
    return prev[-1].lower()


# A bound on a figure: "sub 2 hours" is not "2 hours", "at least 6 hours" is not "6 hours". Each group
# says the same bound; the candidate must put one of the source's group right before the figure.
_BOUNDS = {
    "under": r"under|below|sub|less than|fewer than|within|just under|not more than",
    "over": r"over|above|more than|at least|minimum|min|just over|upwards of",
    "at most": r"up to|at most|max|maximum|no more than|not more than|a maximum of|limited to|capped at",
    "nearly": r"nearly|almost|close to|just under|approaching",
    "about": r"about|around|approximately|roughly|circa|ca\.|some|~",
}


def _bound(text: str, fact: str) -> set[str]:
    """The bound groups said right before the figure `fact` in `text` (its first occurrence)."""
    m = re.search(rf"(?<![\w.,]){re.escape(fact)}(?![\w])", text)
    if not m:
        return set()
    before = text[max(0, m.start() - 25): m.start()].lower()
    return {g for g, rx in _BOUNDS.items() if re.search(rf"(?:^|[^\w])(?:{rx})\s*(?:of\s+|the\s+)?$", before)}


def bound_problems(source: str, candidate: str, src_facts: list[Fact]) -> list[Problem]:
    """A figure's bound lost or changed: "sub 2 hours" -> "2 hours", "at least 6 hours" -> "6 hours"."""
    for f in src_facts:
        if f.what not in ("number", "price", "percent", "time") or f.weak:
            continue
        want = _bound(source, f.text)
        if want and f.text in candidate and not want & _bound(candidate, f.text):
            return [Problem("changed", "relation", f"{sorted(want)[0]} {f.text}", f.text)]
    for m in _SPAN.finditer(source):  # "about an hour" -> "an hour": a span written in words has bounds too
        want = _bound(source, m.group())
        if want and m.group() in candidate and not want & _bound(candidate, m.group()):
            return [Problem("changed", "relation", f"{sorted(want)[0]} {m.group()}", m.group())]
    return []


# a span of time written without a digit
_SPAN = re.compile(r"\b(?:an?|half an?|a couple of|a few) (?:second|minute|hour|day|week|month|year)s?\b")


def relation_problems(source: str, candidate: str, src_facts: list[Fact]) -> list[Problem]:
    out: list[Problem] = bound_problems(source, candidate, src_facts)
    for f in src_facts:
        if f.what == "name" or f.weak:
            continue
        a, b = _before(source, f.text), _before(candidate, f.text)
        # "of" before a figure only links a quantity ("a total of nine days", "a mark of 78"): it may go
        if a in _PREPOSITIONS and a != "of" and b in _PREPOSITIONS and _PREPOSITIONS[a] != _PREPOSITIONS[b]:
            out.append(Problem("changed", "relation", f"{a} {f.text}", f"{b} {f.text}"))
    for rx, src_rx, what in ((_RISE, _RISE_SOURCE, "a rise"), (_FALL, _FALL_SOURCE, "a fall")):
        if src_rx.search(source):
            continue
        for m in rx.finditer(candidate):  # a direction word right before a figure
            if re.match(r"[^.;\n]{0,25}?\d", candidate[m.end():]):
                out.append(Problem("changed", "relation", f"says {what} the text does not state", m.group()))
                break
    for m in _DOUBLED.finditer(candidate):
        w = m.group(1).lower()
        if w not in ("had", "that", "the", "and") and not re.search(rf"\b{w}\b\s+\w*\s*\b{w}\b", source, re.I):
            out.append(Problem("changed", "doubled", m.group()))
            break
    out += negation_person_problems(source, candidate)
    out += request_problems(source, candidate)
    added = len(_FEELING.findall(candidate)) - len(_FEELING.findall(source))
    if added > 0:
        out.append(Problem("task", "feeling", _FEELING.findall(candidate)[-1]))
    return out


# A question or a request: what the writer asks of the reader ("Could you please arrange for an engineer
# to visit?" is not "The engineer would love to visit.").
_ASKS = re.compile(r"\?|\b(?:please(?! note\b| be advised\b)|pls|plz|kindly|let me know|lmk|could you|would you|can you|will you|"
                   r"i(?:'d|’d| would) (?:like|appreciate|be grateful)|we(?:'d|’d| would) (?:like|appreciate|be grateful)|"
                   r"wonder(?:ed|ing)? (?:whether|if)|would be willing|"
                   r"(?:do|does|did|is|are|was|were|have|has) (?:you|anyone|anybody|it|he|she|they|we|i)\b)", re.I)


def request_problems(source: str, candidate: str) -> list[Problem]:
    if _ASKS.search(source) and not _ASKS.search(candidate):
        return [Problem("task", "request", _ASKS.search(source).group())]
    return []


_PERSON = {"i": "first", "we": "first", "you": "second", "he": "third", "she": "third", "it": "third", "they": "third"}
_WHO_NEGATES = re.compile(r"\b(i|we|you|he|she|it|they)(?:['’](?:m|re|s|ve|ll|d))?\s+(?:\w+\s+)?(?:not|never|cannot|"
                          r"\w+n['’]t|(?:ca|do|does|did|wo|is|are|was|were|has|have|had|could|should|would)nt|unable)\b",
                          re.I)  # "cant", "dont" typed without the apostrophe, but never "want" or "went"


def negation_person_problems(source: str, candidate: str) -> list[Problem]:
    """Who a negation is about changed: "i told them we can't go above 5%" -> "but they can't go above 5%"."""
    src = {_PERSON[m.group(1).lower()] for m in _WHO_NEGATES.finditer(source)}
    if not src:
        return []
    for m in _WHO_NEGATES.finditer(candidate):
        if _PERSON[m.group(1).lower()] not in src:
            return [Problem("changed", "person", _first(source, src), m.group())]
    return []


def _first(text: str, persons: set[str]) -> str:
    return next(m.group() for m in _WHO_NEGATES.finditer(text) if _PERSON[m.group(1).lower()] in persons)


def writes_in_lowercase(text: str) -> bool:
    """A writer who starts sentences in lowercase or writes "i": case tells no names apart there."""
    starts = re.findall(r"(?:^|[.!?]\s+|\n)\s*([A-Za-z])", text)
    lower = sum(c.islower() for c in starts)
    return bool(re.search(r"(?<![\w'’])i(?= |'|’)", text)) or (len(starts) > 0 and lower * 2 >= len(starts))


def lowercase_names(text: str) -> set[str]:
    """Names a lowercase writer wrote in lowercase: after a title ("mrs kowalski"), before a place or
    company word ("hollins farm", "wilson logistics", "brennan & co"), or greeted ("hi jess,")."""
    if not writes_in_lowercase(text):
        return set()
    out: set[str] = set()
    words = _words(text)
    for i, w in enumerate(words):
        if not w.isalpha() or w in _NOT_NAMES or len(w) < 3:
            continue
        prev = words[i - 1] if i else ""
        nxt = words[i + 1: i + 3]
        if prev in _TITLES or (nxt and nxt[0] in _PLACE_OR_COMPANY) or nxt[:2] == ["&", "co"]:
            out.add(w)
    greet = re.match(r"\s*(?:hi|hey|hello|dear|morning)\s+([a-z]{3,})\s*[,!]", text)
    if greet and greet.group(1) not in _NOT_NAMES:
        out.add(greet.group(1))
    return out


def lowercase_name_problems(source: str, candidate: str, names: Iterable[str]) -> list[Problem]:
    """A lowercase name of the source that the candidate lost."""
    have = {w.lower() for w in re.findall(r"[A-Za-z]+", candidate)}
    src = set(_words(source))
    for n in sorted(set(names) | lowercase_names(source)):
        if n in src and n not in have:
            return [Problem("dropped", "name", n)]
    return []

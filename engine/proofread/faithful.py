"""Whether a corrected sentence still says what the writer wrote: the shared faithfulness check
(engine/faithfulness/, mode "edit"), with the few differences a proofreading fix legitimately makes."""

from __future__ import annotations

import re


def faithful(original: str, corrected: str) -> bool:
    """The shared faithfulness check (engine/faithfulness/, mode "edit") passes: no name,
    number or negation changed, no content word swapped. A past participle our own rule put
    after "has/have/had" ("went" -> "gone"), or a base form after a modal or do ("will went" ->
    "will go"), is a form of the same verb, not a swap."""
    from ..faithfulness import check

    from .grammar import _PARTICIPLES

    report = check(original, corrected, "edit")
    if report.ok:
        return True
    from .verb_forms import with_base_forms

    based = with_base_forms(original)  # "will went" -> "will go", "didn't thought" -> "didn't think"
    if based != original and check(based, corrected, "edit").ok:
        return True
    low = original.lower()
    forms = {p for past, p in _PARTICIPLES.items() if re.search(rf"\b{past}\b", low)}
    words = re.findall(r"[\w'’]+", low)

    def respelled(text: str) -> bool:  # "tomorow" -> "tomorrow" is a spelling fix, not a new date
        return all(any(_close(w, o) for o in words) for w in re.findall(r"[\w'’]+", text.lower()))

    def tolerated(p) -> bool:
        if p.kind == "changed" and p.what == "word" and p.text.lower() in forms:
            return True
        if p.kind == "added" and respelled(p.text):
            return True
        # many small fixes in a short sentence lower the plain word overlap: compare respellings
        return p.kind == "task" and p.what == "other-text" and _fuzzy_overlap(original, corrected) >= 0.7

    return all(tolerated(p) for p in report.problems)


def _close(a: str, b: str) -> bool:
    import difflib

    return a == b or (min(len(a), len(b)) >= 3 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.75)


def _fuzzy_overlap(original: str, corrected: str) -> float:
    """Share of the corrected sentence's words that are an original word or a respelling of one."""
    before = re.findall(r"[\w'’]+", original.lower())
    after = re.findall(r"[\w'’]+", corrected.lower())
    if not after:
        return 0.0
    return sum(1 for w in after if any(_close(w, o) for o in before)) / len(after)

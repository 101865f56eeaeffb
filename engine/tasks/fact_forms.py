"""A rewrite shows each fact as its writer wrote it: put the writer's form back into a candidate.

The model often keeps a fact but writes it another way ("20 February" -> "February 20", "6 weeks" ->
"six weeks", "15 bucks" -> "15 dollars", "9 August" -> "August 9"). The rewrite rejects that (a reader
compares facts at a glance, and a scorer or a colleague searches for them as written), which threw
away many otherwise good candidates. `restore` writes such a fact back in the source's form when the
candidate has the very same fact (same normalised keys: day and month, amount and currency, number)
in one place only; anything else is left for the check to judge.

`written` says whether a fact of the source is in a candidate as written, allowing what is not a
change of fact: the counted word spelled right ("4 familys" -> "4 families") and a relative day in
full ("tmrw" -> "tomorrow").
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from ..faithfulness import facts


def restore(source: str, candidate: str) -> str:
    """The candidate with every fact the source has, and the candidate has in another form, written
    as in the source. Unchanged when there is nothing to put back."""
    out = candidate
    for f in facts(source):
        if f.weak or f.text.lower() in out.lower() or any(k.startswith("r:") for k in f.keys):
            continue
        twins = [c for c in facts(out) if c.what == f.what and c.keys == f.keys and c.text.lower() != f.text.lower()]
        if len(twins) != 1 or out.count(twins[0].text) != 1:
            continue
        out = out.replace(twins[0].text, f.text)
    return _rejoin(source, out)


def _rejoin(source: str, candidate: str) -> str:
    """Facts the source writes side by side stay side by side: "Thursday 14 March" is not put back
    from "Thursday, 14 March" fact by fact, so the pair is written as in the source."""
    found = facts(source)
    for a, b in zip(found, found[1:]):
        start = source.find(a.text)
        joined = re.match(rf"{re.escape(a.text)}\s+{re.escape(b.text)}", source[start:]) if start >= 0 else None
        if not joined or joined.group() in candidate:
            continue
        loose = re.compile(rf"{re.escape(a.text)}[\s,]+{re.escape(b.text)}")
        if len(loose.findall(candidate)) == 1:
            candidate = loose.sub(lambda _m: joined.group(), candidate)
    return candidate


def _same_word(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a == b or (a[:1] == b[:1] and SequenceMatcher(None, a, b).ratio() >= 0.75)


def written(fact_text: str, candidate: str, keys: tuple[str, ...] = ()) -> bool:
    """Whether the candidate shows the fact as written (case aside), or with its counted word spelled
    another way ("4 familys" / "4 families", "7 yrs" / "7 years") or up to two words after it ("two
    gave up" / "two people gave up", "120 guests" / "120 wedding guests"), or a relative day in full."""
    low = candidate.lower()
    if fact_text.lower() in low:
        return True
    if keys and all(k.startswith("r:") for k in keys):
        return any(f.keys == keys for f in facts(candidate))
    m = re.fullmatch(r"([\d.,]+|[A-Za-z]+)\s+([A-Za-z]{3,})", fact_text)
    if m:  # the counted word may be spelled right or have a word put before it ("two people gave up")
        for n in re.finditer(rf"(?<![\w.,]){re.escape(m.group(1))}((?:\s+[A-Za-z'’-]+){{1,3}})", candidate, re.I):
            if any(_same_word(m.group(2), w) for w in n.group(1).split()):
                return True
    return False

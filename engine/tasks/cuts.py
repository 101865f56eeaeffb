"""Concise by deletion: shorter versions of a sentence made only by removing words from it.

Nothing is reworded, so every fact (name, number, date, time, price, URL) and every negation of the
sentence survives by construction: a span that holds one is never a cut. A cut is a word or a
clause that adds emphasis, hedging or commentary but no fact:
- modifiers: intensifiers and stance adverbs ("extremely", "unfortunately", "also", "exactly");
- openers: a discourse marker at the start ("However,", "On balance,", "Just a reminder that");
- clauses: a comment or reason after a comma (", which I love", ", since the same thing happened
  with my last order"), never one with a fact, a negation, a complaint or a comparison in it
  ("as they turn mushy" says what goes wrong; "slightly fewer than" compares).
`candidates` gives the sentence with each cut, with all word cuts, and with all cuts at once; the
caller checks each with the shared faithfulness check and the model's fluency (rewrite.py), and
the shortest that passes wins (choose.py).
"""

from __future__ import annotations

import re

from ..faithfulness import facts
from ..faithfulness.negation import negations

# Words that add emphasis or stance, no fact. "only", "still", "just", "at least", "nearly", "almost",
# "slightly", "again" and the like limit or measure what they touch, so they are never cut.
_MODIFIERS = re.compile(
    r"\b(?:also|extremely|incredibly|absolutely|completely|totally|entirely|truly|genuinely|personally|"
    r"unfortunately|fortunately|luckily|sadly|frankly|honestly|seriously|clearly|obviously|simply|"
    r"exactly|highly|fairly|happily|currently|already|definitely|certainly|surely|actually|basically|"
    r"essentially|literally|really|quite|very|just|kindly|of course|in fact|indeed|anyway)\b,?",
    re.I,
)
# before these the word measures something and stays: "just under", "so many", "very few", "pretty much"
_MEASURED = re.compile(r"\s*(?:under|over|before|after|about|below|above|enough|in time|now|many|much|few|little|"
                       r"that|far|long|late|early|soon|as|the same)\b|\s*[\d$€£]", re.I)
_OPENERS = re.compile(
    r"^(?:however|also|anyway|besides|additionally|in addition|moreover|furthermore|on balance|overall|"
    r"as you know|as mentioned|as i said|by the way|btw|fyi|just a (?:quick )?(?:reminder|note|heads up)(?: that)?|"
    r"(?:a )?(?:quick )?reminder(?: that)?|to be honest|honestly|basically|in short|in general|generally|"
    r"all in all|at the end of the day|for what it'?s worth|first of all|to start with)\b[,:]?\s+",
    re.I,
)
# a comment or a reason after a comma, up to the next comma or the end
_CLAUSE = re.compile(r",\s*(?:which|since|as|because|given that|seeing as|so that)\b[^,;:()]*", re.I)
# a clause with one of these says what is wrong or how much: it carries the writer's point
_PROTECTED = re.compile(
    r"\b(?:problem|issue|fault|broke|broken|crack|leak|late|delay|wrong|error|bug|fail|poor|bad|worse|worst|"
    r"terrible|awful|horrible|annoy|disappoint|rude|slow|loud|noisy|cold|dirty|cheap|expensive|overpriced|"
    r"mushy|soggy|burn|hurt|pain|sick|ill|miss|lost|lose|only|fewer|less|more|most|least|than|too|until|"
    r"unless|except|if|but|risk|danger|warn|careful|urgent|overdue|due|must|need|have to|required|confus|"
    r"unclear|difficult|hard|complain|refund|cancel|stop|sorry|downside)\w*",
    re.I,
)


def _free(text: str) -> bool:
    """Whether a span may go: no fact, no negation, no complaint, comparison, condition or limit."""
    return not facts(text) and not negations(text) and not _PROTECTED.search(text)


def spans(sentence: str) -> list[tuple[int, int, str]]:
    """The cuts of a sentence as (start, end, kind): kind "word", "opener" or "clause"."""
    out: list[tuple[int, int, str]] = []
    m = _OPENERS.match(sentence)
    if m and _free(m.group()):
        out.append((m.start(), m.end(), "opener"))
    for m in _CLAUSE.finditer(sentence):
        if _free(m.group()) and len(m.group().split()) >= 2:
            out.append((m.start(), m.end(), "clause"))
    for m in _MODIFIERS.finditer(sentence):
        if _MEASURED.match(sentence, m.end()) or any(a <= m.start() < b for a, b, _ in out):
            continue
        if re.match(r"\s*n['’]?t\b|\s+not\b", sentence[m.end():]) or re.search(r"\b(?:not|n't|never)\s*$", sentence[: m.start()]):
            continue  # "not very good" keeps its "very": dropping it would change the claim
        out.append((m.start(), m.end(), "word"))
    return out


def _tidy(text: str, original: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r",([.!?])", r"\1", text)
    text = text.strip().lstrip(",;: ")
    if original[:1].isupper() and text[:1].islower():
        text = text[:1].upper() + text[1:]
    end = re.search(r"[.!?]+$", original.strip())
    if end and not re.search(r"[.!?]$", text):
        text = text.rstrip(",;: ") + end.group()
    return text


def cut(sentence: str, chosen: list[tuple[int, int, str]]) -> str:
    out, pos = [], 0
    for a, b, _ in sorted(chosen):
        if a < pos:
            continue
        out.append(sentence[pos:a])
        pos = b
    out.append(sentence[pos:])
    return _tidy(" ".join(part.strip() for part in out if part.strip()) if len(out) > 1 else out[0], sentence)


def candidates(sentence: str, limit: int = 8) -> list[str]:
    """Shorter versions of the sentence, each only a deletion: every cut alone, all word cuts together,
    each clause with all word cuts, and everything at once. Longest-first order is not promised."""
    found = spans(sentence)
    if not found:
        return []
    words = [s for s in found if s[2] != "clause"]
    clauses = [s for s in found if s[2] == "clause"]
    sets: list[list[tuple[int, int, str]]] = [found]
    sets += [words + [c] for c in clauses]
    if words:
        sets.append(words)
    sets += [[s] for s in found]
    out: list[str] = []
    for chosen in sets:
        text = cut(sentence, chosen)
        if text and text != sentence and text not in out and len(text.split()) >= 2:
            out.append(text)
    return out[:limit]

"""Concise: sentences that only keep the conversation polite (phatic) and carry nothing else.

"I hope you are well.", "Let me know if you have any questions.", "Thanks in advance.", "Looking
forward to hearing from you." say nothing the reader acts on; a "Concise" button is expected to
drop them. Only whole sentences that match a pattern below go, and only when they hold no fact
(name, number, date, time, price), no negation, and another prose sentence of the text stays, so
the text never becomes empty. "Please don't hesitate to contact me" holds a negation and stays;
"Thank you for the proposal from Northgate" is not a pattern and stays (it says what is thanked for).
The line a sentence stood on goes with it when nothing else is on that line.
"""

from __future__ import annotations

import re

from ..faithfulness import facts, negations
from .structure import Piece

_END = r"\s*[.!]*\s*$"
_PATTERNS = [
    # greetings
    (r"(?:i )?hope (?:you(?:'re|’re| are)(?: all)? (?:(?:doing|keeping) )?(?:well|good|fine)|"
    r"(?:this|my) (?:e-?mail|message|note) finds you (?:well|in good health)|"
    r"you (?:had|have had|are having|'re having|’re having) a (?:good|great|nice|lovely) (?:weekend|week|day|break|holiday))"
    r"(?: and (?:doing )?well)?"),
    # closings: an offer to answer, thanks ahead of time, looking forward, well-wishing
    r"(?:please )?(?:let me know|tell me) if you have any (?:other |further |more )?questions",
    r"(?:please )?(?:feel free to|do) (?:get in touch|reach out|contact (?:me|us))(?: if you have any (?:other |further )?questions)?",
    r"(?:many )?thanks in advance(?: for your (?:help|time|understanding))?",
    r"thank you in advance(?: for your (?:help|time|understanding))?",
    r"(?:i(?:'m|’m| am) )?looking forward to hearing from you(?: soon)?",
    r"i look forward to (?:hearing from you|your reply|your response)(?: soon)?",
    r"(?:i )?hope (?:this|that) helps",
    r"have a (?:great|nice|good|lovely) (?:day|weekend|week|evening)",
]
_PHATIC = re.compile(r"^\s*(?:" + "|".join(_PATTERNS) + ")" + _END, re.I)


def is_phatic(sentence: str) -> bool:
    """Whether a sentence only greets, offers help or thanks ahead of time, with no fact or negation."""
    return _PHATIC.match(sentence) is not None and not facts(sentence) and not negations(sentence)


def leave_out(pieces: list[Piece], out: list[str], notes: dict) -> list[int]:
    """Blank out (in `out`) every phatic prose sentence while another prose sentence stays, with the
    space after it, or its whole line (and one blank line, when the line was a paragraph by itself)
    when nothing else stands on that line. Records a note per dropped sentence; returns their indices."""
    rewritable = [i for i, p in enumerate(pieces) if p.rewritable and out[i]]
    drop = [i for i in rewritable if is_phatic(pieces[i].text)]
    if len(drop) == len(rewritable):  # a text of nothing but pleasantries stays as it is
        return []
    for i in drop:
        a, b = _line(pieces, i)
        others = [j for j in range(a, b + 1) if j != i and out[j].strip() and pieces[j].role != "space"
                  and j not in drop]
        out[i] = ""
        if others:
            if i + 1 <= b and pieces[i + 1].role == "space" and "\n" not in pieces[i + 1].text:
                out[i + 1] = ""
            elif i - 1 >= a and pieces[i - 1].role == "space":
                out[i - 1] = ""
        elif not any(out[j].strip() for j in range(a, b + 1)):
            for j in range(a, b + 1):
                out[j] = ""
            before = a - 1 >= 0 and pieces[a - 1].role == "blank" and out[a - 1]
            after = b + 1 < len(pieces) and pieces[b + 1].role == "blank" and out[b + 1]
            if before and (after or b + 1 >= len(pieces)):
                out[a - 1] = ""
            elif after and a == 0:
                out[b + 1] = ""
        notes[i] = ("rewritten", "", "edit: a pleasantry with no fact left out")
    return drop


def _line(pieces: list[Piece], i: int) -> tuple[int, int]:
    """The first and last piece index of the line piece i stands on (the last holds its newline)."""
    a = i
    while a > 0 and "\n" not in pieces[a - 1].text:
        a -= 1
    b = i
    while b < len(pieces) - 1 and "\n" not in pieces[b].text:
        b += 1
    return a, b

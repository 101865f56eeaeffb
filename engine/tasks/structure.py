"""Split a text into what passes through untouched and the sentences a rewrite may change.

Salutation and sign-off lines (and the name and title lines under a sign-off), blank lines,
headings, code blocks, tables, list markers, quote markers, lines that are only a URL or emoji,
and the spaces between sentences pass through as written; only prose sentences are handed to the
model. Joining every piece's text gives back the input exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..textsplit import split_sentences


@dataclass
class Piece:
    text: str
    rewritable: bool = False
    paragraph: int = 0  # index of the blank-line separated block it belongs to
    role: str = ""  # why it passes through: salutation, sign-off, signature, heading, list-marker, ...


SALUTATION = re.compile(
    r"^\s*(?:hi|hello|hey|hiya|dear|good (?:morning|afternoon|evening)|greetings|to whom it may concern|"
    r"morning|evening|hi there|hey there|hello there)\b(?:[^.!?\n]|\b(?:Mr|Mrs|Ms|Dr|Prof|St|Mx)\.){0,60}[,:!.]?\s*$",
    re.I,
)
SIGN_OFF = re.compile(
    r"^\s*(?:thanks|thank you|thanks again|many thanks|thanks so much|best|all the best|best wishes|regards|"
    r"kind regards|best regards|warm regards|warmly|warm wishes|cheers|sincerely|yours(?: sincerely| truly| faithfully)?|"
    r"talk soon|speak soon|love|take care|with thanks|respectfully|see you(?: soon)?)\b[^.!?\n]{0,20}[,.!]?\s*$",
    re.I,
)
_LIST = re.compile(r"^(\s*(?:[-*+•‣–]|\d{1,3}[.)]|[a-z][.)])\s+(?:\[[ xX]\]\s+)?)")
_QUOTE = re.compile(r"^(\s*>+\s?)")
_HEADING = re.compile(r"^\s*#{1,6}\s")
_TABLE = re.compile(r"^\s*\|")
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_URL_ONLY = re.compile(r"^\s*(?:<?(?:https?://|www\.)\S+>?|\S+@\S+\.\w+)\s*$")
# emoji, pictographs, dingbats, variation selectors and joiners
_EMOJI = r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D\u2190-\u21FF\u2300-\u23FF]"
_ONLY_SYMBOLS = re.compile(rf"^[\s{_EMOJI[1:-1]}\W\d]*$")
_EDGE = re.compile(rf"^(\s*(?:{_EMOJI}+\s*)*)(.*?)(\s*(?:{_EMOJI}+\s*)*)$", re.S)


def _signature_line(line: str) -> bool:
    """A name or title line under a sign-off: short, no sentence punctuation."""
    s = line.strip()
    return 0 < len(s.split()) <= 5 and not re.search(r"[.!?]$", s) and not SALUTATION.match(s)


def split(text: str) -> list[Piece]:
    pieces: list[Piece] = []
    paragraph = 0
    in_fence = False
    after_sign_off = False
    prev_blank = True
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        end = line[len(body):]
        if not body.strip():
            pieces.append(Piece(line, paragraph=paragraph, role="blank"))
            if not prev_blank:
                paragraph += 1
            prev_blank = True
            continue
        prev_blank = False

        def keep(role: str) -> None:
            pieces.append(Piece(line, paragraph=paragraph, role=role))

        if _FENCE.match(body):
            in_fence = not in_fence
            keep("code")
            continue
        if in_fence:
            keep("code")
            continue
        if after_sign_off and _signature_line(body):
            keep("signature")
            continue
        if SIGN_OFF.match(body) and len(body.split()) <= 5:
            after_sign_off = True
            keep("sign-off")
            continue
        after_sign_off = False
        if SALUTATION.match(body) and len(body.split()) <= 7:
            keep("salutation")
            continue
        if _HEADING.match(body) or _TABLE.match(body) or _URL_ONLY.match(body) or _ONLY_SYMBOLS.match(body):
            keep("heading" if _HEADING.match(body) else "symbols")
            continue
        prefix = ""
        for rx in (_QUOTE, _LIST):
            m = rx.match(body[len(prefix):])
            if m:
                prefix += m.group(1)
        if prefix:
            pieces.append(Piece(prefix, paragraph=paragraph, role="marker"))
        _prose(body[len(prefix):], paragraph, pieces)
        if end:
            pieces.append(Piece(end, paragraph=paragraph, role="space"))
    return pieces


def _prose(body: str, paragraph: int, pieces: list[Piece]) -> None:
    m = _EDGE.match(body)
    lead, core, tail = m.group(1), m.group(2), m.group(3)
    if lead:
        pieces.append(Piece(lead, paragraph=paragraph, role="emoji"))
    pos = 0
    for s, e in _sentences(core):
        if s > pos:
            pieces.append(Piece(core[pos:s], paragraph=paragraph, role="space"))
        sentence = core[s:e]
        # trailing emoji of a sentence pass through; a sentence too small to rewrite does too
        em = _EDGE.match(sentence)
        if em.group(1):
            pieces.append(Piece(em.group(1), paragraph=paragraph, role="emoji"))
        words = len(re.findall(r"[A-Za-z]+", em.group(2)))
        pieces.append(Piece(em.group(2), rewritable=words >= 3, paragraph=paragraph, role="" if words >= 3 else "short"))
        if em.group(3):
            pieces.append(Piece(em.group(3), paragraph=paragraph, role="emoji"))
        pos = e
    if pos < len(core):
        pieces.append(Piece(core[pos:], paragraph=paragraph, role="space"))
    if tail:
        pieces.append(Piece(tail, paragraph=paragraph, role="emoji"))


def _sentences(core: str) -> list[tuple[int, int]]:
    """Sentence spans; a long run typed without capitals ("ok so. then we...") is also split where a
    sentence mark is followed by a space, so the model gets one sentence at a time."""
    out = []
    for s, e in split_sentences(core):
        if len(core[s:e].split()) <= 25:
            out.append((s, e))
            continue
        start = s
        for m in re.finditer(r"(?<=[a-z0-9)][.!?])\s+(?=[a-z])", core[s:e]):
            cut = s + m.start()
            if len(core[start:cut].split()) >= 4:
                out.append((start, cut))
                start = s + m.end()
        out.append((start, e))
    return out


def join(pieces: list[Piece]) -> str:
    return "".join(p.text for p in pieces)

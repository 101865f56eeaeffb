"""Choose the sentences of a document that matter, keeping where each one is.

Every source sentence carries its character span in the loaded document text, so whatever the
model later writes from it can point back to it. A sentence's score mixes its position (openings
carry the gist in news and how-to texts), its centrality (how much of the document's vocabulary
it shares: TF-IDF cosine with the rest of the text) and the words of its section heading. The
weights were measured on WikiLingua dev (docs/summarize.md).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from ..proofread.align import FUNCTION_WORDS
from ..textsplit import split_sentences

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d.,:/%-]*")
MIN_WORDS = 4  # shorter lines (headings, labels, sign-offs) are never chosen on their own

# how much each feature counts (measured, see docs/summarize.md)
POSITION_WEIGHT = 0.25
CENTRALITY_WEIGHT = 1.0
HEADING_WEIGHT = 0.3


@dataclass(frozen=True)
class Sentence:
    start: int  # character offsets into the document text
    end: int
    text: str
    index: int  # order in the document
    section: int = 0  # which part (heading) it belongs to

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


def stem(word: str) -> str:
    """A crude suffix stripper, enough to let 'applies' meet 'apply' when comparing sentences."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in ("ingly", "edly", "ing", "ies", "ied", "es", "ed", "ly", "s"):
        if len(w) - len(suffix) >= 3 and w.endswith(suffix):
            w = w[: -len(suffix)]
            break
    return w


def content_words(text: str) -> list[str]:
    """Stemmed content words (no function words, no one-letter words); numbers are kept whole."""
    out = []
    for w in _WORD.findall(text):
        lw = w.lower()
        if lw in FUNCTION_WORDS or (len(lw) < 2 and not lw.isdigit()):
            continue
        out.append(lw.rstrip(".,:") if lw[0].isdigit() else stem(lw))
    return out


def source_sentences(text: str, section_starts: Sequence[int] = ()) -> list[Sentence]:
    """The document's sentences with their spans (list items and headings are lines of their own)."""
    starts = sorted(section_starts)
    out: list[Sentence] = []
    sec = 0
    for s, e in split_sentences(text):
        while sec < len(starts) and starts[sec] <= s:
            sec += 1
        out.append(Sentence(s, e, text[s:e], len(out), max(0, sec - 1) if starts else 0))
    return out


def choosable(s: Sentence) -> bool:
    """Sentences worth showing: enough words, not a heading or a bare label line."""
    words = s.text.split()
    return len(words) >= MIN_WORDS and not s.text.lstrip().startswith("#")


def _vectors(sentences: Sequence[Sentence]) -> tuple[list[Counter], dict[str, float]]:
    bags = [Counter(content_words(s.text)) for s in sentences]
    df: Counter = Counter()
    for b in bags:
        df.update(b.keys())
    n = len(sentences)
    idf = {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in df.items()}
    return bags, idf


def _cosine(a: Counter, b: Counter, idf: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b[w] * idf.get(w, 1.0) ** 2 for w, v in a.items() if w in b)
    na = math.sqrt(sum((v * idf.get(w, 1.0)) ** 2 for w, v in a.items()))
    nb = math.sqrt(sum((v * idf.get(w, 1.0)) ** 2 for w, v in b.items()))  # a heading's words may be new
    return dot / (na * nb) if na and nb else 0.0


def scores(sentences: Sequence[Sentence], headings: Sequence[str] = (),
           position: float = POSITION_WEIGHT, centrality: float = CENTRALITY_WEIGHT,
           heading: float = HEADING_WEIGHT) -> list[float]:
    """One score per sentence (higher matters more); unchoosable sentences score -1."""
    if not sentences:
        return []
    bags, idf = _vectors(sentences)
    total: Counter = Counter()
    for b in bags:
        total.update(b)
    heads = [Counter(content_words(h)) for h in headings]
    first_in_section: dict[int, int] = {}
    for s in sentences:
        first_in_section.setdefault(s.section, s.index)
    out = []
    for s, bag in zip(sentences, bags):
        if not choosable(s):
            out.append(-1.0)
            continue
        rest = total.copy()
        rest.subtract(bag)
        rest = +rest
        cen = _cosine(bag, rest, idf)
        rank = s.index - first_in_section[s.section]  # position inside its section
        pos = 1.0 / math.sqrt(1 + rank)
        head = 0.0
        if s.section < len(heads) and heads[s.section]:
            head = _cosine(bag, heads[s.section], idf)
        out.append(centrality * cen + position * pos + heading * head)
    return out


def select(sentences: Sequence[Sentence], k: int, headings: Sequence[str] = (),
           max_similar: float = 0.6, **weights) -> list[Sentence]:
    """The k best sentences, in document order, skipping one that mostly repeats a chosen one."""
    sc = scores(sentences, headings, **weights)
    bags, idf = _vectors(sentences)
    order = sorted(range(len(sentences)), key=lambda i: -sc[i])
    chosen: list[int] = []
    for i in order:
        if len(chosen) >= k or sc[i] < 0:
            break
        if any(_cosine(bags[i], bags[j], idf) > max_similar for j in chosen):
            continue
        chosen.append(i)
    return [sentences[i] for i in sorted(chosen)]

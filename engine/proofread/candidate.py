"""What a grammar rule proposes (`Candidate`), and the word pattern the rules split a sentence with."""

from __future__ import annotations

import re
from dataclasses import dataclass

WORDS = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    word: str
    replacement: str
    sure: bool
    rule: str  # which rule proposed it (kept in benchmarks to measure what helps)


def _case(like: str, word: str) -> str:
    return word[0].upper() + word[1:] if like[:1].isupper() else word


def split_words(sentence: str) -> list[tuple[str, int, int]]:
    """(word, start, end) for each word of the sentence."""
    return [(m.group(), m.start(), m.end()) for m in WORDS.finditer(sentence)]


def joined(sentence: str, words, k: int) -> bool:
    """Words k and k+1 are separated by spaces only (no punctuation between them)."""
    return 0 <= k and k + 1 < len(words) and not sentence[words[k][2] : words[k + 1][1]].strip()

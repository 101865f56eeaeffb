"""Mechanical fixes that need no model: the pronoun "i", a sentence's first capital letter and
an accidentally doubled word ("the the")."""

from __future__ import annotations

import re

from .spelling import Suggestion

# Words that are almost never meant twice in a row ("you you" or "that that" can be right).
_NEVER_TWICE = {"the", "a", "an", "to", "of", "in", "on", "at", "for", "with", "by", "and", "or", "but",
                "must", "will", "can", "should", "would", "be", "are", "was", "were", "have", "has", "my", "your", "their"}


def mechanical_fixes(sentence: str, protected: list[tuple[int, int]], capitalize_start: bool = True,
                     end_of_line: bool = False) -> list[Suggestion]:
    """Suggestions (offsets relative to `sentence`) sorted by position, never inside `protected`.
    `capitalize_start`: prose, not a list item or heading; `end_of_line`: the sentence ends its
    line, so a missing full stop can be added (only to prose of 5+ words ending in a letter)."""
    out: list[Suggestion] = []

    def free(s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in protected)

    first = re.match(r"[a-z][a-z']*\b", sentence)
    if capitalize_start and first and free(first.start(), first.end()) and first.group() != "i":
        word = first.group()
        out.append(Suggestion(0, len(word), word, word[0].upper() + word[1:]))
    for m in re.finditer(r"(?<![\w'’-])i(?![\w'’-])|(?<![\w'’-])i(?=['’](?:m|ve|ll|d)\b)", sentence):
        if free(m.start(), m.end()):
            out.append(Suggestion(m.start(), m.end(), "i", "I"))
    for m in re.finditer(r"\b([A-Za-z]+)\s+(\1)\b", sentence):
        if m.group(1).lower() in _NEVER_TWICE and free(m.start(), m.end()):
            out.append(Suggestion(m.start(), m.start(2), m.group()[: m.start(2) - m.start()], ""))
    if capitalize_start and end_of_line and len(sentence.split()) >= 5 and re.search(r"[A-Za-z]$", sentence):
        if free(len(sentence) - 1, len(sentence)):
            out.append(Suggestion(len(sentence), len(sentence), "", "."))
    return sorted(out, key=lambda s: s.start)

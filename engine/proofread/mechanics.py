"""Mechanical fixes that need no model: the pronoun "i", a sentence's first capital letter and
an accidentally doubled word ("the the")."""

from __future__ import annotations

import re

from .spelling import Suggestion

_DOUBLE_OK = {"had", "that", "is", "do", "bye", "very", "so", "far", "no", "yes", "ha", "knock", "again"}


def mechanical_fixes(sentence: str, protected: list[tuple[int, int]], capitalize_start: bool = True) -> list[Suggestion]:
    """Suggestions (offsets relative to `sentence`) sorted by position, never inside `protected`."""
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
        if m.group(1).lower() not in _DOUBLE_OK and free(m.start(), m.end()):
            out.append(Suggestion(m.start(), m.start(2), m.group()[: m.start(2) - m.start()], ""))
    return sorted(out, key=lambda s: s.start)

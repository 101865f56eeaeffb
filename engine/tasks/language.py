"""A cheap language guard: is the answer in the same script and language family as the input?

Small models sometimes answer an English request in Chinese, or translate a French text into
English. We compare the dominant Unicode script and, for Latin-script text, the share of very
common English function words. No model, no dependency: a few microseconds per check.
"""

from __future__ import annotations

import re
import unicodedata

_EN = set("the a an and or but of to in on at for with is are was were be been it this that i you he she we they not have has had do does did my your our their".split())


def script(text: str) -> str:
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            key = name.split(" ")[0] if name else "?"
            counts[key] = counts.get(key, 0) + 1
    return max(counts, key=counts.get) if counts else ""


def english_share(text: str) -> float:
    words = re.findall(r"[a-zA-Z']+", text.lower())
    return sum(w in _EN for w in words) / len(words) if words else 0.0


def same_language(original: str, answer: str) -> bool:
    if len(original.split()) < 4:
        return True  # too short to judge
    if script(original) != script(answer):
        return False
    a, b = english_share(original), english_share(answer)
    return not ((a < 0.08 and b > 0.2) or (a > 0.2 and b < 0.05))

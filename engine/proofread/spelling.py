"""The dictionary spelling layer: find non-words and suggest the likeliest real word.

The word list is symspellpy's bundled English frequency dictionary (82,765 words with corpus
counts, shipped inside the PyPI wheel, so it works on a fresh machine with nothing else
installed). If Debian's Hunspell en_US list is present (apt package `hunspell-en-us`) its words
count as known too, which keeps rarer correct words from being "fixed".

Conservative on purpose: only lowercase (or sentence-initial) alphabetic words the dictionaries
do not know are touched, never names in mid-sentence, acronyms, words with digits, or words in
the user's personal dictionary.
"""

from __future__ import annotations

import importlib.resources
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

HUNSPELL_PATHS = (Path("/usr/share/hunspell/en_US.dic"), Path("/usr/share/myspell/dicts/en_US.dic"))
WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
# Contractions people type without the apostrophe; the frequency list counts some as words.
_APOSTROPHE = {
    "dont": "don't", "doesnt": "doesn't", "didnt": "didn't", "cant": "can't", "wont": "won't",
    "isnt": "isn't", "arent": "aren't", "wasnt": "wasn't", "werent": "weren't", "havent": "haven't",
    "hasnt": "hasn't", "couldnt": "couldn't", "shouldnt": "shouldn't", "wouldnt": "wouldn't",
    "im": "I'm", "ive": "I've", "thats": "that's", "theyre": "they're", "youre": "you're",
}

_lock = threading.Lock()
_shared: "Speller | None" = None


@dataclass(frozen=True)
class Suggestion:
    start: int
    end: int
    word: str
    replacement: str


class Speller:
    def __init__(self) -> None:
        from symspellpy import SymSpell

        self._sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=5)
        path = importlib.resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
        with importlib.resources.as_file(path) as p:
            self._sym.load_dictionary(str(p), term_index=0, count_index=1, encoding="utf-8")
        self.known: set[str] = set(self._sym.words)
        for dic in HUNSPELL_PATHS:
            if dic.exists():
                self.known.update(_hunspell_words(dic))
                break

    def is_known(self, word: str, personal: frozenset[str] = frozenset()) -> bool:
        w = word.lower().replace("’", "'")
        return w in self.known or w in personal or w.replace("'", "") in self.known

    def correct(self, word: str) -> str | None:
        """The best real word for a non-word, or None when there is no confident suggestion."""
        from symspellpy import Verbosity

        low = word.lower()
        if low in _APOSTROPHE:
            fixed = _APOSTROPHE[low]
        else:
            if len(low) < 3:
                return None
            limit = 1 if len(low) < 5 else 2
            found = self._sym.lookup(low, Verbosity.CLOSEST, max_edit_distance=limit)
            if not found:
                return None
            fixed = found[0].term
        if word[0].isupper():
            fixed = fixed[0].upper() + fixed[1:]
        return fixed

    def check(self, sentence: str, personal: Iterable[str] = (), protected: Iterable[tuple[int, int]] = ()) -> list[Suggestion]:
        """Suggestions for the non-words of one sentence (offsets relative to `sentence`)."""
        mine = frozenset(w.lower() for w in personal)
        shields = list(protected)
        out = []
        first = True
        for m in WORD.finditer(sentence):
            word = m.group()
            sentence_start, first = first, False
            if any(s < m.end() and m.start() < e for s, e in shields):
                continue
            if _glued_to_symbol(sentence, m.start(), m.end()):
                continue  # part of an identifier, path, handle or number: not prose
            if word.isupper() and len(word) > 1:
                continue  # acronym
            if word[0].isupper() and not sentence_start:
                continue  # a name
            if any(c.isupper() for c in word[1:]):
                continue  # camelCase, McDonald
            if self.is_known(word, mine):
                if word.lower() not in _APOSTROPHE or word.lower() in mine:
                    continue
            fixed = self.correct(word)
            if fixed and fixed != word:
                out.append(Suggestion(m.start(), m.end(), word, fixed))
        return out


def _glued_to_symbol(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return before in "_@#/\\=<" or after in "_@/\\=>" or before.isdigit() or after.isdigit()


def _hunspell_words(path: Path) -> set[str]:
    words = set()
    with open(path, encoding="latin-1", errors="replace") as f:
        next(f, None)  # the first line is the word count
        for line in f:
            w = line.split("/", 1)[0].strip()
            if w and w.isascii():
                words.add(w.lower())
    return words


def speller() -> Speller:
    """The process-wide speller (the dictionary loads once, in about a second)."""
    global _shared
    with _lock:
        if _shared is None:
            _shared = Speller()
        return _shared

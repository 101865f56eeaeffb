"""The dictionary spelling layer: find non-words and suggest the likeliest real word.

Suggestions come from symspellpy's bundled English frequency dictionary (82,765 words with
corpus counts); the set of *known* words adds pyspellchecker's English list (160,000 words
with inflections), so rarer correct words (math, airplanes, gelatinized) are not "fixed". Both
ship inside their PyPI wheels: nothing else to install. If Debian's Hunspell en_US list is
present (apt package `hunspell-en-us`) its words count as known too.

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

# Informal words and chat abbreviations people mean as written: not mistakes.
INFORMAL = {"pls", "plz", "thx", "thanx", "tmrw", "tmr", "btw", "lol", "omg", "idk", "imo", "imho", "asap", "fyi",
            "tbh", "np", "ty", "brb", "gonna", "wanna", "gotta", "kinda", "sorta", "ok", "okay", "yeah", "yep", "nope",
            "hmm", "haha", "lmk", "irl", "dm", "pm", "msg", "cuz", "coz", "ya", "yup", "ur", "u", "abt", "b4",
            "min", "mins", "hr", "hrs", "sec", "secs", "approx", "pic", "pics", "info", "w"}
# A word right after a title, or right before a place word, is a name ("mrs kowalski", "hollins farm").
TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "uncle", "aunt", "auntie", "st", "saint", "lord", "lady"}
PLACE_WORDS = {"farm", "street", "st", "road", "rd", "lane", "avenue", "ave", "park", "hill", "house", "hall", "bridge",
               "square", "station", "college", "school", "university", "hotel", "cafe", "café", "restaurant", "river",
               "lake", "beach", "bay", "close", "court", "drive", "way", "gardens", "centre", "center", "market",
               "inc", "ltd", "llc", "gmbh", "corp", "co", "labs", "group", "airport", "hospital", "clinic"}

# Words that come before a place's own name ("ben nevis", "loch ness", "mount tabor"): an unknown
# word right after one is the name, not a slip.
PLACE_BEFORE = {"ben", "loch", "lough", "glen", "mount", "mt", "lake", "cape", "isle", "port", "fort", "camp", "via"}

_lock = threading.Lock()
_shared: "Speller | None" = None


@dataclass(frozen=True)
class Suggestion:
    start: int
    end: int
    word: str
    replacement: str


INDEX_FORMAT = 1  # bump when the cached index's layout changes


class Speller:
    def __init__(self, cache: bool = True) -> None:
        from symspellpy import SymSpell

        self._sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=5)
        self._pairs: dict[str, int] | None = None
        self.loaded_from_cache = cache and self._load_cache()
        if not self.loaded_from_cache:
            self._build()
            if cache:
                self._save_cache()

    # -- the index: built from the public word lists, cached under the user cache folder -----
    def _build(self) -> None:
        path = importlib.resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
        with importlib.resources.as_file(path) as p:
            self._sym.load_dictionary(str(p), term_index=0, count_index=1, encoding="utf-8")
        self.known: set[str] = set(self._sym.words)
        from spellchecker import SpellChecker

        self.known.update(SpellChecker(language="en", distance=1).word_frequency.dictionary.keys())
        for dic in HUNSPELL_PATHS:
            if dic.exists():
                self.known.update(_hunspell_words(dic))
                break

    @staticmethod
    def cache_file() -> Path:
        """Where the built index is kept: only public word lists go in it, nothing personal.
        The name carries the word lists' versions, so an upgrade rebuilds it."""
        from importlib.metadata import PackageNotFoundError, version

        from ..paths import cache_dir

        parts = [f"f{INDEX_FORMAT}"]
        for pkg in ("symspellpy", "pyspellchecker"):
            try:
                parts.append(f"{pkg}-{version(pkg)}")
            except PackageNotFoundError:
                parts.append(f"{pkg}-none")
        for dic in HUNSPELL_PATHS:
            if dic.exists():
                st = dic.stat()
                parts.append(f"hunspell-{st.st_size}-{int(st.st_mtime)}")
                break
        return cache_dir() / ("spelling-" + "_".join(parts) + ".marshal")

    def _load_cache(self) -> bool:
        import marshal
        from collections import defaultdict

        try:
            data = marshal.loads(self.cache_file().read_bytes())  # plain containers only, no code runs
            sym = self._sym
            sym._deletes = defaultdict(list, data["deletes"])
            sym._words = data["words"]
            sym._max_length = data["max_length"]
            self.known = set(data["known"])
            return True
        except Exception:  # absent, unreadable or from another version: rebuild
            return False

    def _save_cache(self) -> None:
        import marshal
        import os

        try:
            path = self.cache_file()
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            data = {"deletes": dict(self._sym._deletes), "words": dict(self._sym._words),
                    "max_length": self._sym._max_length, "known": sorted(self.known)}
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps(data))
            os.replace(tmp, path)  # atomic: a second process never reads half a file
        except OSError:
            pass  # a read-only cache folder only costs start-up time

    def is_known(self, word: str, personal: frozenset[str] = frozenset()) -> bool:
        w = word.lower().replace("’", "'")
        if w.endswith("'s") or w.endswith("s'"):
            w = w[:-2] if w.endswith("'s") else w[:-1]  # possessives: today's, students'
        return w in self.known or w in personal or w.replace("'", "") in self.known or self._regular_ing(w)

    def _regular_ing(self, word: str) -> bool:
        """A known word of 4+ letters ending in two different consonants, plus "-ing" ("disk" ->
        "disking"): English adds "-ing" to such a word unchanged, so
        the form is the writer's word even when no list has it. Stems ending in one consonant
        after a vowel ("runing", "geting") or in a doubled one ("comming") are left to the speller:
        those are the usual slips. On JFLEG dev this rule admits only "disking" and "stablishing"."""
        stem = word[:-3]
        return (word.endswith("ing") and len(stem) >= 4 and stem[-1] != stem[-2]
                and bool(re.search(r"[^aeiouy']{2}$", stem)) and stem in self.known)

    def _bigrams(self) -> dict[str, int]:
        if self._pairs is None:
            self._pairs = {}
            path = importlib.resources.files("symspellpy") / "frequency_bigramdictionary_en_243_342.txt"
            with importlib.resources.as_file(path) as p, open(p, encoding="utf-8") as f:
                for line in f:
                    a, b, n = line.split()
                    self._pairs[f"{a} {b}"] = int(n)
        return self._pairs

    def pair_count(self, first: str, second: str) -> int:
        """How often `second` follows `first` in symspellpy's public word-pair list (0: unseen)."""
        if not first or not second:
            return 0
        return self._bigrams().get(f"{first.lower()} {second.lower()}", 0)

    def correct(self, word: str, before: str = "", after: str = "") -> str | None:
        """The best real word for a non-word, or None when there is no confident suggestion.
        Equally close candidates are ranked by how often they follow `before` and precede
        `after` (word-pair counts), then by frequency."""
        from symspellpy import Verbosity

        low = word.lower()
        if low in _APOSTROPHE:
            fixed = _APOSTROPHE[low]
        else:
            if len(low) < 3:
                return None
            limit = 1 if len(low) < 5 else 2
            found = self._sym.lookup(low, Verbosity.CLOSEST, max_edit_distance=limit)
            found = [c for c in found if c.distance < 2 or typo_shaped(low, c.term)]
            if not found:
                return None
            fixed = found[0].term
            if low.endswith("ys") and (low[:-2] + "ies") in self.known:
                fixed = low[:-2] + "ies"  # "familys" -> "families", not "family"
            elif len(found) > 1 and (before or after):
                pairs = self._bigrams()
                context = lambda t: pairs.get(f"{before.lower()} {t}", 0) + pairs.get(f"{t} {after.lower()}", 0)  # noqa: E731
                best = max(found[:8], key=lambda c: (context(c.term), c.count))
                if context(best.term) > 0:
                    fixed = best.term
        if word[0].isupper():
            fixed = fixed[0].upper() + fixed[1:]
        return fixed

    def unknown_words(self, sentence: str, personal: Iterable[str] = (), protected: Iterable[tuple[int, int]] = ()) -> list[str]:
        """Lowercase prose words no dictionary knows (whether or not a fix was found)."""
        mine = frozenset(w.lower() for w in personal)
        shields = list(protected)
        return [m.group() for m in WORD.finditer(sentence)
                if m.group().islower() and not any(s < m.end() and m.start() < e for s, e in shields)
                and not _glued_to_symbol(sentence, m.start(), m.end()) and not self.is_known(m.group(), mine)]

    def check(self, sentence: str, personal: Iterable[str] = (), protected: Iterable[tuple[int, int]] = (),
              names: Iterable[str] = ()) -> list[Suggestion]:
        """Suggestions for the non-words of one sentence (offsets relative to `sentence`).

        Never touched: capitalised words (names, products, the first word of a sentence too),
        acronyms, camelCase, words glued to digits or symbols (code, handles, hashtags), words
        in `personal` (the dictionary and ignored words) and lowercase words that appear
        capitalised elsewhere in the text (`names`, see `name_like`)."""
        mine = frozenset(w.lower() for w in personal)
        known_names = frozenset(w.lower() for w in names)
        shields = list(protected)
        out = []
        found = list(WORD.finditer(sentence))
        for k, m in enumerate(found):
            word = m.group()
            if any(s < m.end() and m.start() < e for s, e in shields):
                continue
            if _glued_to_symbol(sentence, m.start(), m.end()):
                continue  # part of an identifier, path, handle or number: not prose
            if any(c.isupper() for c in word):
                continue  # a name, a product, an acronym, camelCase: the writer's spelling
            if word.lower() in known_names or word.lower() in INFORMAL or word.lower() in PLACE_BEFORE:
                continue  # written with a capital elsewhere in the text (a name), chat shorthand, "loch"
            prev_word = found[k - 1].group().lower().rstrip(".") if k > 0 else ""
            next_word = found[k + 1].group().lower() if k + 1 < len(found) else ""
            if prev_word in TITLES or ((next_word in PLACE_WORDS or prev_word in PLACE_BEFORE) and not self.is_known(word, mine)):
                continue  # "mrs kowalski", "hollins farm", "ben aird": looks like a name
            if self.is_known(word, mine):
                if word.lower() not in _APOSTROPHE or word.lower() in mine:
                    continue
            before = found[k - 1].group() if k > 0 and not sentence[found[k - 1].end() : m.start()].strip() else ""
            after = found[k + 1].group() if k + 1 < len(found) and not sentence[m.end() : found[k + 1].start()].strip() else ""
            fixed = self.correct(word, before, after)
            if fixed and fixed != word:
                out.append(Suggestion(m.start(), m.end(), word, fixed))
        return out


def typo_shaped(word: str, fixed: str) -> bool:
    """Whether a two-edit correction looks like a typing or spelling slip: the consonants are
    the same once vowels and doubled letters are set aside ("tommorow" -> "tomorrow",
    "proffesional" -> "professional"), not a different word ("quokkas" -> "quotas")."""
    return _skeleton(word) == _skeleton(fixed)


def _skeleton(word: str) -> str:
    out = []
    for c in re.sub(r"[aeiouy'’]", "", word.lower()):
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def name_like(text: str, is_known=None) -> set[str]:
    """Lowercased words written with a capital letter in `text` other than at a sentence start,
    plus capitalised words at a sentence start that `is_known` does not know: names, places,
    products. Their lowercase spellings elsewhere in the text are left alone too."""
    out = set()
    for m in re.finditer(r"\b[A-Z][a-z]+(?:['’][a-z]+)?\b", text):
        before = text[: m.start()].rstrip()
        starts = not before or before[-1] in ".!?:\n\"“("
        word = m.group().lower()
        if not starts or (is_known is not None and not is_known(word)):
            out.add(word)
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

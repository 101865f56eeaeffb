"""Turn "original sentence -> corrected sentence" into exact, explained edits.

We align the two at the word level (words and punctuation marks are tokens, whitespace is not),
so each difference becomes a hunk with a character span in the original. Insertions and
deletions take the neighbouring space with them so that applying any subset of hunks still
yields well-spaced text. Each hunk is then given a category and a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Callable

from .edits import Edit

TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_OPENERS = "([{\"'“‘¿¡"

ARTICLES = {"a", "an", "the"}
AUXILIARIES = {
    "am", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "having",
    "do", "does", "did", "will", "would", "can", "could", "shall", "should", "may", "might", "must",
}
PREPOSITIONS = {
    "in", "on", "at", "to", "for", "of", "with", "by", "from", "about", "into", "onto", "over",
    "under", "than", "as", "during", "since", "until", "through", "between", "among", "towards", "toward",
}
PRONOUNS = {
    "i", "me", "my", "mine", "you", "your", "yours", "he", "him", "his", "she", "her", "hers", "it",
    "its", "we", "us", "our", "ours", "they", "them", "their", "theirs", "this", "that", "these",
    "those", "who", "whom", "whose", "which", "what", "there", "themselves", "itself", "himself", "herself",
}
CONJUNCTIONS = {"and", "or", "but", "so", "if", "because", "although", "though", "while", "when", "then", "not", "no"}
FUNCTION_WORDS = ARTICLES | AUXILIARIES | PREPOSITIONS | PRONOUNS | CONJUNCTIONS


@dataclass(frozen=True)
class Hunk:
    """One difference: original[a0:a1] becomes corrected[b0:b1]."""

    a0: int
    a1: int
    b0: int
    b1: int
    old: tuple[str, ...]  # original tokens involved
    new: tuple[str, ...]  # corrected tokens involved

    def words(self) -> tuple[list[str], list[str]]:
        return [t for t in self.old if is_word(t)], [t for t in self.new if is_word(t)]


def is_word(token: str) -> bool:
    return bool(re.match(r"\w", token))


def tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def hunks(a: str, b: str) -> list[Hunk]:
    """Word-level differences between original `a` and corrected `b`."""
    ta, tb = tokens(a), tokens(b)
    sm = SequenceMatcher(None, [t[0] for t in ta], [t[0] for t in tb], autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        old = tuple(t[0] for t in ta[i1:i2])
        new = tuple(t[0] for t in tb[j1:j2])
        if op == "replace":
            if i2 - i1 == j2 - j1 > 1:  # word for word: one hunk per pair reads better
                for k in range(i2 - i1):
                    x, y = ta[i1 + k], tb[j1 + k]
                    if x[0] != y[0]:
                        out.append(Hunk(x[1], x[2], y[1], y[2], (x[0],), (y[0],)))
                continue
            tail = None
            if j2 - j1 > 1 and not is_word(tb[j2 - 1][0]) and is_word(ta[i2 - 1][0]) and is_word(tb[j2 - 2][0]):
                j2 -= 1  # punctuation added after a changed word gets its own hunk
                tail = Hunk(ta[i2 - 1][2], ta[i2 - 1][2], tb[j2 - 1][2], tb[j2][2], (), (tb[j2][0],))
                new = new[:-1]
            a0, a1 = ta[i1][1], ta[i2 - 1][2]
            b0, b1 = tb[j1][1], tb[j2 - 1][2]
            if i1 > 0 and j1 > 0 and (not is_word(old[0]) or not is_word(new[0])):
                a0, b0 = ta[i1 - 1][2], tb[j1 - 1][2]  # punctuation hugs the word before it
            out.append(Hunk(a0, a1, b0, b1, old, new))
            if tail:
                out.append(tail)
            continue
        elif op == "insert":
            attach_left = (not is_word(new[0]) and new[0] not in _OPENERS and i1 > 0) or i1 == len(ta)
            if attach_left and i1 > 0 and j1 > 0:
                a0 = a1 = ta[i1 - 1][2]
                b0, b1 = tb[j1 - 1][2], tb[j2 - 1][2]
            elif i1 < len(ta) and j2 < len(tb):
                a0 = a1 = ta[i1][1]
                b0, b1 = tb[j1][1], tb[j2][1]
            else:  # the whole sentence is new, or an edge we cannot anchor: replace everything
                a0, a1, b0, b1 = 0, len(a), 0, len(b)
        else:  # delete
            attach_left = (not is_word(old[0]) and i1 > 0) or i2 == len(ta)
            if attach_left and i1 > 0:
                a0, a1 = ta[i1 - 1][2], ta[i2 - 1][2]
            elif i2 < len(ta):
                a0, a1 = ta[i1][1], ta[i2][1]
            else:
                a0, a1 = ta[i1][1], ta[i2 - 1][2]
            b0 = b1 = tb[j1 - 1][2] if attach_left and i1 > 0 and j1 > 0 else (tb[j1][1] if j1 < len(tb) else len(b))
        out.append(Hunk(a0, a1, b0, b1, old, new))
    return out


def _quote(words) -> str:
    return "“" + " ".join(words) + "”"


def _base(word: str) -> str:
    """'doesn't' / 'doesnt' -> 'does' (negated auxiliaries)."""
    w = word.replace("’", "'")
    for tail in ("n't", "nt"):
        if w.endswith(tail) and w[: -len(tail)] in AUXILIARIES | {"ca", "wo"}:
            return w[: -len(tail)]
    return w


def _stem_related(x: str, y: str) -> bool:
    """Two forms of one word (reason/reasons, go/goes, develop/developed, study/studies)."""
    x, y = x.lower(), y.lower()
    n = 0
    while n < min(len(x), len(y)) and x[n] == y[n]:
        n += 1
    return (n >= 3 and n >= min(len(x), len(y)) - 2) or (n >= 2 and n == min(len(x), len(y)))


_HOMOPHONE_SENSE = {
    "its": "“its” means belonging to it", "it's": "“it's” is short for “it is” or “it has”",
    "their": "“their” means belonging to them", "there": "“there” points to a place or starts “there is”",
    "they're": "“they're” is short for “they are”", "your": "“your” means belonging to you",
    "you're": "“you're” is short for “you are”", "then": "“then” is about time", "than": "“than” compares",
    "whose": "“whose” asks who owns something", "who's": "“who's” is short for “who is”",
}
_MODAL_WORDS = {"should", "could", "would", "must", "might", "may"}


def _special_reason(x: str, y: str, before: list[str]) -> tuple[str, str] | None:
    """Reasons for the grammar rules' fixes that the general rules below would word vaguely."""
    from .grammar import _PARTICIPLES

    if x == "of" and y == "have":
        return "grammar", "After “should”, “could” or “would”, write “have”: “of” only sounds like it."
    if x in _HOMOPHONE_SENSE and y in _HOMOPHONE_SENSE:
        return "grammar", f"Use {_quote([y])} here: {_HOMOPHONE_SENSE[y]}, while {_HOMOPHONE_SENSE[x]}."
    if _PARTICIPLES.get(x) == y:
        return "grammar", f"After “has”, “have” or “had”, use the past participle {_quote([y])}, not {_quote([x])}."
    from .verb_forms import ADVERBS, IRREGULAR_PAST, MODALS

    aux = next((w for w in reversed(before[-3:]) if w not in ADVERBS), "")
    if (IRREGULAR_PAST.get(x) == y or (x.endswith("ed") and x.startswith(y[:3]))) and \
            (aux in MODALS or aux in {"do", "does", "did"} or aux.endswith("n't")):
        return "grammar", f"After “{aux}”, use the base form {_quote([y])}, not the past {_quote([x])}."
    if (x, y) in {("affect", "effect"), ("affects", "effects")}:
        return "grammar", f"The noun is {_quote([y])}; “affect” is the verb (to affect something)."
    return None


def classify(old: list[str] | tuple[str, ...], new: list[str] | tuple[str, ...], is_known: Callable[[str], bool],
             before: list[str] | tuple[str, ...] = ()) -> tuple[str, str]:
    """(category, reason) for original tokens `old` replaced by `new`."""
    o_text, n_text = " ".join(old), " ".join(new)
    if o_text.lower() == n_text.lower():
        if n_text[:1].isupper() and not o_text[:1].isupper():
            if o_text == "i":
                return "capitalization", "The pronoun “I” is always written with a capital letter."
            return "capitalization", f"Capitalize {_quote(new)}: sentences and names start with a capital letter."
        return "capitalization", f"Write {_quote(new)} without the extra capital letters."
    ow = [t for t in old if is_word(t)]
    nw = [t for t in new if is_word(t)]
    if not ow and not nw:
        if not old:
            return "punctuation", f"Add {_punct_name(n_text)}."
        if not new:
            return "punctuation", f"Remove {_punct_name(o_text)}: it is not needed here."
        return "punctuation", f"Use {_punct_name(n_text)} instead of {_punct_name(o_text)}."
    if len(ow) == 1 and len(nw) == 1:
        x, y = ow[0], nw[0]
        lx, ly = x.lower(), y.lower()
        if lx == ly:
            return "punctuation", f"Punctuation around {_quote([y])}."
        if lx.replace("'", "").replace("’", "") == ly.replace("'", "").replace("’", ""):
            return "spelling", f"{_quote([y])} needs an apostrophe."
        if not is_known(x):
            return "spelling", f"{_quote([x])} is not in the dictionary; the likely word is {_quote([y])}."
        special = _special_reason(lx, ly, [t.lower() for t in before] if before else [])
        if special:
            return special
        if {lx, ly} <= {"a", "an"}:
            return "grammar", f"Use {_quote([y])} before {'a vowel' if ly == 'an' else 'a consonant'} sound."
        if _base(lx) in AUXILIARIES and _base(ly) in AUXILIARIES:
            return "grammar", f"Use {_quote([y])} so the verb agrees with its subject and tense."
        if _stem_related(lx, ly):
            if ly.endswith("s") and ly[:-1].startswith(lx[:-1]) and len(ly) > len(lx):
                return "grammar", f"Use {_quote([y])}: the word must agree in number with the rest of the sentence."
            if lx.endswith("s") and lx[:-1].startswith(ly[:-1]) and len(lx) > len(ly):
                return "grammar", f"Use {_quote([y])}: the word must agree in number with the rest of the sentence."
            return "grammar", f"Use the form {_quote([y])} instead of {_quote([x])}."
        if lx in PREPOSITIONS and ly in PREPOSITIONS:
            return "grammar", f"The usual preposition here is {_quote([y])}, not {_quote([x])}."
        if lx in PRONOUNS and ly in PRONOUNS:
            return "grammar", f"Use the pronoun {_quote([y])} here."
        return "word choice", f"{_quote([y])} fits better than {_quote([x])} here."
    if not ow:
        if all(w.lower() in FUNCTION_WORDS for w in nw):
            return "grammar", f"Add the missing word{'s' if len(nw) > 1 else ''} {_quote(nw)}."
        return "style", f"Add {_quote(nw)} to complete the sentence."
    if not nw:
        if all(w.lower() in FUNCTION_WORDS for w in ow):
            return "grammar", f"Remove the unneeded word{'s' if len(ow) > 1 else ''} {_quote(ow)}."
        return "style", f"Remove {_quote(ow)}, which repeats or does not fit."
    if all(not is_known(w) for w in ow) and len(nw) <= len(ow) + 1:
        return "spelling", f"{_quote(ow)} is misspelled; the likely words are {_quote(nw)}."
    if "".join(ow).lower() == "".join(nw).lower():
        return "spelling", f"Write {_quote(nw)} {'as one word' if len(nw) < len(ow) else 'as separate words'}."
    return "grammar" if len(ow) + len(nw) <= 4 else "style", f"Reword {_quote(ow)} as {_quote(nw)}."


_PUNCT_NAMES = {",": "a comma", ".": "a full stop", "?": "a question mark", "!": "an exclamation mark", ";": "a semicolon",
                ":": "a colon", "'": "an apostrophe", "’": "an apostrophe", "-": "a hyphen", '"': "quotation marks"}


def _punct_name(p: str) -> str:
    p = p.replace(" ", "")
    return _PUNCT_NAMES.get(p, f"“{p}”")


def edits_between(a: str, b: str, is_known: Callable[[str], bool], offset: int = 0) -> list[Edit]:
    """The explained edits that turn `a` into `b` (spans shifted by `offset`)."""
    out = []
    for h in hunks(a, b):
        before = [t[0] for t in tokens(a[: h.a0]) if is_word(t[0])][-3:]
        category, reason = classify(h.old, h.new, is_known, before)
        out.append(Edit(h.a0 + offset, h.a1 + offset, a[h.a0 : h.a1], b[h.b0 : h.b1], category, reason))
    return out


def apply_hunks(a: str, b: str, chosen: list[Hunk]) -> str:
    """`a` with only the chosen hunks of the a->b alignment applied."""
    out, pos = [], 0
    for h in sorted(chosen, key=lambda h: h.a0):
        out.append(a[pos : h.a0])
        out.append(b[h.b0 : h.b1])
        pos = h.a1
    out.append(a[pos:])
    return "".join(out)

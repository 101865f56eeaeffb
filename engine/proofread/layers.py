"""The model-free first layer of proofreading, per sentence: dictionary fixes, mechanical slips
and grammar rules, split into sure changes and candidates the model must confirm (pipeline.py
runs the model on top of it; quick.py, the live checker's fast pass, uses it alone)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .grammar import grammar_candidates
from .mechanics import mechanical_fixes
from .ranking import confusion_candidates, overlaps
from .segment import Sentence, protected_spans, touches
from .spelling import Suggestion


@dataclass(frozen=True)
class Layer:
    """What the fast layers propose for one sentence (offsets relative to it): `sure` changes
    (mechanical slips, sure grammar rules) and candidates the model must confirm, each with its
    kind ("spelling", "rule", "confusion")."""

    sure: tuple
    candidates: tuple  # ((candidate, kind), ...)
    unknown: bool  # a non-word the dictionary could not fix


def lowercase_writer(units: list[Sentence]) -> bool:
    """The writer does not use capitals (chat style): most sentences start in lowercase. Names
    are then written in lowercase too, so the dictionary cannot tell them from typos."""
    starts = [s.text.lstrip()[:1] for s in units if not s.in_markup and s.text.lstrip()[:1].isalpha()]
    return len(starts) >= 2 and sum(c.islower() for c in starts) * 2 >= len(starts) or \
        (len(starts) == 1 and starts[0].islower())


def first_layer(s: Sentence, spell, personal: frozenset[str], names: frozenset[str] = frozenset(),
                confusion: bool = False, lowercase: bool = False, skip_rules: frozenset[str] = frozenset()) -> Layer:
    """Spelling, mechanical and grammar-rule proposals for one sentence; no model involved
    (`skip_rules`: rule names left out, to measure what each adds)."""
    text = s.text
    protected = protected_spans(text)
    free = lambda a, b: not touches(protected, a, b)  # noqa: E731
    known = lambda w: spell.is_known(w, personal)  # noqa: E731
    spelled = [g for g in spell.check(text, personal, protected, names) if g.word.lower() not in personal]
    slips = [g for g in mechanical_fixes(text, protected, capitalize_start=not s.in_markup, end_of_line=s.ends_line)
             if g.word.lower() not in personal]
    for g in list(slips):  # the first word is misspelled and lowercase: fix and capitalise in one
        hit = next((x for x in spelled if x.start == g.start and x.end == g.end), None)
        if hit is not None:
            slips.remove(g)
            spelled[spelled.index(hit)] = Suggestion(hit.start, hit.end, hit.word, hit.replacement[:1].upper() + hit.replacement[1:])
    rules = [c for c in grammar_candidates(text, known, free) if c.word.lower() not in personal and c.rule not in skip_rules]
    # a pair glued into one word ("alot") is a sure fix; the dictionary's nearest word ("lot") is not
    glued = [c for c in rules if c.rule == "glued words"]
    spelled = [g for g in spelled if not any(overlaps(g, c) for c in glued)]
    sure: list = list(slips)
    for c in rules:
        if c.sure and not any(overlaps(c, x) for x in sure + spelled):
            sure.append(c)
    # In text without capitals a non-word may be a name, and a correction that changes the first
    # letter is more often another word than the meant one: only a wide model margin changes them.
    cands: list = [(g, "initial" if lowercase or new_first_letter(g.word, g.replacement) else "spelling") for g in spelled]
    first = _first_word_fix(text, spell, personal, names, protected)
    if first is not None and not any(overlaps(first, c) for c in glued):  # "Becuase": only when the model clearly agrees (it may be a name) ...
        # ... unless it is two letters of a function word swapped ("Teh", "Adn"): no name looks so
        cands.append((first, "spelling" if _swapped_function_word(first.word, first.replacement) else "initial"))
    cands += [(c, "rule") for c in rules if not c.sure and not any(overlaps(c, x) for x in sure)]
    if confusion:
        taken = sure + [c for c, _ in cands]
        cands += [(c, "confusion") for c in confusion_candidates(text, known, free, spell.pair_count)
                  if c.word.lower() not in personal and not any(overlaps(c, x) for x in taken)]
    unknown = bool(spell.unknown_words(text, personal, protected))
    return Layer(tuple(sure), tuple(cands), unknown)


def new_first_letter(word: str, fixed: str) -> bool:
    """The correction changes the word's first letter ("disking" -> "risking", "tast" -> "last"),
    other than by swapping the first two ("hte" -> "the"). Writers rarely get a first letter
    wrong: on JFLEG dev the dictionary's first-letter corrections appear in a human correction
    17 times in 37 ("cours" -> "hours", "vees" -> "fees" do not)."""
    a, b = word.lower(), fixed.lower()
    if not a or not b or a[0] == b[0]:
        return False
    return not (len(a) == len(b) >= 2 and a[:2] == b[1::-1] and a[2:] == b[2:])


def _first_word_fix(text: str, spell, personal: frozenset[str], names: frozenset[str], protected) -> Suggestion | None:
    """A capitalised non-word starting the sentence ("Teh", "Becuase"): a candidate for the
    model to confirm by a wide margin; never applied by the dictionary alone (it may be a name)."""
    m = re.match(r"[A-Z][a-z]+\b(?!['’\w])", text)
    if not m or touches(protected, m.start(), m.end()):
        return None
    word = m.group()
    low = word.lower()
    if low in personal or spell.is_known(low, personal):
        return None
    fixed = spell.correct(low, "", "")
    if not fixed or fixed == low:
        return None
    # An unknown capitalised first word counts as a possible name, except a function word with
    # two letters swapped ("Teh", "Adn"), which no name resembles.
    if low in names and not _swapped_function_word(word, fixed):
        return None
    return Suggestion(0, m.end(), word, fixed[:1].upper() + fixed[1:])


def _swapped_function_word(word: str, fixed: str) -> bool:
    """`word` is `fixed` with two neighbouring letters swapped, and `fixed` is a function word."""
    from .align import FUNCTION_WORDS

    a, b = word.lower(), fixed.lower()
    if b not in FUNCTION_WORDS or len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def apply_suggestions(text: str, suggestions) -> str:
    out, pos = [], 0
    for g in sorted(suggestions, key=lambda g: g.start):
        if g.start < pos:
            continue
        out += [text[pos : g.start], g.replacement]
        pos = g.end
    return "".join(out) + text[pos:]

"""Let the language model judge candidate corrections: keep one only when the model finds the
sentence with it clearly more probable than without it.

For each sentence, every candidate is applied on its own to a base version (the original with
the rules' sure fixes) and both are scored with `Model.score_texts` (summed log-probability).
A candidate is kept when it raises the score by at least its margin (natural-log units; 2.3 is
ten times more probable); of overlapping candidates the best is kept. This is the classic
language-model approach to error correction without training data: a confusion set per
position (spellings, inflections, articles, prepositions, homophones) ranked by a model.

`confusion_candidates` builds the general confusion set (thorough mode); the rule and
spelling proposals come from grammar.py and spelling.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from ..model import Model
from .grammar import WORDS, Candidate, _case

# Margins in nats, chosen on the first 150 JFLEG dev sentences (benchmarks/quality_proofread.py).
SPELL_MARGIN = 2.0  # a dictionary correction of a non-word
RULE_MARGIN = 2.0  # a rule proposal that is not sure on its own
CONFUSION_MARGIN = 4.0  # a word from the general confusion set
INITIAL_MARGIN = 5.0  # a non-word that could be a name (a capitalised first word, text without capitals) or a first-letter change
MODEL_MARGIN = 1.0  # a small fix the model wrote itself (first 100 JFLEG dev: same GLEU, 3 % instead of 4 % clean changed)


@dataclass(frozen=True)
class Judged:
    candidate: object  # anything with start, end, replacement
    kind: str  # "spelling" | "rule" | "confusion"
    delta: float  # score(with it) - score(without it)


def apply(text: str, changes) -> str:
    """`text` with non-overlapping changes (objects with start, end, replacement) applied."""
    out, pos = [], 0
    for c in sorted(changes, key=lambda c: (c.start, c.end)):
        if c.start < pos:
            continue
        out += [text[pos : c.start], c.replacement]
        pos = c.end
    return "".join(out) + text[pos:]


def overlaps(a, b) -> bool:
    return a.start < b.end and b.start < a.end or (a.start == b.start and a.end == b.end)


def judge(model: Model, jobs: Sequence[tuple[str, list, list[tuple[object, str]]]]) -> list[list[Judged]]:
    """For each (sentence, sure changes, [(candidate, kind)]): every candidate with its score
    gain over the sentence with only the sure changes. One batched scoring call for all."""
    texts: list[str] = []
    index: list[tuple[int, int]] = []  # per job: (position of base text, first variant)
    for sentence, sure, cands in jobs:
        base_at = len(texts)
        texts.append(apply(sentence, sure))
        for cand, _kind in cands:
            texts.append(apply(sentence, [*[s for s in sure if not overlaps(s, cand)], cand]))
        index.append((base_at, base_at + 1))
    margins_free = max(SPELL_MARGIN, INITIAL_MARGIN)
    if not getattr(model, "can_score", True):  # a server that cannot score: dictionary fixes of
        # non-words stand on their own (the dictionary layer), nothing that needs the model's judgement
        from .spelling import typo_shaped

        def stands(c, kind: str) -> bool:
            return kind == "spelling" or (kind == "initial" and typo_shaped(getattr(c, "word", ""),
                                                                          getattr(c, "replacement", "")))

        return [[Judged(c, kind, margins_free if stands(c, kind) else float("-inf")) for c, kind in cands]
                for _s, _sure, cands in jobs]
    scores = model.score_texts(texts) if texts else []
    out = []
    for (base_at, first), (_s, _sure, cands) in zip(index, jobs):
        out.append([Judged(c, kind, scores[first + k] - scores[base_at]) for k, (c, kind) in enumerate(cands)])
    return out


def keep(judged: list[Judged], margins: dict[str, float]) -> list:
    """The candidates that clear their margin; of overlapping ones, the one the model likes best."""
    passing = sorted((j for j in judged if j.delta >= margins[j.kind]), key=lambda j: -j.delta)
    chosen: list[Judged] = []
    for j in passing:
        if not any(overlaps(j.candidate, c.candidate) for c in chosen):
            chosen.append(j)
    return [j.candidate for j in sorted(chosen, key=lambda j: j.candidate.start)]


_PREPOSITION_SETS = [{"in", "on", "at"}, {"to", "for"}, {"of", "for"}, {"from", "of"}, {"with", "by"}, {"about", "of"}]
_ARTICLES = {"a", "an", "the"}
_AUXILIARY_NUMBER = {"is": "are", "are": "is", "was": "were", "were": "was", "has": "have", "have": "has", "does": "do",
                     "do": "does"}


def confusion_candidates(sentence: str, is_known: Callable[[str], bool],
                         free: Callable[[int, int], bool] = lambda s, e: True,
                         pair_count: Callable[[str, str], int] | None = None) -> list[Candidate]:
    """The general confusion set of one sentence: other prepositions, other articles (or none),
    the other number of each lowercase noun or verb (+s / -s, is/are, was/were, has/have,
    does/do), known words only.

    With `pair_count` (how often one word follows another in a public word-pair list), only the
    variants with local evidence are proposed: the words around it must pair with the variant
    more often than with the original. That keeps about one variant in ten (JFLEG dev, first
    200 sentences: 264 of 2,558), so the model scores a handful of texts per sentence."""
    words = [(m.group(), m.start(), m.end()) for m in WORDS.finditer(sentence)]
    return [c for c in _all_variants(sentence, words, is_known, free)
            if pair_count is None or _local_evidence(sentence, words, c, pair_count)]


def _local_evidence(sentence: str, words, cand: Candidate, pair_count) -> bool:
    """The neighbouring words pair more often with the variant than with the original."""
    k = next(i for i, (_, s, _) in enumerate(words) if s == cand.start)
    last = k + len(WORDS.findall(cand.word)) - 1

    def joined(i: int, j: int) -> bool:  # words i and j are separated by spaces only
        return 0 <= i < len(words) and 0 <= j < len(words) and not sentence[words[i][2] : words[j][1]].strip()

    prev = words[k - 1][0] if joined(k - 1, k) else ""
    nxt = words[last + 1][0] if joined(last, last + 1) else ""
    if not cand.replacement:  # the article dropped: "prev next" must be commoner than either pair with it
        word = cand.word.strip()
        return pair_count(prev, nxt) > min(pair_count(prev, word), pair_count(word, nxt))
    old = pair_count(prev, cand.word) + pair_count(cand.word, nxt)
    return pair_count(prev, cand.replacement) + pair_count(cand.replacement, nxt) > old


def _all_variants(sentence: str, words, is_known, free) -> list[Candidate]:
    """Every variant of the confusion set, before any evidence check."""
    out: list[Candidate] = []
    for k, (w, s, e) in enumerate(words):
        if not w.islower() or not free(s, e):
            continue
        options: set[str] = set()
        for group in _PREPOSITION_SETS:
            if w in group:
                options |= group - {w}
        if w in _ARTICLES:
            options |= _ARTICLES - {w}
            end = words[k + 1][1] if k + 1 < len(words) else e
            if end > e and not sentence[e:end].strip():
                out.append(Candidate(s, end, sentence[s:end], "", False, "confusion"))  # drop the article
        elif w in _AUXILIARY_NUMBER:
            options.add(_AUXILIARY_NUMBER[w])
        elif len(w) > 2 and w.isalpha() and is_known(w):
            if w.endswith("s") and not w.endswith("ss") and is_known(w[:-1]):
                options.add(w[:-1])
            elif not w.endswith("s") and is_known(w + "s"):
                options.add(w + "s")
        for o in sorted(options):
            out.append(Candidate(s, e, w, _case(w, o), False, "confusion"))
    return out



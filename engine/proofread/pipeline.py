"""Proofread a document: spelling layer, then the model sentence by sentence, then guardrails.

For each prose sentence (see segment.py):
1. the dictionary layer fixes non-words (spelling.py);
2. the model corrects the result, prompted with worked examples (prompts.py), greedy, stopping
   at the end of the line with a budget of ~1.5x the sentence's tokens; several sentences are
   decoded as parallel sequences sharing the prompt prefix;
3. the answer is rejected outright if it chatters, changes language or meaning (guard.py), and
   otherwise only its small, local differences are kept;
4. the edits shown to the user are re-derived by aligning the original sentence with the final
   one (align.py), so every span, category and reason refers to what the person wrote.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Callable, Iterable

from ..errors import InputError
from ..model import GenerationStats, Model, SamplingOptions
from ..progress import OnProgress, Progress
from ..tasks.base import TaskResult
from ..tasks.cleanup import clean_output
from ..tasks.prefill import fixed_prefix
from . import prompts
from .align import apply_hunks, edits_between, hunks
from .edits import Edit, apply_edits
from .faithful import faithful
from .grammar import grammar_candidates
from .mechanics import mechanical_fixes
from .ranking import CONFUSION_MARGIN, INITIAL_MARGIN, MODEL_MARGIN, RULE_MARGIN, SPELL_MARGIN, confusion_candidates, judge, keep, overlaps
from .guard import Limits, hunk_allowed, is_agreement_fix, sentence_problem
from .segment import Sentence, protected_spans, sentences, touches
from .spelling import Suggestion, name_like, speller


BATCH = 3  # sentences decoded together as parallel sequences (see benchmarks/proofread_speed.py)


def _budget(model: Model, sentence: str) -> int:
    return int(model.count_tokens(sentence) * 1.5) + 8


def correct_sentences(model: Model, texts: list[str], on_done: Callable[[int, str, GenerationStats], None] | None = None,
                      batch: int = BATCH) -> list[tuple[str, GenerationStats]]:
    """The model's raw corrections of each sentence (greedy, one line each)."""
    sampling = SamplingOptions(temperature=0.0)
    prompts_ = [model.prompt_tokens(prompts.messages(t)) for t in texts]
    limits = [_budget(model, t) for t in texts]
    if batch > 1 and getattr(model, "can_batch", False):
        return model.generate_many(prompts_, limits, stop=["\n"], sampling=sampling, on_done=on_done)
    out = []
    for i, (p, n) in enumerate(zip(prompts_, limits)):
        stats = GenerationStats()
        text = "".join(model.stream_tokens(p, n, ["\n"], sampling, stats))
        out.append((text, stats))
        if on_done:
            on_done(i, text, stats)
    return out


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
                confusion: bool = False, lowercase: bool = False) -> Layer:
    """Spelling, mechanical and grammar-rule proposals for one sentence; no model involved."""
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
    rules = [c for c in grammar_candidates(text, known, free) if c.word.lower() not in personal]
    sure: list = list(slips)
    for c in rules:
        if c.sure and not any(overlaps(c, x) for x in sure + spelled):
            sure.append(c)
    # In text without capitals a non-word may be a name, and a correction that changes the first
    # letter is more often another word than the meant one: only a wide model margin changes them.
    cands: list = [(g, "initial" if lowercase or new_first_letter(g.word, g.replacement) else "spelling") for g in spelled]
    first = _first_word_fix(text, spell, personal, names, protected)
    if first is not None:  # "Becuase": only when the model clearly agrees (it may be a name) ...
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


def _apply(text: str, suggestions) -> str:
    out, pos = [], 0
    for g in sorted(suggestions, key=lambda g: g.start):
        if g.start < pos:
            continue
        out += [text[pos : g.start], g.replacement]
        pos = g.end
    return "".join(out) + text[pos:]


def fix_sentence(original: str, spelled: str, answer: str, personal: frozenset[str], limits: Limits = Limits(),
                 evident: bool | None = None, gains: dict | None = None, margin: float | None = None,
                 unknown: Callable[[str], bool] | None = None, respell_margin: float | None = None) -> tuple[str, str]:
    """The final text of one sentence, and why the model's answer was set aside ("" if it was used).
    `evident`: the dictionary layer found a mistake (default: it changed something). With `gains`,
    each fix must raise the model's score by `margin`; one that respells a word `unknown` says is
    not a word needs `respell_margin` (as much as the dictionary's own respellings need)."""
    protected = protected_spans(spelled)
    candidate = clean_output(answer, spelled)
    problem = sentence_problem(spelled, candidate, limits)
    if problem:
        return spelled, problem
    chosen = [h for h in hunks(spelled, candidate) if hunk_allowed(h, protected, personal, limits, spelled)]
    if gains is not None and margin is not None:  # the model must also prefer each fix when it reads both
        def needed(h) -> float:
            respells = respell_margin is not None and unknown is not None and any(unknown(w) for w in h.words()[0])
            return max(margin, respell_margin) if respells else margin

        chosen = [h for h in chosen if gains.get((h.a0, h.a1, candidate[h.b0 : h.b1]), float("-inf")) >= needed(h)]
    if evident is None:
        evident = spelled != original
    if not evident and len(chosen) < limits.evidence_hunks:
        # No dictionary evidence of a mistake and only a change or two: on correct text the
        # small model still "improves" one sentence in four, so such changes are left out —
        # except plain agreement fixes ("she go" -> "she goes"), which it rarely gets wrong.
        chosen = [h for h in chosen if is_agreement_fix(h)]
        if not chosen:
            return spelled, ""
    return apply_hunks(spelled, candidate, chosen), ""


MODES = {
    # Only touch a sentence the dictionary found a fault in, or where the model proposes 3+ safe
    # fixes: correct text comes back unchanged (JFLEG dev: 3.8 % of clean sentences changed).
    "careful": Limits(evidence_hunks=3),
    # Every safe model fix, also in sentences with no evident mistake: more corrections, and
    # more optional changes to text that was already fine.
    "thorough": Limits(evidence_hunks=0),
}


@dataclass(frozen=True)
class Options:
    """Which layers run (the benchmark switches them to measure what each one adds)."""

    rules: bool = True  # grammar rules that need the model's confirmation
    confusion: bool = False  # the general confusion set ranked by the model
    generate: bool = True  # the model writes a corrected sentence (guarded hunks are kept)
    spell_margin: float = SPELL_MARGIN
    rule_margin: float = RULE_MARGIN
    confusion_margin: float = CONFUSION_MARGIN
    initial_margin: float = INITIAL_MARGIN
    model_margin: float | None = MODEL_MARGIN  # the model's own fixes must also win its scoring (None: off)


class Draft:
    """The expensive part of proofreading (dictionary pass + one model answer per sentence),
    from which a result can be built in either mode without running the model again."""

    def __init__(self, model: Model, text: str, dictionary: Iterable[str] = (), on_progress: OnProgress | None = None,
                 use_model: bool = True, batch: int = BATCH, options: "Options | None" = None):
        options = options or Options()
        if not isinstance(text, str):
            raise InputError("proofreading needs text (a string)")
        if not text.strip():
            raise InputError("there is no text to proofread: the input is empty or only whitespace")
        self.text = text
        self.model_name = getattr(model, "name", "")
        self.personal = frozenset(w.strip().lower() for w in dictionary if w and w.strip())
        self.spell = speller()
        self.options = options
        self.units = sentences(text)
        names = frozenset(name_like(text, lambda w: self.spell.is_known(w, self.personal)))
        lower = self.lowercase = lowercase_writer(self.units)
        layers = [first_layer(s, self.spell, self.personal, names, confusion=use_model and options.confusion,
                              lowercase=lower) for s in self.units]
        self.kept: list[list] = []  # the candidates kept per sentence (benchmarks read their rules)
        self.stats = GenerationStats(batch_size=batch)
        if use_model:
            margins = {"spelling": options.spell_margin, "rule": options.rule_margin, "confusion": options.confusion_margin,
                       "initial": options.initial_margin}
            jobs = [(s.text, list(layer.sure), [(c, k) for c, k in layer.candidates if options.rules or k != "rule"])
                    for s, layer in zip(self.units, layers)]
            with model.job():
                judged = judge(model, [j for j in jobs if j[2]])
            it = iter(judged)
            self.kept = [keep(next(it), margins) if j[2] else [] for j in jobs]
        else:
            self.kept = [[c for c, kind in layer.candidates if kind == "spelling"] for layer in layers]
        self.spelled = [_apply(s.text, [*layer.sure, *kept]) for s, layer, kept in zip(self.units, layers, self.kept)]
        self.evident = [sp != s.text or layer.unknown for s, sp, layer in zip(self.units, self.spelled, layers)]
        self.answers: dict[int, str] = {}
        self.hunk_gain: dict[int, dict[tuple[int, int, str], float]] = {}
        todo = [i for i, s in enumerate(self.units) if len(s.text.split()) >= 2] if use_model and options.generate else []
        t0 = time.perf_counter()

        def done(k: int, answer: str, _stats: GenerationStats) -> None:
            self.answers[todo[k]] = answer
            if on_progress:
                n = len(self.answers)
                on_progress(Progress(n, len(todo), (time.perf_counter() - t0) / n * (len(todo) - n), "proofreading"))

        if todo:
            with model.job():  # a cancel between two batches of sentences is not lost
                if getattr(model, "can_prefill", False):  # the worked examples: from this machine's cache (llama runtime)
                    model.warm_prefix(fixed_prefix(model, prompts.messages))
                for _, stats in correct_sentences(model, [self.spelled[i] for i in todo], on_done=done, batch=batch):
                    self.stats.add(stats)
                if options.model_margin is not None:
                    self._judge_model_fixes(model)
            self.stats.total_seconds = time.perf_counter() - t0

    def _judge_model_fixes(self, model: Model) -> None:
        """Score every safe difference of the model's answers (as in thorough mode) against the
        sentence without it, so a mode can keep only those the model itself clearly prefers."""
        jobs, where = [], []
        for i, answer in self.answers.items():
            sp = self.spelled[i]
            cand = clean_output(answer, sp)
            if sentence_problem(sp, cand, MODES["thorough"]):
                continue
            protected = protected_spans(sp)
            found = [h for h in hunks(sp, cand) if hunk_allowed(h, protected, self.personal, MODES["thorough"], sp)]
            if found:
                changes = [Suggestion(h.a0, h.a1, sp[h.a0 : h.a1], cand[h.b0 : h.b1]) for h in found]
                jobs.append((sp, [], [(c, "model") for c in changes]))
                where.append(i)
        for i, judged in zip(where, judge(model, jobs)):
            self.hunk_gain[i] = {(j.candidate.start, j.candidate.end, j.candidate.replacement): j.delta for j in judged}

    def final(self, i: int, limits: Limits) -> str:
        """The corrected sentence; a version the shared faithfulness check rejects falls back to
        the first layer's, and that one to the original."""
        original = self.units[i].text
        for version in (self._final(i, limits), self.spelled[i]):
            if version == original or faithful(original, version):
                return version
        return original

    def _final(self, i: int, limits: Limits) -> str:
        if i not in self.answers:
            return self.spelled[i]
        gains = self.hunk_gain.get(i) if self.options.model_margin is not None else None
        # The model respelling a non-word needs the margin the dictionary's respelling needs: in text
        # without capitals ("we did ben aird") the unknown word may be a name.
        wide = self.options.initial_margin if self.lowercase else self.options.spell_margin
        unknown = lambda w: w.islower() and not self.spell.is_known(w, self.personal)  # noqa: E731
        return fix_sentence(self.units[i].text, self.spelled[i], self.answers[i], self.personal, limits, self.evident[i],
                            gains, self.options.model_margin, unknown, wide)[0]

    def result(self, mode: str = "careful") -> TaskResult:
        if mode not in MODES:
            raise InputError(f"unknown proofreading mode {mode!r}; choose {' or '.join(MODES)}")
        per_sentence = [_sentence_edits(s, self.final(i, MODES[mode]), self.spell, self.personal) for i, s in enumerate(self.units)]
        result = TaskResult("proofread", self.text, self.text, variant=mode, model=self.model_name, stats=self.stats)
        result.raw = "\n".join(self.answers[i] for i in sorted(self.answers))
        result.edits, result.text = _assemble(self.text, per_sentence)
        return result


def proofread(
    model: Model,
    text: str,
    dictionary: Iterable[str] = (),
    on_progress: OnProgress | None = None,
    on_text: Callable[[str], None] | None = None,
    mode: str = "careful",
    use_model: bool = True,
    batch: int = BATCH,
) -> TaskResult:
    """Correct `text`; `result.edits` lists every change (apply a subset with `apply_edits`).
    `mode`: "careful" (default) or "thorough", see MODES. `on_text` receives the corrected text
    once it is ready (sentences are judged as a whole, so there is no meaningful partial text)."""
    if mode not in MODES:
        raise InputError(f"unknown proofreading mode {mode!r}; choose {' or '.join(MODES)}")
    result = Draft(model, text, dictionary, on_progress, use_model, batch).result(mode)
    if on_text:
        on_text(result.text)
    return result


def _sentence_edits(s: Sentence, final: str, spell, personal: frozenset[str]) -> list[Edit]:
    """Explained edits (document offsets) turning sentence `s` into `final`."""
    if final == s.text:
        return []
    shield = protected_spans(s.text)
    out = []
    for e in edits_between(s.text, final, lambda w: spell.is_known(w, personal), offset=s.start):
        if touches(shield, e.start - s.start, e.end - s.start):
            continue
        if any(w.lower() in personal for w in e.original.split()):
            continue
        out.append(e)
    return out


def _assemble(text: str, per_sentence: list[list[Edit]]) -> tuple[list[Edit], str]:
    edits = [e for group in per_sentence for e in group]
    return edits, apply_edits(text, edits)

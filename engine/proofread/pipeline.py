"""Proofread a document: spelling layer, then the model sentence by sentence, then guardrails.

For each prose sentence (see segment.py):
1. the first layer (layers.py: dictionary, slips, grammar rules) proposes fixes; the model
   confirms the uncertain ones by scoring (ranking.py);
2. the model corrects the result, prompted with worked examples (prompts.py), greedy, stopping
   at the end of the line with a budget of ~1.5x the sentence's tokens; several sentences are
   decoded as parallel sequences sharing the prompt prefix;
3. the answer is rejected outright if it chatters, changes language or meaning (guard.py), and
   otherwise only its small, local differences are kept;
4. the edits shown to the user are re-derived by aligning the original sentence with the final
   one (align.py), so every span, category and reason refers to what the person wrote.
"""

from __future__ import annotations

import contextlib
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
from .ranking import CONFUSION_MARGIN, INITIAL_MARGIN, MODEL_MARGIN, RULE_MARGIN, SPELL_MARGIN, judge, keep
from .guard import Limits, hunk_allowed, is_agreement_fix, sentence_problem
from .layers import apply_suggestions, first_layer, lowercase_writer
from .segment import Sentence, protected_spans, sentences, touches
from .spelling import Suggestion, name_like, speller


FIRST_WORDS = 4  # a sentence shown before the rest is checked has at least this many words (not "Hi Sam,")
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
    skip_rules: frozenset[str] = frozenset()  # grammar rules left out by name (Candidate.rule; benchmarks)


class Draft:
    """The expensive part of proofreading (dictionary pass + one model answer per sentence),
    from which a result can be built in either mode without running the model again.

    With `on_ready`, the first sentence goes through every layer on its own before the rest, and
    `on_ready(draft, i)` is called as soon as sentences 0..i are final (`partial` gives their text
    while the others are checked); without it all sentences go together, in the fewest model calls."""

    def __init__(self, model: Model, text: str, dictionary: Iterable[str] = (), on_progress: OnProgress | None = None,
                 use_model: bool = True, batch: int = BATCH, options: "Options | None" = None,
                 on_ready: "Callable[[Draft, int], None] | None" = None):
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
        self.layers = [first_layer(s, self.spell, self.personal, names, confusion=use_model and options.confusion,
                                   lowercase=lower, skip_rules=options.skip_rules) for s in self.units]
        self.kept: list[list] = [[] for _ in self.units]  # the candidates kept per sentence (benchmarks read their rules)
        self.spelled = [s.text for s in self.units]
        self.evident = [False] * len(self.units)
        self.stats = GenerationStats(batch_size=batch)
        self.answers: dict[int, str] = {}
        self.hunk_gain: dict[int, dict[tuple[int, int, str], float]] = {}
        self.todo = [i for i, s in enumerate(self.units) if len(s.text.split()) >= 2] if use_model and options.generate else []
        self._todo = frozenset(self.todo)
        self._t0 = time.perf_counter()
        self._on_progress = on_progress
        self._examples: list[int] | None = None  # the worked examples' tokens, once per draft
        windows = _windows(self.units, self.todo, first_alone=on_ready is not None)
        with model.job() if use_model else contextlib.nullcontext():  # a cancel between two calls is not lost
            for window in windows:
                self._first_pass(model, window, use_model)
                self._model_pass(model, window, batch)
                if on_ready:
                    on_ready(self, window[-1])
        if self.todo:
            self.stats.total_seconds = time.perf_counter() - self._t0

    def _first_pass(self, model: Model, window: list[int], use_model: bool) -> None:
        """Dictionary, slips and rules for the window's sentences; the model confirms candidates."""
        o = self.options
        if use_model:
            margins = {"spelling": o.spell_margin, "rule": o.rule_margin, "confusion": o.confusion_margin,
                       "initial": o.initial_margin}
            jobs = {i: (self.units[i].text, list(self.layers[i].sure),
                        [(c, k) for c, k in self.layers[i].candidates if o.rules or k != "rule"]) for i in window}
            asked = [i for i in window if jobs[i][2]]
            for i, judged in zip(asked, judge(model, [jobs[i] for i in asked]) if asked else []):
                self.kept[i] = keep(judged, margins)
        else:
            for i in window:
                self.kept[i] = [c for c, kind in self.layers[i].candidates if kind == "spelling"]
        for i in window:
            s, layer = self.units[i], self.layers[i]
            self.spelled[i] = apply_suggestions(s.text, [*layer.sure, *self.kept[i]])
            self.evident[i] = self.spelled[i] != s.text or layer.unknown

    def _model_pass(self, model: Model, window: list[int], batch: int) -> None:
        """The model's corrected version of each of the window's sentences, and its own fixes scored."""
        todo = [i for i in window if i in self._todo]
        if not todo:
            return

        def done(k: int, answer: str, _stats: GenerationStats) -> None:
            self.answers[todo[k]] = answer
            if self._on_progress:
                n, total = len(self.answers), len(self.todo)
                elapsed = time.perf_counter() - self._t0
                self._on_progress(Progress(n, total, elapsed / n * (total - n), "proofreading"))

        if getattr(model, "can_prefill", False):  # the worked examples: from this machine's cache (llama runtime)
            if self._examples is None:
                self._examples = fixed_prefix(model, prompts.messages)
            model.warm_prefix(self._examples)
        for _, stats in correct_sentences(model, [self.spelled[i] for i in todo], on_done=done, batch=batch):
            self.stats.add(stats)
        if self.options.model_margin is not None:
            self._judge_model_fixes(model, todo)

    def _judge_model_fixes(self, model: Model, indices: list[int]) -> None:
        """Score every safe difference of the model's answers (as in thorough mode) against the
        sentence without it, so a mode can keep only those the model itself clearly prefers."""
        jobs, where = [], []
        for i in indices:
            answer = self.answers.get(i)
            if answer is None:
                continue
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

    def partial(self, mode: str, upto: int) -> str:
        """The text up to the end of sentence `upto`, corrected in `mode` (sentences 0..upto are final)."""
        limits = MODES[mode]
        edits = [e for i in range(upto + 1)
                 for e in _sentence_edits(self.units[i], self.final(i, limits), self.spell, self.personal)]
        return apply_edits(self.text[: self.units[upto].end], edits)

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
    up to the end of the first checked sentence as soon as that one is final (the rest are
    checked after it), then the whole corrected text."""
    if mode not in MODES:
        raise InputError(f"unknown proofreading mode {mode!r}; choose {' or '.join(MODES)}")
    def ready(draft: Draft, upto: int) -> None:  # the first checked sentence, before the rest are done
        if upto < len(draft.units) - 1:
            on_text(draft.partial(mode, upto))

    result = Draft(model, text, dictionary, on_progress, use_model, batch, on_ready=ready if on_text else None).result(mode)
    if on_text:
        on_text(result.text)
    return result


def _windows(units: list, todo: list[int], first_alone: bool) -> list[list[int]]:
    """The groups of sentence indices that go through the layers together: all at once, or (with
    `first_alone`) everything up to the first real sentence the model checks (a salutation goes
    with it), then the rest."""
    n = len(units)
    if n == 0:
        return []
    first = next((i for i in todo if len(units[i].text.split()) >= FIRST_WORDS), None)
    if not first_alone or first is None or first >= n - 1:
        return [list(range(n))]
    return [list(range(first + 1)), list(range(first + 1, n))]


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

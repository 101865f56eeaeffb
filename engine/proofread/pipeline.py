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

import time
from dataclasses import dataclass
from typing import Callable, Iterable

from ..errors import InputError
from ..model import GenerationStats, Model, SamplingOptions
from ..tasks.base import TaskResult
from ..tasks.cleanup import clean_output
from . import prompts
from .align import apply_hunks, edits_between, hunks
from .edits import Edit, apply_edits
from .mechanics import mechanical_fixes
from .guard import Limits, hunk_allowed, is_agreement_fix, sentence_problem
from .segment import Sentence, protected_spans, sentences, touches
from .spelling import speller


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    eta_seconds: float
    stage: str


OnProgress = Callable[[Progress], None]
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


def dictionary_pass(s: Sentence, spell, personal: frozenset[str]) -> str:
    """The sentence with its non-words, then its mechanical slips, fixed (no model involved)."""
    text = _apply(s.text, spell.check(s.text, personal, protected_spans(s.text)))
    slips = mechanical_fixes(text, protected_spans(text), capitalize_start=not s.in_markup, end_of_line=s.ends_line)
    return _apply(text, [g for g in slips if g.word.lower() not in personal])


def _apply(text: str, suggestions) -> str:
    out, pos = [], 0
    for g in sorted(suggestions, key=lambda g: g.start):
        if g.start < pos:
            continue
        out += [text[pos : g.start], g.replacement]
        pos = g.end
    return "".join(out) + text[pos:]


def fix_sentence(original: str, spelled: str, answer: str, personal: frozenset[str], limits: Limits = Limits(),
                 evident: bool | None = None) -> tuple[str, str]:
    """The final text of one sentence, and why the model's answer was set aside ("" if it was used).
    `evident`: the dictionary layer found a mistake (default: it changed something)."""
    protected = protected_spans(spelled)
    candidate = clean_output(answer, spelled)
    problem = sentence_problem(spelled, candidate, limits)
    if problem:
        return spelled, problem
    chosen = [h for h in hunks(spelled, candidate) if hunk_allowed(h, protected, personal, limits)]
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


class Draft:
    """The expensive part of proofreading (dictionary pass + one model answer per sentence),
    from which a result can be built in either mode without running the model again."""

    def __init__(self, model: Model, text: str, dictionary: Iterable[str] = (), on_progress: OnProgress | None = None,
                 use_model: bool = True, batch: int = BATCH):
        if not isinstance(text, str):
            raise InputError("proofreading needs text (a string)")
        if not text.strip():
            raise InputError("there is no text to proofread: the input is empty or only whitespace")
        self.text = text
        self.model_name = getattr(model, "name", "")
        self.personal = frozenset(w.strip().lower() for w in dictionary if w and w.strip())
        self.spell = speller()
        self.units = sentences(text)
        self.spelled = [dictionary_pass(s, self.spell, self.personal) for s in self.units]
        self.evident = [sp != s.text or bool(self.spell.unknown_words(sp, self.personal, protected_spans(sp)))
                        for s, sp in zip(self.units, self.spelled)]
        self.answers: dict[int, str] = {}
        self.stats = GenerationStats(batch_size=batch)
        todo = [i for i, s in enumerate(self.units) if len(s.text.split()) >= 2] if use_model else []
        t0 = time.perf_counter()

        def done(k: int, answer: str, _stats: GenerationStats) -> None:
            self.answers[todo[k]] = answer
            if on_progress:
                n = len(self.answers)
                on_progress(Progress(n, len(todo), (time.perf_counter() - t0) / n * (len(todo) - n), "proofreading"))

        if todo:
            with model.job():  # a cancel between two batches of sentences is not lost
                for _, stats in correct_sentences(model, [self.spelled[i] for i in todo], on_done=done, batch=batch):
                    self.stats.add(stats)
            self.stats.total_seconds = time.perf_counter() - t0

    def final(self, i: int, limits: Limits) -> str:
        if i not in self.answers:
            return self.spelled[i]
        return fix_sentence(self.units[i].text, self.spelled[i], self.answers[i], self.personal, limits, self.evident[i])[0]

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

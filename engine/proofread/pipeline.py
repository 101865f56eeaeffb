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
from .guard import Limits, hunk_allowed, sentence_problem
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


def fix_sentence(original: str, spelled: str, answer: str, personal: frozenset[str], limits: Limits = Limits()) -> tuple[str, str]:
    """The final text of one sentence, and why the model's answer was set aside ("" if it was used)."""
    protected = protected_spans(spelled)
    candidate = clean_output(answer, spelled)
    problem = sentence_problem(spelled, candidate, limits)
    if problem:
        return spelled, problem
    chosen = [h for h in hunks(spelled, candidate) if hunk_allowed(h, protected, personal, limits)]
    if spelled == original and len(chosen) < limits.evidence_hunks:
        # No dictionary evidence of a mistake and only a change or two: on correct text the
        # small model still "improves" one sentence in four, so such changes are left out.
        return spelled, ""
    return apply_hunks(spelled, candidate, chosen), ""


def proofread(
    model: Model,
    text: str,
    dictionary: Iterable[str] = (),
    on_progress: OnProgress | None = None,
    on_text: Callable[[str], None] | None = None,
    use_model: bool = True,
    limits: Limits = Limits(),
    batch: int = BATCH,
) -> TaskResult:
    """Correct `text`; `result.edits` lists every change (apply a subset with `apply_edits`)."""
    if not isinstance(text, str):
        raise InputError("proofreading needs text (a string)")
    if not text.strip():
        raise InputError("there is no text to proofread: the input is empty or only whitespace")
    personal = frozenset(w.strip().lower() for w in dictionary if w and w.strip())
    spell = speller()
    units = sentences(text)
    spelled = [dictionary_pass(s, spell, personal) for s in units]

    result = TaskResult("proofread", text, text, model=getattr(model, "name", ""))
    finals = list(spelled)
    problems: list[str] = []
    t0 = time.perf_counter()
    todo = [i for i, s in enumerate(units) if len(s.text.split()) >= 2] if use_model else []
    answers: dict[int, str] = {}

    def done(k: int, answer: str, stats: GenerationStats) -> None:
        i = todo[k]
        answers[i] = answer
        finals[i], why = fix_sentence(units[i].text, spelled[i], answer, personal, limits)
        if why:
            problems.append(why)
        if on_progress:
            n = len(answers)
            eta = (time.perf_counter() - t0) / n * (len(todo) - n)
            on_progress(Progress(n, len(todo), eta, "proofreading"))
        if on_text:
            on_text(_assemble(text, units, finals, spell, personal)[1])

    if todo:
        runs = correct_sentences(model, [spelled[i] for i in todo], on_done=done, batch=batch)
        for _, stats in runs:
            result.stats.add(stats)
        result.stats.total_seconds = time.perf_counter() - t0
    result.raw = "\n".join(answers[i] for i in sorted(answers))
    result.edits, result.text = _assemble(text, units, finals, spell, personal)
    result.stats.batch_size = batch
    if problems:
        result.variant = f"{len(problems)} of {len(todo)} model answers set aside by the guardrails"
    return result


def _assemble(text: str, units: list[Sentence], finals: list[str], spell, personal) -> tuple[list[Edit], str]:
    edits: list[Edit] = []
    for s, final in zip(units, finals):
        if final == s.text:
            continue
        shield = protected_spans(s.text)
        for e in edits_between(s.text, final, lambda w: spell.is_known(w, personal), offset=s.start):
            if touches(shield, e.start - s.start, e.end - s.start):
                continue
            if any(w.lower() in personal for w in e.original.split()):
                continue
            edits.append(e)
    return edits, apply_edits(text, edits)

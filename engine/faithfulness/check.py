"""`check`: the whole faithfulness check of a candidate against its source."""

from __future__ import annotations

from typing import Iterable, Sequence

from .coverage import added_title_problems, dropped_clause_problems, dropped_complaint_problems
from .drift import INJECTION, person_problems, swap_problems, task_problems
from .facts import Fact, facts, keys_of, number_counts, present
from .negation import content_words, negation_problems, stem
from .policy import MODES, Faithfulness, Policy, Problem
from .relations import lowercase_name_problems, relation_problems


def overlap(source: str, candidate: str) -> float:
    """Share of the source's distinct content-word stems that the candidate also uses."""
    src = {stem(w) for w in content_words(source)}
    if not src:
        return 1.0
    cand = {stem(w) for w in content_words(candidate)}
    return len(src & cand) / len(src)


def _pair_changes(dropped: list[Fact], added: list[Fact]) -> list[Problem]:
    """A dropped fact and an added fact of the same kind read better as one change."""
    out: list[Problem] = []
    added = list(added)
    for d in dropped:
        twin = next((a for a in added if a.what == d.what), None)
        if twin is not None:
            added.remove(twin)
            out.append(Problem("changed", d.what, d.text, twin.text))
        else:
            out.append(Problem("dropped", d.what, d.text))
    out.extend(Problem("added", a.what, a.text) for a in added)
    return out


def check(
    source: str,
    candidate: str,
    mode: str | Policy = "rewrite",
    *,
    prompt: Sequence[str] | str = (),
    allowed: Iterable[str] = (),
    names: Iterable[str] = (),
) -> Faithfulness:
    """Compare a candidate with its source under a mode ("rewrite", "summary", "edit") or a Policy.

    `prompt`: the instruction text(s) the model was given; their words in the candidate (and not in
    the source) are a problem. `allowed`: words the candidate may add without it counting as an added
    name or number (for example the sign-off a tool itself inserted). `names`: words of the whole text
    that are names although written in lowercase (relations.lowercase_names of the text the source is
    part of); a source that has one must keep it."""
    policy = mode if isinstance(mode, Policy) else MODES[mode]
    name = mode if isinstance(mode, str) else "custom"
    prompts = [prompt] if isinstance(prompt, str) else list(prompt)
    src_facts, cand_facts = facts(source), facts(candidate)
    src_keys, cand_keys = keys_of(source, src_facts), keys_of(candidate, cand_facts)
    allowed_keys = set()
    for a in allowed:
        allowed_keys |= keys_of(a, facts(a))
    dropped: list[Fact] = []
    added: list[Fact] = []
    if policy.keep_facts:
        seen: set[tuple[str, ...]] = set()
        for f in src_facts:
            if f.keys in seen or f.weak:
                continue
            seen.add(f.keys)
            if not present(f, cand_keys):
                dropped.append(f)
        have, had = number_counts(candidate), number_counts(source)
        for f in src_facts:  # "6 May ... in 6 weeks" -> "6 May ... soon": the second 6 is gone
            short = [k for k in f.keys if k.startswith("n:") and have.get(k, 0) < had.get(k, 0)] if f.what == "number" and not f.weak else []
            if short and f not in dropped:
                dropped.append(f)
                for k in short:
                    have[k] = had[k]
    if policy.add_no_facts:
        seen = set()
        for f in cand_facts:
            if f.keys in seen or f.weak:
                continue
            seen.add(f.keys)
            if not present(f, src_keys | allowed_keys):
                added.append(f)
    result = Faithfulness(name, _pair_changes(dropped, added), overlap(source, candidate))
    result.problems += negation_problems(source, candidate, policy)
    if policy.keep_facts:
        result.problems += person_problems(source, candidate)
        if policy.relations:
            result.problems += relation_problems(source, candidate, src_facts)
        result.problems += lowercase_name_problems(source, candidate, names)
    if policy.keep_clauses:
        result.problems += dropped_clause_problems(source, candidate) + dropped_complaint_problems(source, candidate)
    if policy.add_no_facts:
        result.problems += added_title_problems(source, candidate)
    result.problems += task_problems(source, candidate, prompts, policy, result.overlap)
    if policy.no_word_swaps:
        result.problems += swap_problems(source, candidate)
    return result


def is_instruction(text: str) -> bool:
    """Whether a text contains an instruction aimed at the model ("Ignore all previous
    instructions", "Reply only with: ..."): summaries quote such lines, never obey or state them."""
    return INJECTION.search(text) is not None

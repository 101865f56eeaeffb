"""Rewrite in a tone (rewrite, friendly, professional, concise) or by a custom instruction.

The structure passes through (structure.py): salutations, sign-offs, blank lines, lists, markdown,
URLs, emoji. Each prose sentence gets several candidates: one per prompt variant, decoded together
as parallel sequences (model.generate_many), each also in its deterministic tone edit, plus the
tone edit of the original sentence. Every candidate goes through the shared faithfulness check; the
best passing one is used (choose.py). A sentence with no passing candidate keeps its original, and
the result says, per paragraph, what was rewritten and what was kept and why. While it runs,
`on_text` gets the text up to the first undecided sentence and `on_draft` unchecked drafts of the
rest (rewrite_preview.py).
"""

from __future__ import annotations

import re
from typing import Sequence

from ..errors import InputError, ModelError
from ..faithfulness.coverage import added_words, dropped_words
from ..faithfulness.negation import content_words
from ..faithfulness.relations import lowercase_names
from ..model import GenerationStats, Model, SamplingOptions
from . import cuts, fact_forms, phatic, rewrite_prompts, structure, tone_edits
from .base import OnText, TaskResult
from .choose import Candidate, best, first_line, free_words, judge
from .rewrite_preview import OnDraft, Preview

TONES = rewrite_prompts.TONE_GOALS
_MAX_SENTENCE_TOKENS = 400


def build_messages(text: str, tone: str, instruction: str = "", style: str = "", variant: int = 0) -> list[dict[str, str]]:
    """The chat messages for rewriting one sentence (kept for callers that show or cache prompts)."""
    return rewrite_prompts.messages(text, tone, variant, instruction, style)


def _budget(model: Model, sentence: str, tone: str) -> int:
    """Tokens a candidate may take. A concise candidate must be shorter than the sentence (choose.py),
    so decoding past its length plus a few tokens of slack only costs time."""
    n = model.count_tokens(sentence)
    return n + 8 if tone == "concise" else int(n * 2.0) + 16


def _candidates(original: str, raws: Sequence[tuple[str, bool]], tone: str) -> list[Candidate]:
    """The model's answers (raw text, whether decoding hit the token limit), their tone edits, and the
    tone edit of the original. An answer cut off by the limit is rejected: its end is missing, and a
    cut-off sentence would pass for a shorter one."""
    out: list[Candidate] = []
    seen: set[str] = set()

    def add(text: str, source: str, problem: str = "") -> None:
        if text and text not in seen:
            seen.add(text)
            out.append(Candidate(text, source, [problem] if problem else []))

    for k, (raw, cut_off) in enumerate(raws, 1):
        answer = fact_forms.restore(original, first_line(raw, original))  # "February 20" -> "20 February"
        if cut_off and "\n" not in raw.strip():
            add(answer, f"model-{k}", "cut off at the length limit")
            continue
        add(answer, f"model-{k}")
        if tone != "custom" and answer:
            add(tone_edits.apply(tone, answer), f"model-{k}+edit")
    if tone != "custom":
        add(tone_edits.apply(tone, original), "edit")
    return out


def _validate(text: str, tone: str, instruction: str) -> None:
    if tone not in TONES and tone != "custom":
        raise InputError(f"unknown tone {tone!r}; choose one of {', '.join([*TONES, 'custom'])}")
    if tone == "custom" and not instruction.strip():
        raise InputError("a custom rewrite needs an instruction (--instruction \"...\")")
    if not text.strip():
        raise InputError("there is no text to rewrite")


def rewrite(
    model: Model,
    text: str,
    tone: str = "rewrite",
    instruction: str = "",
    style: str = "",
    on_text: OnText | None = None,
    sampling: SamplingOptions | None = None,
    on_draft: OnDraft | None = None,
) -> TaskResult:
    _validate(text, tone, instruction)
    sampling = sampling or SamplingOptions()  # greedy: the prompt variants give the variety
    pieces = structure.split(text)
    out = [p.text for p in pieces]
    notes: dict[int, tuple[str, str, str]] = {}  # piece index -> (status, reason, chosen source)
    for i, p in enumerate(pieces):  # a tone may change a greeting's or sign-off's first word
        if p.role == "salutation":
            out[i] = tone_edits.opening(tone, p.text)
        elif p.role == "sign-off":
            out[i] = tone_edits.closing(tone, p.text)
    prompt_words = rewrite_prompts.prompt_texts(tone, instruction)
    names = sorted(lowercase_names(text))
    if tone == "concise":  # "Hope you're well.", "Let me know if you have any questions." go
        phatic.leave_out(pieces, out, notes)
    n_variants = rewrite_prompts.variants(tone)
    result = TaskResult("rewrite", text, "", variant=tone, model=getattr(model, "name", ""))
    paragraphs = sorted({p.paragraph for p in pieces})
    preview = Preview(out, [i for i, p in enumerate(pieces) if p.rewritable and i not in notes], on_text, on_draft)
    edits: dict[int, dict] = {}

    pending: dict[int, list[tuple[str, bool]]] = {}
    asked: dict[int, list[tuple[str, bool]]] = {}  # piece index -> every answer the model gave for it
    finishing = True

    def decide(i: int, raws: list[tuple[str, bool]]) -> None:
        """Choose sentence i's text from its candidates (the best that passes the check, else the original).
        Concise waits until the paragraph's decoding is over: its cuts are read by the model (score_texts),
        which cannot run inside a generate_many callback."""
        if tone == "concise" and not finishing:
            pending[i] = raws
            return
        raws = asked.get(i, []) + raws  # a second round adds its answers to the first round's
        asked[i] = raws
        original = pieces[i].text
        cands = _candidates(original, raws, tone)
        for c in cands:
            if not c.problems:
                judge(original, c, tone, prompt_words, names)
                _second_round_words(original, c, n_variants)
        if tone == "concise":
            _add_cuts(model, original, cands, prompt_words, names)
        pick = best(cands)
        if pick is None or _same(pick.text, original):
            notes[i] = ("kept", _why_kept(cands), "")
        else:
            out[i] = pick.text
            notes[i] = ("rewritten", "", pick.source)
        edits[i] = {"original": original, "text": out[i], "status": notes[i][0], "reason": notes[i][1],
                    "source": notes[i][2], "paragraph": pieces[i].paragraph, "answers": len(raws),
                    "rejected": [{"text": c.text, "source": c.source, "problems": c.problems} for c in cands if not c.ok]}
        preview.settled(i)

    def ask(idxs: list[int], how: SamplingOptions, watch: Preview) -> None:
        """One round: every variant's prompt for each sentence, decoded together; then decide."""
        nonlocal finishing
        prompts, owners, limits = [], [], []
        for i in idxs:
            for v in range(n_variants):
                tokens, prefix = rewrite_prompts.request(model, pieces[i].text, tone, v, instruction, style)
                prompts.append(tokens)
                owners.append((i, v, prefix))
                limits.append(_budget(model, pieces[i].text, tone))
        finishing = False
        _generate(model, prompts, limits, owners, how, result.stats, decide, watch)
        finishing = True
        for i, raws in sorted(pending.items()):
            decide(i, raws)
        pending.clear()

    with model.job():  # the calls of one text: a cancel between two of them is not lost
        for para in paragraphs:
            idxs = []
            for i, p in enumerate(pieces):
                if p.paragraph != para or not p.rewritable or i in notes:
                    continue
                if model.count_tokens(p.text) > _MAX_SENTENCE_TOKENS:
                    notes[i] = ("kept", "the sentence is too long to rewrite safely", "")
                    preview.settled(i)
                    continue
                idxs.append(i)
            if idxs:
                ask(idxs, sampling, preview)
        # Nothing changed (every greedy answer failed the check or gave the sentence back): ask once more
        # for every sentence, sampled, so the answers differ; the original stays where these fail too.
        kept = [i for i in sorted(asked) if notes[i][0] == "kept"]
        if kept and not any(n[0] == "rewritten" for n in notes.values()):
            ask(kept, _second_round(sampling), Preview(out, [], None, None))
    for i, p in enumerate(pieces):
        if i in edits:
            result.edits.append(edits[i])
        elif p.rewritable and i in notes and notes[i][0] == "rewritten":  # left out before the model was asked
            result.edits.append({"original": p.text, "text": "", "status": "rewritten", "reason": "",
                                 "source": notes[i][2], "paragraph": p.paragraph, "rejected": []})
    preview.emit()
    result.text = "".join(out)
    result.raw = result.text
    result.parts = _parts(pieces, out, notes)
    changed = result.text != text
    if not changed:
        result.ok = False
        reasons = [n[1] for n in notes.values() if n[0] == "kept" and n[1]]
        what = "no shorter version" if tone == "concise" else "no rewrite"  # a terse note has nothing to cut
        result.problem = (f"{what} kept the meaning ({reasons[0]}); the original is kept" if reasons
                          else "there is nothing in the text to rewrite; the original is kept")
    return result


# A cut that makes the sentence read much worse to the model is not taken: its mean log-probability
# per token may fall at most this much below the text it was cut from (nats). On cuts of the development
# set's sentences, grammatical cuts fell by at most 0.90, and 4 of 19 random deletions of 1-3 words
# fell by more than 1.0 (the rest were not told apart by this 135M model: the cuts' rules carry most).
_CUT_FLUENCY_DROP = 1.0


def _add_cuts(model: Model, original: str, cands: list[Candidate], prompt: Sequence[str], names: Sequence[str]) -> None:
    """Concise: shorter versions of the passing candidates and of the original's edit made only by
    deleting words (cuts.py), judged like every candidate; then the model's fluency (mean token
    log-probability) of every passing candidate, which rejects cuts that read badly and breaks near
    ties in the choice."""
    bases = [c for c in cands if c.ok] + [Candidate(tone_edits.concise(original), "edit")]
    seen = {c.text for c in cands}
    parent: dict[int, str] = {}
    for b in bases:
        for text in cuts.candidates(b.text):
            if text in seen:
                continue
            seen.add(text)
            c = Candidate(text, b.source.split("+cut")[0] + "+cut")
            judge(original, c, "concise", prompt, names)
            cands.append(c)
            parent[id(c)] = b.text
    if not getattr(model, "can_score", False):
        return
    ok = [c for c in cands if c.ok]
    texts = sorted({c.text for c in ok} | {parent[id(c)] for c in ok if id(c) in parent})
    if not ok:
        return
    try:
        lps = model.score_texts(texts)
    except ModelError:  # a backend that cannot score: cuts stand on the check alone
        return
    mean = {t: lp / max(1, model.count_tokens(t)) for t, lp in zip(texts, lps)}
    for c in ok:
        if id(c) in parent and mean[c.text] < mean[parent[id(c)]] - _CUT_FLUENCY_DROP:
            c.problems.append(f"reads badly after the cut (fluency {mean[c.text]:.2f} vs {mean[parent[id(c)]]:.2f})")
            continue
        c.fluency = mean[c.text]
        c.score += 0.15 * max(-4.0, c.fluency) / 4.0


def _generate(model: Model, prompts, limits, owners, sampling, stats: GenerationStats, decide, preview: Preview) -> None:
    """Decode every candidate of a paragraph as parallel sequences; each sentence is decided the
    moment its last candidate is written (so the preview grows sentence by sentence)."""
    expected: dict[int, int] = {}
    for i, _, _ in owners:
        expected[i] = expected.get(i, 0) + 1
    raws: dict[int, list[tuple[int, str, bool]]] = {}

    def done(k: int, raw: str, one: GenerationStats) -> None:
        i, _, prefix = owners[k]
        raws.setdefault(i, []).append((k, _join_prefix(prefix, raw), one.finish_reason == "length"))
        _add_stats(stats, one)
        if len(raws[i]) == expected[i]:
            decide(i, [(r, cut) for _, r, cut in sorted(raws[i])])

    extra = {"on_partial": preview.partials(owners)} if preview.wants_drafts else {}
    model.generate_many(prompts, limits, stop=["\n\n"], sampling=sampling, on_done=done, **extra)


def _second_round_words(original: str, c: Candidate, n_variants: int) -> None:
    """A sampled answer of the second round must also keep every content word in some form (fillers
    aside): sampling gives the model more tries at slipping past the check, and it did ("i told them
    we can't go above 5% without sign off from mark" -> "we can't go above 5% without signing off";
    "The grilled octopus was the best I've had in years" -> "The best I've had in years is the
    perfect dinner", a word put in place of each word lost), and adds few of its own ("I'm at home on
    Wednesday and Friday." -> "The party at home on Wednesday and Friday was all about my favorite game.")."""
    m = re.match(r"model-(\d+)", c.source)
    if c.ok and m and int(m.group(1)) > n_variants and not c.source.endswith("+cut"):
        lost = dropped_words(original, c.text, free_words(original), swaps=False)
        if lost:
            c.problems.append(f"left out “{', '.join(lost[:3])}” (a second-round answer keeps every word)")
        added = added_words(original, c.text)
        if len(added) > max(1, len(set(content_words(original))) // 4):
            c.problems.append(f"added “{', '.join(added[:3])}” (a second-round answer adds little)")


def _second_round(sampling: SamplingOptions) -> SamplingOptions:
    """Sampled decoding for the second round: answers other than the greedy ones, still reproducible."""
    return SamplingOptions(temperature=0.7, top_k=40, top_p=0.95, repeat_penalty=sampling.repeat_penalty,
                           repeat_last_n=sampling.repeat_last_n, seed=sampling.seed + 1)


def _join_prefix(prefix: str, raw: str) -> str:
    """The prefix is part of the answer; the model's pieces carry their own leading spaces."""
    return prefix + raw


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _why_kept(cands: list[Candidate]) -> str:
    problems = [c.problems[0] for c in cands if c.problems]
    if not problems:
        return "the model gave it back unchanged" if cands else "the model gave no answer"
    model_problems = [c.problems[0] for c in cands if c.problems and c.source.startswith("model") and "+" not in c.source]
    unchanged = len(cands) > len(problems)
    return ("the model gave it back unchanged, and its changed candidates failed the check: " if unchanged
            else "every candidate failed the check: ") + (model_problems or problems)[0]


def _add_stats(total: GenerationStats, one: GenerationStats) -> None:
    """Parallel sequences share their prompt and decode time: count tokens per sequence, time once."""
    total.prompt_tokens += one.prompt_tokens
    total.output_tokens += one.output_tokens
    total.cached_tokens += one.cached_tokens
    total.batch_size = max(total.batch_size, one.batch_size)
    total.first_token_seconds = total.first_token_seconds or one.first_token_seconds
    total.finish_reason = one.finish_reason or total.finish_reason
    share = 1.0 / max(1, one.batch_size)
    total.prompt_seconds += one.prompt_seconds * share
    total.decode_seconds += one.decode_seconds * share
    total.total_seconds += one.total_seconds * share


def _parts(pieces: list[structure.Piece], out: list[str], notes: dict[int, tuple[str, str, str]]) -> list[dict]:
    """Per paragraph: rewritten (some sentence changed), kept (no sentence could be changed
    faithfully), or as-is (nothing in it to rewrite: a greeting, a sign-off, a list marker)."""
    parts = []
    for para in sorted({p.paragraph for p in pieces}):
        idxs = [i for i, p in enumerate(pieces) if p.paragraph == para]
        original = "".join(pieces[i].text for i in idxs).strip()
        if not original:
            continue
        text = "".join(out[i] for i in idxs).strip()
        sentence_notes = [notes[i] for i in idxs if i in notes]
        kept = [n[1] for n in sentence_notes if n[0] == "kept"]
        if text != original:
            status = "rewritten"
            reason = f"{len(kept)} of {len(sentence_notes)} sentences kept as written: {kept[0]}" if kept else ""
        elif kept:
            status, reason = "kept", kept[0]
        else:
            status, reason = "as-is", "nothing to rewrite (greeting, sign-off or markup)"
        parts.append({"paragraph": len(parts), "status": status, "reason": reason, "original": original, "text": text})
    return parts

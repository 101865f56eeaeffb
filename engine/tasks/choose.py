"""Judge the candidates for one sentence and pick the best that keeps its meaning.

A candidate is rejected when it is empty, a refusal, far off in length (for `concise`: not
shorter), in another language, missing an emoji of the sentence, or when the shared faithfulness
check finds a problem. The rest are scored on meaning kept (content-word overlap), tone achieved
(per tone, below) and, when the model gives them, fluency (mean token log-probability).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Sequence

from ..faithfulness import Policy, check, facts, function_words
from ..faithfulness.coverage import dropped_words
from ..faithfulness.negation import content_words, stem
from ..textsplit import split_sentences
from . import cuts, fact_forms, tone_edits
from .cleanup import clean_output, is_refusal
from .language import same_language

LENGTH_LIMITS = {"rewrite": (0.6, 1.6), "friendly": (0.6, 2.0), "professional": (0.6, 1.9), "concise": (0.3, 0.99),
                 "custom": (0.2, 3.0)}
CUSTOM_POLICY = Policy(min_overlap=0.1)
# A concise cut (cuts.py) may leave out a whole clause: only one without a fact, negation, complaint,
# comparison or condition, by construction. Model answers may not (the "rewrite" mode).
CUT_POLICY = Policy(keep_clauses=False)
_SLANG = re.compile(r"\b(?:gonna|wanna|gotta|kinda|sorta|yeah|yep|nope|thx|pls|plz|u|ur|asap|btw|fyi|tbh|lol|imo|guys|"
                    r"awesome|stuff|cant|dont|wont|im|ive)\b", re.I)
_CONTRACTION = re.compile(r"\b\w+['’](?:t|s|re|ll|ve|d|m)\b", re.I)
_WARM = re.compile(r"\b(?:thanks|thank you|please|happy|glad|love|great|hope|just so you know|really appreciate|so)\b|!", re.I)
_EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF]")


@dataclass
class Candidate:
    text: str
    source: str  # "model-1", "model-2+edit", "edit", ...
    problems: list[str] = field(default_factory=list)
    score: float = 0.0
    fluency: float | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


ANSWER_LABEL = re.compile(r"^\s*(?:rewritten\s+)?(?:sentence|text|answer|rewrite)\s*:\s*", re.I)


def first_line(raw: str, original: str) -> str:
    """The model's answer for one sentence: cleaned, first non-empty line, without a label
    ("Sentence: ...") or the quotes around it."""
    cleaned = clean_output(ANSWER_LABEL.sub("", raw.strip()), original)
    cleaned = clean_output(ANSWER_LABEL.sub("", cleaned), original)
    for line in cleaned.split("\n"):
        if line.strip():
            line = line.strip()
            if re.search(r"[.!?]$", original.strip()) and re.search(r"\w$", line):
                line += original.strip()[-1]
            return line
    return ""


def _norm(s: str) -> str:
    return " ".join(re.findall(r"\w+", s.lower()))


def words(s: str) -> int:
    """Words as a reader counts them: "I'm" and "check-in" are one word each."""
    return len(re.findall(r"\w[\w'’-]*", s))


def judge(original: str, cand: Candidate, tone: str, prompt: Sequence[str], names: Sequence[str] = ()) -> None:
    """Fill cand.problems (empty: usable and faithful) and cand.score. `names`: lowercase names of the
    whole text (faithfulness.relations.lowercase_names), which the sentence alone may not reveal."""
    t = cand.text
    if not t.strip():
        cand.problems.append("the model returned nothing")
        return
    # "I am really not able to wait" is the writer's own words, and so is its edit "I'm not able to wait"
    if is_refusal(t) and not is_refusal(original) and not is_refusal(tone_edits.concise(original)):
        cand.problems.append("the model refused")
        return
    lo, hi = LENGTH_LIMITS[tone]
    ratio = words(t) / max(1, words(original))
    if ratio < lo:
        cand.problems.append(f"too short ({words(t)} words for {words(original)})")
    elif ratio > hi:
        cand.problems.append(f"too long ({words(t)} words for {words(original)})" if tone != "concise"
                             else "not shorter than the original")
    if tone != "custom" and not same_language(original, t):
        cand.problems.append("not in the language of the text")
    missing = [e for e in _EMOJI.findall(original) if e not in t]
    if missing:
        cand.problems.append(f"lost the emoji {missing[0]}")
    reworded = [(f, keys) for f, keys in written_facts(original) if not fact_forms.written(f, t, keys)]
    if reworded:  # the reason a user reads: "left out" when the fact is not there in any form
        f, keys = reworded[0]
        there = any(c.keys == keys for c in facts(t)) if keys else f.split()[0].lower() in t.lower()
        cand.problems.append(f"reworded “{f}” (facts are kept as written)" if there else f"left out “{f}”")
    if re.search(r"[=+(/:,–-]\s*$", t) and not re.search(r"[=+(/:,–-]\s*$", original):
        cand.problems.append("the answer breaks off")
    label = re.match(r"\s*([^:\n]{3,40}):\s", t)
    if label and not re.match(r"\s*[^:\n]{3,40}:\s", original) and not set(content_words(label.group(1))) <= set(content_words(original)):
        cand.problems.append(f"added a label of its own: “{label.group(1)}:”")
    extra = added_sentence(original, t)
    if extra:
        cand.problems.append(f"added a sentence the text does not have: “{extra}”")
    if tone == "concise" and cand.source.startswith("model") and not cand.source.endswith("+cut"):
        lost = dropped_words(original, t, free_words(original))
        if lost:
            cand.problems.append(f"left out “{', '.join(lost[:3])}” (a shorter version may leave out only filler)")
    mode = CUSTOM_POLICY if tone == "custom" else CUT_POLICY if cand.source.endswith("+cut") else "rewrite"
    report = check(original, t, mode, prompt=prompt, names=names)
    cand.problems += [p.message() for p in report.problems]
    if cand.problems:
        return
    cand.score = 0.6 * report.overlap + tone_score(original, t, tone)
    if cand.fluency is not None:
        cand.score += 0.15 * max(-4.0, cand.fluency) / 4.0  # mean log-prob per token: 0 (sure) .. -4 (lost)


# Words that carry no fact: a concise answer may leave them out (besides what the concise edit and
# the cuts of the sentence itself leave out).
_FREE = frozenset("also extremely incredibly absolutely completely totally entirely truly genuinely personally "
                  "unfortunately fortunately luckily sadly frankly honestly seriously clearly obviously simply exactly "
                  "highly fairly happily currently definitely certainly surely actually basically essentially "
                  "literally really quite very just kindly course indeed anyway however besides additionally "
                  "moreover furthermore btw fyi lol lmao haha ok okay um uh able".split())


def free_words(original: str) -> set[str]:
    """The words of a sentence a concise answer may leave out: fillers and hedges, and every word that
    the deterministic concise edit ("please note that", "a total of") or a cut of it leaves out."""
    free = set(_FREE)
    edited = {stem(w) for w in content_words(tone_edits.concise(original))}
    free |= {w for w in content_words(original) if stem(w) not in edited}
    for a, b, _ in cuts.spans(original):
        free |= set(content_words(original[a:b]))
    return free


def added_sentence(original: str, candidate: str) -> str:
    """A sentence of the candidate that is not the original's, said another way ("I'm so excited to
    be here." after a rewritten request): more sentences than the original, one of which shares
    less than half of its content words with it. Splitting a long sentence in two is fine."""
    parts = [candidate[a:b] for a, b in split_sentences(candidate)]
    if len(parts) <= len(split_sentences(original)):
        return ""
    source = {stem(w) for w in content_words(original)}
    for part in parts:
        words = {stem(w) for w in content_words(part)}
        if words and len(words & source) / len(words) < 0.5:
            return part.strip()
    return ""


# unit abbreviations a number keeps ("120 ml" is not "120 grams")
_UNITS = r"(?:ml|l|cl|dl|g|kg|mg|km|cm|mm|m|mi|lb|lbs|oz|ft|in|h|hr|hrs|min|mins|s|sec|secs|tsp|tbsp)"


# words after a number that are not what it counts ("79.99 after my old one died")
_NOT_COUNTED = frozenset("after before since until till because while when then than and but from into onto over "
                         "under about around through during with without which that where".split())


def facts_as_written(text: str) -> list[str]:
    """The sentence's facts as the writer wrote them; a number keeps the word it counts
    ("212 pupils", "6 weeks"): a rewrite shows them unchanged, so the reader can trust them."""
    return [f for f, _ in written_facts(text)]


def written_facts(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """facts_as_written with each fact's normalised keys (fact_forms.written uses them)."""
    out = []
    for f in facts(text):
        if f.weak:
            continue
        if f.what == "number" and (re.fullmatch(r"[\d.,]+", f.text) or f.text.isalpha()):
            # the fact where it stands as a whole number ("2 tbsp", not the "2" inside "120 ml")
            m = re.search(rf"(?<![\w.,]){re.escape(f.text)}\s*({_UNITS}\b|[a-z]{{3,}}\b)", text)
            if m and m.group(1) not in function_words() and m.group(1) not in _NOT_COUNTED:
                out.append((m.group(0), f.keys))
                continue
        out.append((f.text, f.keys))
    for m in re.finditer(r"\b\w+ & \w+", text):  # "brennan & co", "Kettle & Crumb": a name keeps its "&"
        out.append((m.group(), ()))
    return out


def tone_score(original: str, text: str, tone: str) -> float:
    """How well `text` achieves the tone, roughly 0..1; an unchanged sentence gets nothing for change."""
    changed = _norm(text) != _norm(original)
    diff = 1.0 - SequenceMatcher(None, _norm(original), _norm(text)).ratio()
    ratio = words(text) / max(1, words(original))
    base = 0.4 if changed else 0.0
    if tone == "concise":  # shorter wins: a cut word costs overlap (0.6 x its share) but gains more here
        return base + 1.5 * (1.0 - ratio)
    if tone == "professional":
        slang = len(_SLANG.findall(text)) + len(_CONTRACTION.findall(text))
        return base - 0.15 * slang - 0.1 * text.count("!") - (0.2 if text[:1].islower() else 0.0) + 0.2 * min(diff, 0.5)
    if tone == "friendly":
        warm = min(2, len(_CONTRACTION.findall(text))) * 0.1 + min(2, len(_WARM.findall(text))) * 0.1
        return base + warm + 0.2 * min(diff, 0.5)
    # rewrite, custom: a real change that keeps the length
    return base + 0.4 * min(diff, 0.4) - 0.3 * abs(1.0 - ratio)


def best(candidates: list[Candidate]) -> Candidate | None:
    """The highest-scoring usable candidate that changes the sentence; ties go to the earlier one."""
    usable = [c for c in candidates if c.ok]
    return max(usable, key=lambda c: c.score) if usable else None

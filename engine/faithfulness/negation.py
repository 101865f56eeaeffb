"""Negations and what they negate; the content words and stems the other checks share."""

from __future__ import annotations

import re

from .facts import function_words
from .policy import Policy, Problem


_NEG_WORD = re.compile(
    r"\b(?:not|no|never|nothing|nobody|none|nowhere|neither|nor|without|cannot|hardly|barely|lack(?:s|ed|ing)?|"
    r"unable|fail(?:s|ed)?\s+to|no\s+longer|instead\s+of|(?:do|does|did|is|are|was|were|has|have|had|could|should|would|must|"
    r"need|might|ca|wo|ai)n['’]?t)\b",
    re.I,
)
_NOT_A_NEGATION = re.compile(r"\bnot\s+only\b|\bno\s+(?:doubt|problem|worries)\b|\bnothing\s+but\b", re.I)


def content_words(text: str) -> list[str]:
    fw = function_words()
    words = re.findall(r"[a-z0-9][a-z0-9'’]*", text.lower())
    return [w for w in words if w not in fw and w.replace("’", "'").split("'")[0] not in fw and len(w) > 1 and not _NEG_WORD.fullmatch(w)]


def stem(w: str) -> str:
    w = w.replace("’", "'").split("'")[0]
    for suf in ("ingly", "edly", "ing", "ed", "ly", "es", "s", "er", "est"):
        if len(w) > len(suf) + 2 and w.endswith(suf):
            return w[: -len(suf)]
    return w


def negations(text: str) -> list[tuple[str, frozenset[str]]]:
    """Each negation in a text with the content-word stems it applies to (the next few words of its
    clause): [("not great", {"great"}), ("hasn't worked", {"work"})]."""
    out = []
    for m in _NEG_WORD.finditer(text):
        if _NOT_A_NEGATION.match(text, m.start()):
            continue
        clause = re.split(r"[.,;:!?()\n]|\b(?:but|and|because|so|although|though|while)\b", text[m.end():], maxsplit=1)[0]
        scope = [stem(w) for w in content_words(clause)[:3]]
        before = [stem(w) for w in content_words(text[max(0, m.start() - 40): m.start()].split(",")[-1])[-2:]]
        if m.group().lower().endswith(("n't", "n’t", "nt")) or m.group().lower() in ("cannot", "unable"):
            scope = scope[:2]
        out.append((text[m.start(): m.end() + len(" ".join(clause.split()[:3])) + 1].strip(), frozenset(scope + before)))
    return out


def negation_problems(source: str, candidate: str, policy: Policy) -> list[Problem]:
    src, cand = negations(source), negations(candidate)
    cand_stems = {stem(w) for w in content_words(candidate)}
    src_stems = {stem(w) for w in content_words(source)}
    problems: list[Problem] = []
    # a flip: the negated words appear in the candidate, but no negation there touches them
    for phrase, scope in src:
        if not scope:
            continue
        if any(scope & s for _, s in cand):
            continue
        if scope & cand_stems and (policy.keep_negation_count or len(scope & cand_stems) >= 1):
            problems.append(Problem("negation", "dropped a negation", phrase))
    for phrase, scope in cand:
        if not scope or any(scope & s for _, s in src):
            continue
        if scope & src_stems:
            problems.append(Problem("negation", "added a negation", phrase))
    if policy.keep_negation_count and not problems:
        problems += _negated_word_changes(source, candidate)
    if policy.keep_negation_count and not problems:
        if len(cand) < len(src):
            problems.append(Problem("negation", "dropped a negation", src[len(cand)][0] if cand else src[0][0]))
        elif len(cand) > len(src):
            problems.append(Problem("negation", "added a negation", cand[-1][0]))
    return problems


_NOT_HEADS = {"one", "longer", "more", "able", "unable", "body", "thing", "really", "even", "quite", "at", "all"}
_ABILITY = re.compile(r"\b(?:can['’]?t|cannot|unable|couldn['’]?t|not\s+able|wasn['’]?t\s+able|weren['’]?t\s+able)\b", re.I)


def _heads(text: str) -> list[tuple[str, str, bool, list[str]]]:
    """(phrase, head, is_ability, words after) per negation: head is the first content word it negates."""
    out = []
    for m in _NEG_WORD.finditer(text):
        if _NOT_A_NEGATION.match(text, m.start()):
            continue
        clause = re.split(r"[.,;:!?()\n]", text[m.end():], maxsplit=1)[0]
        after = [stem(w) for w in content_words(clause) if w not in _NOT_HEADS][:4]
        ability = bool(_ABILITY.match(text, m.start())) or m.group().lower() in ("unable",)
        out.append((m.group() + " " + " ".join(clause.split()[:2]), after[0] if after else "", ability, after))
    return out


def _alike(a: str, b: str) -> bool:
    return a == b or (len(a) >= 4 and len(b) >= 4 and a[:4] == b[:4])


def _negated_word_changes(source: str, candidate: str) -> list[Problem]:
    """The negation is still there but negates something else: "not able to get there" -> "not sure how
    to get there". Being unable stays being unable in any wording (can't, cannot, unable, not able)."""
    cand = _heads(candidate)
    for phrase, head, ability, _after in _heads(source):
        if not head:
            continue
        if ability and any(c[2] and (not c[3] or not _after or _alike(_after[0], c[3][0])) for c in cand):
            continue  # "not able to reach" = "can't reach" = "unable to reach", but not "unable to deliver"
        if any(any(_alike(head, w) for w in c[3][:2]) or _alike(head, c[1]) for c in cand):
            continue
        return [Problem("negation", "changed what is negated", phrase.strip())]
    return []

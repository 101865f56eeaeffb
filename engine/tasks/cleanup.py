"""Post-processing for what small models really emit.

A 135M model wraps answers in preambles ("Sure! Here's the corrected text:"), quotes the
answer, appends explanations ("I changed X because..."), loops, or refuses. Each function here
handles one of those habits; `clean_output` chains them and `judge_output` says whether what is
left can be shown as a result. All pure functions: tested without a model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Lines that introduce the answer rather than being part of it.
_PREAMBLE = re.compile(
    r"""^\s*(?:
        (?:sure|certainly|of\ course|absolutely|okay|ok|great|alright|yes)[!.,]?\s*
        |(?:here(?:'s|\ is|\ are)|below\ is|this\ is)\b[^\n:]{0,80}:
        |(?:the\ )?(?:corrected|revised|rewritten|improved|edited|updated|proofread|new|final|friendly|professional|concise|shorter)
            \b[^\n:]{0,60}:
        |(?:summary|key\ points|answer|output|result|text|correction|rewrite)\s*:
        |i(?:'ve|\ have)\ (?:corrected|rewritten|revised|edited|made)\b[^\n:]{0,80}[:.]
    )\s*""",
    re.IGNORECASE | re.VERBOSE,
)

# Lines that start an explanation or a sign-off after the answer.
_TRAILER = re.compile(
    r"""^\s*(?:
        (?:note|explanation|changes(?:\ made)?|corrections(?:\ made)?|i\ (?:changed|corrected|made|fixed|replaced|removed|added)|
           i(?:'ve|\ have)\ (?:made|changed|rewritten|revised|corrected|tweaked|fixed|edited|adjusted)|
           (?:the\ )?(?:changes|corrections|errors)\ (?:i\ made|made|are|were|include)|
           this\ (?:version|rewrite|revision|text)\ |in\ this\ (?:version|rewrite)|
           let\ me\ know|i\ hope\ this|feel\ free|hope\ this\ helps|if\ you\ (?:need|have|want)|
           here\ are\ the\ changes|(?:the\ )?original\ (?:text|sentence)\ )
    )""",
    re.IGNORECASE | re.VERBOSE,
)

_REFUSAL = re.compile(
    r"""(?:as\ an?\ (?:ai|text-based|language\ model|assistant)|i(?:'m|\ am)\ (?:sorry|unable|not\ able)|
        i\ (?:cannot|can't|can\ not)\ (?:help|assist|provide|do|fulfill|complete|rewrite|correct)|
        i\ don't\ have\ (?:the\ ability|access)|please\ provide\ (?:the|a|more)|
        could\ you\ (?:please\ )?provide|you\ haven't\ provided|there\ is\ no\ text)""",
    re.IGNORECASE | re.VERBOSE,
)

_QUOTE_PAIRS = [('"', '"'), ("“", "”"), ("'", "'"), ("‘", "’"), ("«", "»"), ("```", "```")]


def strip_preamble(text: str) -> str:
    """Drop leading 'Sure! Here is ...:' lines or prefixes, repeatedly."""
    prev = None
    while prev != text:
        prev = text
        m = _PREAMBLE.match(text)
        if m and m.end() < len(text):
            text = text[m.end():].lstrip()
    return text


def strip_trailer(text: str) -> str:
    """Cut an explanation or sign-off that follows the answer (it starts its own line)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if i > 0 and _TRAILER.match(line):
            return "\n".join(lines[:i]).rstrip()
    # An explanation glued to the answer's last line: "... today. I changed 'goed' to 'went'."
    m = re.search(r"(?<=[.!?])\s+(?:I (?:changed|corrected|replaced|fixed|made)|The (?:changes|corrections) )", text)
    if m:
        return text[: m.start()].rstrip()
    return text


def strip_quotes(text: str, original: str = "") -> str:
    """Remove quotes wrapped around the whole answer (unless the original was quoted too)."""
    t = text.strip()
    for left, right in _QUOTE_PAIRS:
        if len(t) > len(left) + len(right) and t.startswith(left) and t.endswith(right):
            inner = t[len(left): len(t) - len(right)]
            if left == "```":
                inner = re.sub(r"^[a-zA-Z]*\n", "", inner)
            if original.strip().startswith(left):
                return t
            if left in inner and left not in ("```",):
                continue  # several quoted parts, not one wrapper
            return inner.strip()
    return t


def cut_repetition(text: str, min_len: int = 12) -> str:
    """Cut a generation loop: stop at the second occurrence of a repeated sentence or line,
    and at a phrase repeated 3+ times back to back."""
    # repeated sentences/lines
    parts = re.split(r"(?<=[.!?\n])\s+", text)
    seen: set[str] = set()
    out: list[str] = []
    for p in parts:
        key = re.sub(r"\W+", " ", p.lower()).strip()
        if len(key) >= min_len and key in seen:
            break
        if key:
            seen.add(key)
        out.append(p)
    result = " ".join(out) if len(out) < len(parts) else text
    # a short phrase looping back to back ("the the the", "very very very ...")
    m = re.search(r"(\b.{2,60}?)(?:\s*\1){2,}", result)
    if m and len(m.group(0)) > 3 * len(m.group(1)) - 1:
        result = result[: m.start() + len(m.group(1))]
    return result.rstrip()


def is_refusal(text: str) -> bool:
    return bool(_REFUSAL.search(text[:300]))


def clean_output(text: str, original: str = "") -> str:
    """The chain every task applies to raw model output."""
    t = text.replace("\r\n", "\n").strip()
    t = strip_preamble(t)
    t = strip_quotes(t, original)
    t = strip_trailer(t)
    t = cut_repetition(t)
    t = strip_quotes(t, original)
    return t.strip()


@dataclass
class Verdict:
    ok: bool
    problem: str = ""


def judge_output(cleaned: str, original: str, *, min_ratio: float = 0.0, max_ratio: float = 10.0) -> Verdict:
    """Whether a cleaned output is worth showing. Lengths are in words."""
    if not cleaned.strip():
        return Verdict(False, "the model returned nothing usable")
    if is_refusal(cleaned) and not is_refusal(original):
        return Verdict(False, "the model refused or asked for the text instead of answering")
    n_in = max(1, len(original.split()))
    n_out = len(cleaned.split())
    if n_out < n_in * min_ratio:
        return Verdict(False, f"the answer is far too short ({n_out} words for {n_in})")
    if n_out > n_in * max_ratio + 20:
        return Verdict(False, f"the answer ran on far too long ({n_out} words for {n_in})")
    return Verdict(True)

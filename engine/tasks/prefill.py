"""Which prompt prefixes are worth prefilling for a text the user is about to run a tool on.

    heads = prefixes(model, text, style)   # token lists, in the order the tools would use them
    model.prefill(heads)                    # the model decodes them while the user chooses

Nothing here knows what the prompts say. For every sentence rewrite would send, and every prompt
variant, the prompt is built for two tones the way rewrite builds it and their common token
prefix is kept: whatever all tones share (with "Text: <sentence> Task: ..." prompts, the sentence
itself). The summary's one prompt for a short text is built for two kinds the same way. When the
prompts change, the prefixes follow; a prompt that starts with its instruction yields only the
chat template's head, which costs little and is shared by everything.
"""

from __future__ import annotations

from ..model import Model
from . import rewrite_prompts, structure

TONES = ("rewrite", "friendly")  # any two tones: what they share, all of them share
KINDS = ("summary", "key-points")
MAX_SENTENCE_TOKENS = 400  # rewrite keeps longer sentences as they are (never asks the model)


def common(a: list[int], b: list[int]) -> list[int]:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def fixed_prefix(model: Model, build_messages) -> list[int]:
    """The tokens every prompt `build_messages(text)` starts with whatever the text: the task's
    own instructions and examples, nothing of the user's (`Model.warm_prefix` may save them)."""
    return common(model.prompt_tokens(build_messages("x")), model.prompt_tokens(build_messages("q")))


def rewrite_prompt(model: Model, sentence: str, tone: str, variant: int, style: str = "") -> list[int]:
    """The tokens rewrite sends for one sentence (the same calls as engine.tasks.rewrite)."""
    return rewrite_prompts.request(model, sentence, tone, variant, "", style)[0]


def rewrite_prefixes(model: Model, text: str, style: str = "") -> list[list[int]]:
    """Per prose sentence and prompt variant, the prefix every tone's prompt starts with."""
    out = []
    for piece in structure.split(text):
        sentence = piece.text
        if not piece.rewritable or model.count_tokens(sentence) > MAX_SENTENCE_TOKENS:
            continue
        for v in range(rewrite_prompts.variants(TONES[0])):
            head = common(*(rewrite_prompt(model, sentence, t, v, style) for t in TONES))
            if head:
                out.append(head)
    return out


def summary_prefix(model: Model, text: str) -> list[int]:
    """What the summary kinds' one prompt for a short text starts with ([] for a long text,
    which is summarized in chunks)."""
    from ..errors import InputError
    from ..summarize.core import short_prompt

    built = []
    for kind in KINDS:
        try:
            asked = short_prompt(model, text, kind)
        except InputError:  # a context too small to summarize with
            return []
        if asked is None:
            return []
        messages, prefix = asked
        built.append(model.prompt_tokens(messages) + (model.tokenize(prefix) if prefix else []))
    return common(*built)


def prefixes(model: Model, text: str, style: str = "", summary: bool = True) -> list[list[int]]:
    """The prefixes to prefill for `text`: rewrite's, then the summary's; repeated ones and those
    another one starts with are left out (one prefilled sequence serves both)."""
    if not text.strip():
        return []
    heads = rewrite_prefixes(model, text, style)
    if summary:
        heads.append(summary_prefix(model, text))
    out: list[list[int]] = []
    for h in heads:
        if len(h) < 2 or h in out or any(len(o) > len(h) and o[: len(h)] == h for o in heads):
            continue
        out.append(h)
    return out

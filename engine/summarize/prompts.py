"""The prompts, one per (stage, kind). Bump PROMPT_VERSION when any text here changes: it is part
of every cache key, so stale cached answers are never mixed with new ones.

Stages: "map" (one passage of a long document), "merge" (several partial summaries into one,
between levels), "final" (the answer the user sees, in the kind's shape). A short text goes
straight to "final". The instruction comes after the text (small models follow it better there);
the reply is pre-filled with the shape's first characters ("- ", "1. ") so the format holds.
"""

from __future__ import annotations

PROMPT_VERSION = "summ-4"

SYSTEM = (
    "You are a careful assistant that summarizes documents. Use only facts from the text. "
    "Reply with the answer only: no introduction, no comments."
)

LONG_SUMMARY_SENTENCES = 4  # a long document's overall summary (its sections follow it)

# what we ask for at each stage; bullet-shaped kinds share their map/merge prompts
_PROSE = "Summarize the text above in {n} sentences. Keep names, numbers and the main events or claims."
_POINTS = "List the {n} most important points of the text above, one short sentence per line, each line starting with '- '."
_STEPS = "List the main items of the text above in order, one short line each, numbered 1., 2., 3. and so on."
_TABLE = "List the main topics of the text above, one per line, written as 'Topic: one-sentence detail'."

INSTRUCTIONS = {
    ("map", "summary"): (_PROSE, 3, ""),
    ("merge", "summary"): (
        "The text above is a series of summaries of consecutive parts of one document. "
        "Combine them into one summary of {n} sentences, in order.", 4, ""),
    ("final", "summary"): (_PROSE, LONG_SUMMARY_SENTENCES, ""),
    ("map", "points"): (_POINTS, 4, "- "),
    ("merge", "points"): (
        "The text above lists points from consecutive parts of one document. "
        "Keep the {n} most important ones, one per line, each starting with '- '.", 6, "- "),
    ("final", "key-points"): (_POINTS, 5, "- "),
    ("final", "list"): (_STEPS, 7, "1. "),
    ("final", "table"): (_TABLE, 5, ""),
}

MAP_STYLE = {"summary": "summary", "key-points": "points", "list": "points", "table": "points"}

# output token limits per stage
MAX_TOKENS = {"map": 160, "merge": 220, "final": 320}


def summary_tokens(sentences: int) -> int:
    """Output tokens for a final summary of `sentences` sentences: room for long sentences, but a
    model that would ramble on is stopped early instead of decoding text we cut anyway."""
    return min(MAX_TOKENS["final"], 60 * sentences + 40)


def summary_sentences(document: str) -> int:
    """How many sentences a `summary` of a document asks for (and keeps): a summary is much
    shorter than what it summarizes, so a short text gets two sentences, a long one four."""
    words = len(document.split())
    return 2 if words <= 400 else 3 if words <= 900 else LONG_SUMMARY_SENTENCES


def instruction(stage: str, kind: str, sentences: int | None = None) -> tuple[str, str]:
    """(instruction, reply prefix) for a stage. Map and merge use the kind's map style;
    `sentences` overrides the count the instruction asks for."""
    style = kind if stage == "final" else MAP_STYLE[kind]
    task, n, prefix = INSTRUCTIONS[(stage, style)]
    return task.format(n=sentences or n), prefix


def messages(stage: str, kind: str, text: str, title: str = "",
             sentences: int | None = None) -> tuple[list[dict[str, str]], str]:
    task, prefix = instruction(stage, kind, sentences)
    label = f"Text (from \"{title}\"):" if title else "Text:"
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": f"{label}\n{text.strip()}\n\n{task}"},
    ], prefix


def overhead_tokens(model) -> int:
    """Tokens every prompt spends on its frame (system text, instruction, labels, prefix)."""
    longest = max((t for t, _, _ in INSTRUCTIONS.values()), key=len).format(n=10)
    frame, _ = messages("final", "summary", "", title="x" * 40)
    return model.count_tokens(str(frame)) + model.count_tokens(longest) + 16

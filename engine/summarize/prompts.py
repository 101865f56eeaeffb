"""The prompts, one per (stage, kind), and how many sentences each stage chooses.

Extract, then compress: the model never reads a whole chunk. It is shown the few sentences that
extract.py chose (or, at merge levels, the points of the level below) and asked to shorten and
combine them, so whatever it writes can be checked against, and linked to, what it was shown. Bump PROMPT_VERSION when any text here changes: it is part
of every cache key, so stale cached answers are never mixed with new ones.

Stages: "map" (one passage of a long document), "merge" (several partial summaries into one,
between levels), "final" (the answer the user sees, in the kind's shape). A short text goes
straight to "final". The instruction comes after the text (small models follow it better there);
the reply is pre-filled with the shape's first characters ("- ", "1. ") so the format holds.
"""

from __future__ import annotations

PROMPT_VERSION = "summ-5"

SYSTEM = (
    "You are a careful assistant that summarizes documents. Use only facts from the text. "
    "Reply with the answer only: no introduction, no comments."
)

LONG_SUMMARY_SENTENCES = 4  # a long document's overall summary (its sections follow it)

# what we ask for at each stage; bullet-shaped kinds share their map/merge prompts
_PROSE = "Summarize the text above in {n} sentences. Keep names, numbers and the main events or claims."
_SHORTEN = "Shorten the text above to {n} sentences. Keep its names and numbers."
_POINTS = "List the {n} most important points of the text above, one short sentence per line, each line starting with '- '."
_STEPS = "List the main items of the text above in order, one short line each, numbered 1., 2., 3. and so on."
_TABLE = "List the main topics of the text above, one per line, written as 'Topic: one-sentence detail'."

INSTRUCTIONS = {
    ("map", "summary"): (_SHORTEN, 3, ""),
    ("merge", "summary"): (_SHORTEN, 3, ""),
    ("final", "summary"): (_SHORTEN, LONG_SUMMARY_SENTENCES, ""),
    ("map", "points"): (_POINTS, 3, "- "),
    ("merge", "points"): (_POINTS, 3, "- "),
    ("final", "key-points"): (_POINTS, 5, "- "),
    ("final", "list"): (_STEPS, 7, "1. "),
    ("final", "table"): (_TABLE, 5, ""),
}

MAP_STYLE = {"summary": "summary", "key-points": "points", "list": "points", "table": "points"}

# output token limits per stage
MAX_TOKENS = {"map": 120, "merge": 120, "final": 320}

# how many sentences/points each stage chooses (extract.select / core.choose_points)
MAP_POINTS = 3  # source sentences chosen per chunk
MERGE_POINTS = 4  # points chosen from each group of a merge level
SECTION_POINTS = 3  # points a section keeps in the outline
POOL = 12  # at most this many points go into one final or merge prompt
FINAL_COUNT = {"key-points": 5, "list": 7, "table": 5}


def final_count(kind: str, sentences: int | None) -> int:
    """Sentences/points chosen for the final prompt: a summary's sentence count, else per kind."""
    return sentences if kind == "summary" and sentences else FINAL_COUNT.get(kind, 5)


def summary_tokens(sentences: int) -> int:
    """Output tokens for a final summary of `sentences` sentences: room for long sentences, but a
    model that would ramble on is stopped early instead of decoding text we cut anyway."""
    return min(MAX_TOKENS["final"], 60 * sentences + 40)


def summary_sentences(document: str) -> int:
    """How many sentences a `summary` of a document asks for (and keeps): a summary is much
    shorter than what it summarizes, so a short text gets two sentences, a long one four."""
    words = len(document.split())
    return 2 if words <= 400 else 3 if words <= 900 else LONG_SUMMARY_SENTENCES


def instruction(stage: str, kind: str, sentences: int | None = None, custom: str = "") -> tuple[str, str]:
    """(instruction, reply prefix) for a stage. Map and merge use the kind's map style;
    `sentences` overrides the count the instruction asks for. `custom` (a user's own summarizing
    tool) replaces the final instruction; the reply is still cut, shaped and checked as the kind's."""
    style = kind if stage == "final" else MAP_STYLE[kind]
    task, n, prefix = INSTRUCTIONS[(stage, style)]
    if custom.strip() and stage == "final":
        return f"{custom.strip()} Use only facts from the text above.", prefix
    return task.format(n=sentences or n), prefix


def messages(stage: str, kind: str, text: str, title: str = "",
             sentences: int | None = None, custom: str = "") -> tuple[list[dict[str, str]], str]:
    task, prefix = instruction(stage, kind, sentences, custom)
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

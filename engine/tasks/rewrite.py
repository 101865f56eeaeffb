"""Rewrite in a tone (rewrite, friendly, professional, concise) or by a custom instruction.

Long texts are rewritten paragraph group by paragraph group so nothing is truncated; each
piece keeps its original if the model's answer for it is unusable, and the result says so.
"""

from __future__ import annotations

from ..errors import InputError
from ..model import Model, SamplingOptions
from ..textsplit import pack, paragraphs
from .base import OnText, TaskResult, budget_for, generate_clean
from .cleanup import Verdict, judge_output
from .language import same_language

TONES = {
    "rewrite": "Rewrite the text so it reads clearly and naturally. Keep its meaning, facts and length.",
    "friendly": "Rewrite the text in a warm, friendly, casual tone. Keep its meaning and facts.",
    "professional": "Rewrite the text in a polished, professional tone suitable for work. Keep its meaning and facts.",
    "concise": "Rewrite the text to be shorter and more direct. Keep every key fact; remove filler.",
}
LENGTH_LIMITS = {"rewrite": (0.4, 2.5), "friendly": (0.4, 3.0), "professional": (0.4, 3.0), "concise": (0.15, 1.3), "custom": (0.1, 4.0)}
SYSTEM = (
    "You are a writing assistant. You rewrite the user's text as asked. Reply with the rewritten "
    "text only: no introduction, no quotes, no explanation. Write in the same language as the text."
)


def build_messages(text: str, tone: str, instruction: str = "", style: str = "") -> list[dict[str, str]]:
    task = instruction.strip() if tone == "custom" else TONES[tone]
    system = SYSTEM
    if style.strip():
        system += f"\nThe user's own writing style, to follow where it fits: {style.strip()}"
    # The text comes before the task: trying another tone on the same text then reuses the
    # KV cache of everything up to the task line (see the prefix cache in runtime.py).
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": f"Text:\n{text}\n\nTask: {task}"},
    ]


def _norm(text: str) -> str:
    return " ".join(text.lower().split()).strip(" .!?")


def stop_rules(chunk: str) -> list[str]:
    """A one-paragraph text gets a one-paragraph answer: small models put their explanations
    after a blank line, so a blank line ends the answer."""
    return [] if "\n\n" in chunk.strip() else ["\n\n"]


def _judge(tone: str):
    lo, hi = LENGTH_LIMITS[tone]

    def judge(cleaned: str, original: str) -> Verdict:
        if _norm(cleaned) == _norm(original):
            return Verdict(False, "the model gave the text back unchanged")
        v = judge_output(cleaned, original, min_ratio=lo, max_ratio=hi)
        if v.ok and not same_language(original, cleaned):
            return Verdict(False, "the answer is not in the language of the text")
        return v

    return judge


def rewrite(
    model: Model,
    text: str,
    tone: str = "rewrite",
    instruction: str = "",
    style: str = "",
    on_text: OnText | None = None,
    sampling: SamplingOptions | None = None,
) -> TaskResult:
    if tone not in TONES and tone != "custom":
        raise InputError(f"unknown tone {tone!r}; choose one of {', '.join([*TONES, 'custom'])}")
    if tone == "custom" and not instruction.strip():
        raise InputError("a custom rewrite needs an instruction (--instruction \"...\")")
    if not text.strip():
        raise InputError("there is no text to rewrite")
    sampling = sampling or SamplingOptions(repeat_penalty=1.1)
    overhead = model.count_tokens(str(build_messages("", tone, instruction, style))) + 16
    budget = max(64, (model.n_ctx - overhead) // 3)  # input + up to ~2x output must fit
    units = [text[s:e] for s, e in paragraphs(text)]
    chunks = list(pack(units, budget, model.count_tokens)) if model.count_tokens(text) > budget else [text.strip()]
    result = TaskResult("rewrite", text, "", variant=tone, model=getattr(model, "name", ""))
    outputs, problems, raws = [], [], []
    done_text = ""
    with model.job():  # chunks of one text: a cancel between two of them is not lost
        for chunk in chunks:
            def relay(raw: str, _prefix=done_text) -> None:
                if on_text:
                    on_text(_prefix + raw)

            cleaned, raw, verdict, stats = generate_clean(
                model,
                build_messages(chunk, tone, instruction, style),
                chunk,
                budget_for(model, chunk, 0.8 if tone == "concise" else 2.0),
                stop=stop_rules(chunk),
                on_text=relay,
                sampling=sampling,
                judge=_judge(tone),
            )
            result.stats.add(stats)
            raws.append(raw)
            if verdict.ok:
                outputs.append(cleaned)
            else:
                outputs.append(chunk)
                problems.append(verdict.problem)
            done_text = "\n\n".join(outputs) + "\n\n"
    result.raw = "\n\n".join(raws)
    result.text = "\n\n".join(outputs)
    if problems:
        result.ok = False
        kept = f"{len(problems)} of {len(chunks)} parts kept as written" if len(chunks) > 1 else "the original is kept"
        result.problem = f"{problems[0]}; {kept}"
    return result

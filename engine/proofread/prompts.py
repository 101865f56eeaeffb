"""The proofreading prompt: fixed instructions and worked examples first, the sentence last.

Everything before the sentence is identical for every call, so llama.cpp keeps its KV cache
and each sentence only pays for its own tokens. A 135M model follows examples far better than
instructions, so the examples show the whole contract: fix real mistakes, change nothing else,
and copy a correct sentence unchanged.
"""

from __future__ import annotations

SYSTEM = (
    "You are a careful proofreader. Correct the spelling, grammar and punctuation mistakes in the "
    "sentence. Keep every idea and almost every word. Do not explain. If the sentence is already "
    "correct, repeat it exactly."
)

EXAMPLES = (
    ("She go to school every days.", "She goes to school every day."),
    ("The meeting was moved to Thursday because the room was busy.", "The meeting was moved to Thursday because the room was busy."),
    ("I have many friend who likes to travel in summer.", "I have many friends who like to travel in summer."),
    ("Yesterday we buyed a new car , it is very fast.", "Yesterday we bought a new car, and it is very fast."),
    ("Our team has finished the report and sent it to the client.", "Our team has finished the report and sent it to the client."),
    ("He don't know where is the station.", "He doesn't know where the station is."),
)

PLAIN_PROMPT = "Correct this text:"  # the baseline the benchmark compares against


def messages(sentence: str) -> list[dict[str, str]]:
    out = [{"role": "system", "content": SYSTEM}]
    for wrong, right in EXAMPLES:
        out.append({"role": "user", "content": wrong})
        out.append({"role": "assistant", "content": right})
    out.append({"role": "user", "content": sentence})
    return out


def plain_messages(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": f"{PLAIN_PROMPT}\n\n{text}"}]

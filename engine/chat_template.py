"""Render a model's own chat template (GGUF `tokenizer.chat_template`, Jinja) safely.

Any chat GGUF works: we use the template the model was trained with, in a sandbox. Models with
no template, or one that fails to render, get ChatML, the most common format for small models.
Templates that reject a system role (some Gemma/Mistral ones raise) get the system text folded
into the first user turn.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Sequence

CHATML = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


class TemplateError(Exception):
    pass


@lru_cache(maxsize=8)
def _compile(source: str):
    from jinja2 import StrictUndefined  # noqa: F401  (jinja2 comes with llama-cpp-python)
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])

    def raise_exception(message: str) -> None:
        raise TemplateError(message)

    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
    return env.from_string(source)


def _render(source: str, messages: Sequence[dict[str, str]], bos_token: str, eos_token: str) -> str:
    return _compile(source).render(
        messages=list(messages), add_generation_prompt=True, bos_token=bos_token, eos_token=eos_token
    )


def _fold_system(messages: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    msgs = [dict(m) for m in messages]
    if msgs and msgs[0]["role"] == "system" and len(msgs) > 1:
        system = msgs.pop(0)["content"]
        msgs[0]["content"] = f"{system}\n\n{msgs[0]['content']}"
    return msgs


def render_chat(template: str | None, messages: Sequence[dict[str, str]], bos_token: str = "", eos_token: str = "") -> str:
    """The prompt text for `messages`, ending where the assistant's reply begins."""
    if template:
        for attempt in (messages, _fold_system(messages)):
            try:
                text = _render(template, attempt, bos_token, eos_token)
            except Exception:  # a template bug or a rejected role: try the next form
                continue
            # The tokenizer adds BOS itself when the model wants one; avoid a doubled BOS.
            if bos_token and text.startswith(bos_token):
                text = text[len(bos_token):]
            return text
    return _render(CHATML, messages, bos_token, eos_token)

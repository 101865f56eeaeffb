"""Token ids for servers that cannot tokenize (Ollama, most OpenAI-compatible servers).

The tasks count tokens to size budgets and build prompts as token ids. Against a server without
a tokenize endpoint we cannot know its real tokens, so `EstimatedTokens` *estimates* them: text is
cut into pieces of up to five letters, single digits and single other characters, a leading space
joined to the piece after it. On 247 texts of ../shared/eval (user texts, WikiLingua, two long
ones) this gives 0.87-1.38 times the default model's real count (median 1.18, 5th percentile
1.01): it errs towards more tokens, which keeps budgets safe. Each distinct piece
gets an id, so ids turn back into exactly the text they came from; a chat prompt becomes one
negative "messages" id followed by the estimated tokens of its text, and the model sends the
messages themselves (the server applies its own chat template). Counts from here are estimates,
and the model says so in its notes.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from typing import Sequence

# whitespace joins the piece after it; any other character is covered by the final `.`
_PIECE = re.compile(r"\s*(?:[^\W\d_]{1,5}|\d|.)|\s+", re.DOTALL)
MESSAGE_OVERHEAD = 4  # template tokens per message (role markers, separators), estimated
PROMPT_OVERHEAD = 3  # the assistant turn's opening, estimated
MAX_PROMPTS = 512  # message lists remembered for prompts built but not yet sent


class EstimatedTokens:
    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._pieces: list[str] = []
        self._prompts: OrderedDict[int, tuple[list[dict], int]] = OrderedDict()
        self._prompt_keys: dict[str, int] = {}
        self._next_prompt = 1
        self._lock = threading.Lock()

    def tokenize(self, text: str) -> list[int]:
        out = []
        with self._lock:
            for m in _PIECE.finditer(text):
                piece = m.group(0)
                tid = self._ids.get(piece)
                if tid is None:
                    tid = self._ids[piece] = len(self._pieces)
                    self._pieces.append(piece)
                out.append(tid)
        return out

    def count(self, text: str) -> int:
        return sum(1 for _ in _PIECE.finditer(text))

    def detokenize(self, ids: Sequence[int]) -> str:
        return "".join(self._pieces[i] for i in ids if i >= 0)

    def prompt(self, messages: Sequence[dict[str, str]]) -> list[int]:
        """A negative id standing for `messages`, then estimated tokens of their text."""
        msgs = [{"role": str(m["role"]), "content": str(m["content"])} for m in messages]
        body: list[int] = []
        for m in msgs:
            body += self.tokenize(m["content"])
        filler = (MESSAGE_OVERHEAD * len(msgs) + PROMPT_OVERHEAD)
        key = json.dumps(msgs, ensure_ascii=False)
        with self._lock:
            pid = self._prompt_keys.get(key)
            if pid is None:
                pid = self._next_prompt
                self._next_prompt += 1
                self._prompt_keys[key] = pid
            self._prompts[pid] = (msgs, 1 + filler + len(body))
            self._prompts.move_to_end(pid)
            while len(self._prompts) > MAX_PROMPTS:
                old, (old_msgs, _) = self._prompts.popitem(last=False)
                self._prompt_keys.pop(json.dumps(old_msgs, ensure_ascii=False), None)
        # the filler repeats the message id so the list is as long as the estimated prompt
        return [-pid] * (1 + filler) + body

    def split(self, prompt: Sequence[int]) -> tuple[list[dict], str]:
        """The messages and the reply prefix a prompt from `prompt()` (+ tokenize(prefix)) stands for."""
        if not prompt or prompt[0] >= 0:
            raise ValueError("not a chat prompt")
        with self._lock:
            entry = self._prompts.get(-prompt[0])
        if entry is None:
            raise ValueError("a prompt built too long ago to be remembered")
        msgs, length = entry
        return msgs, self.detokenize(prompt[length:])

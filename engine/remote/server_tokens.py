"""Token ids and counts of an engine server (a mixin of RemoteModel).

With llama-server they are the server's own (`/tokenize`, `/detokenize`, `/apply-template`, so
prompts and budgets are exactly as with the embedded model); with a chat-only server they are
*estimates* (tokens.py) that stand for the text and the messages.
"""

from __future__ import annotations

from typing import Sequence

from ..errors import ModelError

COUNT_CACHE = 8192  # remembered token counts (the tasks count the same sentences repeatedly)


class ServerTokens:
    """Needs from the model: client, endpoint, tokens_are_estimates, _estimator, _counts (an
    OrderedDict), _bos, _lock."""

    def tokenize(self, text: str, special: bool = False) -> list[int]:
        if self.tokens_are_estimates:
            return self._estimator.tokenize(text)
        reply = self.client.request("POST", "/tokenize", {"content": text, "add_special": False, "parse_special": special})
        return [int(t) for t in reply.get("tokens", [])]

    def count_tokens(self, text: str) -> int:
        if self.tokens_are_estimates:
            return self._estimator.count(text)  # an estimate: this server cannot tokenize
        with self._lock:
            if text in self._counts:
                self._counts.move_to_end(text)
                return self._counts[text]
        n = len(self.tokenize(text))
        with self._lock:
            self._counts[text] = n
            while len(self._counts) > COUNT_CACHE:
                self._counts.popitem(last=False)
        return n

    def detokenize(self, tokens: Sequence[int]) -> str:
        if self.tokens_are_estimates:
            return self._estimator.detokenize(tokens)
        return str(self.client.request("POST", "/detokenize", {"tokens": list(tokens)}).get("content", ""))

    def format_chat(self, messages: Sequence[dict[str, str]]) -> str:
        if self.tokens_are_estimates:
            raise ModelError(f"the engine server at {self.endpoint.url} does not show its chat template")
        msgs = [{"role": m["role"], "content": m["content"]} for m in messages]
        return str(self.client.request("POST", "/apply-template", {"messages": msgs}).get("prompt", ""))

    def prompt_tokens(self, messages: Sequence[dict[str, str]]) -> list[int]:
        if self.tokens_are_estimates:
            return self._estimator.prompt(messages)
        toks = self.tokenize(self.format_chat(messages), special=True)
        if self._bos and toks[: len(self._bos)] != self._bos:
            toks = self._bos + toks
        return toks

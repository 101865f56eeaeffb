"""The small abstract model every task talks to, plus the value types it uses.

Tasks only need: chat-format a prompt, count tokens, stream text, generate several prompts,
cancel. `LlamaModel` (runtime.py) is the real implementation; capability flags tell callers
what a model can do so a future backend can say "no batching" without special cases.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass
from typing import Iterator, Sequence


@dataclass
class SamplingOptions:
    temperature: float = 0.0  # greedy by default: editing tools should be deterministic
    top_k: int = 40
    top_p: float = 0.95
    repeat_penalty: float = 1.0
    repeat_last_n: int = 64
    seed: int = 1234


@dataclass
class GenerationStats:
    prompt_tokens: int = 0
    cached_tokens: int = 0  # prompt tokens whose KV entries were reused from the previous request
    output_tokens: int = 0
    prompt_seconds: float = 0.0
    decode_seconds: float = 0.0
    first_token_seconds: float = 0.0
    total_seconds: float = 0.0
    finish_reason: str = ""
    batch_size: int = 1

    @property
    def decode_tps(self) -> float:
        return self.output_tokens / self.decode_seconds if self.decode_seconds > 0 else 0.0

    @property
    def prompt_tps(self) -> float:
        fresh = self.prompt_tokens - self.cached_tokens
        return fresh / self.prompt_seconds if self.prompt_seconds > 0 else 0.0

    def as_dict(self) -> dict:
        d = asdict(self)
        d["decode_tokens_per_second"] = round(self.decode_tps, 1)
        d["prompt_tokens_per_second"] = round(self.prompt_tps, 1)
        for k in ("prompt_seconds", "decode_seconds", "first_token_seconds", "total_seconds"):
            d[k] = round(d[k], 4)
        return d

    def add(self, other: "GenerationStats") -> None:
        """Accumulate another generation's counts (chunked and map-reduce jobs)."""
        self.prompt_tokens += other.prompt_tokens
        self.cached_tokens += other.cached_tokens
        self.output_tokens += other.output_tokens
        self.prompt_seconds += other.prompt_seconds
        self.decode_seconds += other.decode_seconds
        if not self.first_token_seconds:
            self.first_token_seconds = other.first_token_seconds
        self.total_seconds += other.total_seconds
        self.finish_reason = other.finish_reason or self.finish_reason


class Model(ABC):
    can_batch = False
    can_score = True  # score_texts works (a server that only generates says False)
    can_cache_prefix = False
    can_prefill = False  # prefill() decodes prompt prefixes ahead of the request (llama runtime)

    name: str
    n_ctx: int

    @abstractmethod
    def count_tokens(self, text: str) -> int: ...

    @abstractmethod
    def tokenize(self, text: str, special: bool = False) -> list[int]: ...

    @abstractmethod
    def prompt_tokens(self, messages: Sequence[dict[str, str]]) -> list[int]: ...

    def stream(self, messages, max_tokens=512, stop=(), sampling=None, stats=None, prefix="") -> Iterator[str]:
        """Stream the assistant's reply to chat `messages`. `prefix` is text pre-filled at the start
        of the reply (it is part of the prompt, not of the output)."""
        prompt = self.prompt_tokens(messages)
        if prefix:
            prompt += self.tokenize(prefix)
        return self.stream_tokens(prompt, max_tokens, stop, sampling, stats)

    @abstractmethod
    def stream_tokens(self, prompt, max_tokens, stop=(), sampling=None, stats=None) -> Iterator[str]: ...

    @abstractmethod
    def generate_many(self, prompts, max_tokens, stop=(), sampling=None, on_done=None, on_partial=None) -> list:
        """(text, GenerationStats) per prompt. `on_done(i, text, stats)` as each finishes;
        `on_partial({i: text so far})` as text arrives (an unchecked draft; engines that cannot
        stream may call it only at the end)."""

    @abstractmethod
    def cancel(self) -> None: ...

    def score_texts(self, texts: Sequence[str], context: str = "") -> list[float]:
        """The model's log-probability (natural log, summed over tokens) of each text, each read
        after the same `context` (whose own tokens are not counted). Plain lists of str and
        float in and out, so the call can cross a process boundary. Comparing two versions of a
        sentence tells which one the model finds more natural (proofreading uses it to judge
        candidate corrections)."""
        from .errors import ModelError

        raise ModelError(f"{type(self).__name__} cannot score text")

    def job(self):
        """Context manager scoping a multi-call task so a cancel between calls is not lost."""
        import contextlib

        return contextlib.nullcontext()

    @abstractmethod
    def close(self) -> None: ...

    # Prefill (runtime/prefill.py): token prefixes decoded in the background before a request that
    # starts with them; plain values in and out. A backend without it accepts nothing.
    def prefill(self, prompts: list[list[int]]) -> dict:
        """Start decoding each token prefix into the model's cache, in the background; returns at
        once. A later request whose prompt starts with one reuses it. [] forgets them all."""
        return {"prefixes": 0, "tokens": 0, "reason": f"{type(self).__name__} does not prefill"}

    def cancel_prefill(self) -> None:
        """Stop prefilling and forget the prefixes; never waits."""
        return None

    def prefill_status(self) -> dict:
        return {"state": "not supported", "slots": 0, "held_tokens": 0}

    def warm_prefix(self, tokens: list[int]) -> dict:
        """Make a task's fixed instructions (token ids with nothing of the user's text in them)
        the cached prompt prefix, from a file an earlier process saved when there is one
        (runtime/prompt_cache.py). A backend without it does nothing."""
        return {"tokens": 0, "source": "not supported", "seconds": 0.0}

    # Speed calibration (engine.calibrate): plain values in and out, so these can cross a process
    # boundary. A backend without calibration reports that and measures nothing.
    def calibration_report(self) -> dict:
        return {"status": "not supported by this model backend"}

    def calibrate(self, budget_seconds: float = 6.0) -> dict:
        return self.calibration_report()

    def start_calibration(self, budget_seconds: float = 6.0, force: bool = False) -> bool:
        return False

    def cancel_calibration(self) -> None:
        return None

"""The live speed shown while a job writes ("Generating at 38 tokens/s").

A model that streams calls back once per decoded token; the sentence-level tools (rewrite,
summaries) call back once per finished sentence or paragraph. The meter counts a call that adds
at most COARSE_CHARS characters as one token, timed from the first call; once a call brings
more, it estimates about four characters a token and times from the job's start (the prompt's
reading is part of the wait the user sees)."""

from __future__ import annotations

import time

COARSE_CHARS = 40  # more new text than this in one call: not a token stream
STREAM_INTERVAL = 0.03  # seconds between streamed-text signals (the UI repaints at most ~30x/s)


class StreamMeter:
    def __init__(self, clock=time.perf_counter) -> None:
        self._clock = clock
        self.start = clock()
        self.first = 0.0
        self.last = 0.0
        self.tokens = 0.0
        self.chars = 0
        self.coarse = False

    def update(self, text: str) -> float | None:
        """Record the text so far; the speed in tokens/s when it is time to show it, else None."""
        now = self._clock()
        grown, self.chars = len(text) - self.chars, len(text)
        if grown > COARSE_CHARS:
            self.coarse = True
            self.tokens += grown / 4
        else:
            self.tokens += 1
        if not self.first:
            self.first = now
        if now - self.last < STREAM_INTERVAL and not self.coarse:
            return None
        self.last = now
        span, tokens = (now - self.start, self.tokens) if self.coarse else (now - self.first, self.tokens - 1)
        return tokens / span if span > 0 else 0.0

"""Stop strings in streamed text: bytes come in token by token, text goes out as soon as no stop
string can start in it; the text from the first stop string on is never given out."""

from __future__ import annotations

import codecs
from typing import Sequence


class StopFilter:
    """Assemble one generation's UTF-8 pieces into text, holding back a tail that could still
    become a stop string. `stopped` turns True once a stop string was seen."""

    def __init__(self, stop: Sequence[str]) -> None:
        self.stop = stop
        self.stopped = False
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._held = ""

    def feed(self, piece: bytes) -> str:
        """The text that can be given out now that `piece` has come ("" once stopped)."""
        if self.stopped:
            return ""
        self._held += self._decoder.decode(piece)
        return self._release(final=False)

    def finish(self) -> str:
        """The rest, at the end of the generation ("" after a stop string)."""
        if self.stopped:
            return ""
        self._held += self._decoder.decode(b"", final=True)
        return self._release(final=True)

    def _release(self, final: bool) -> str:
        text = self._held
        for s in self.stop:
            i = text.find(s)
            if i >= 0:
                text = text[:i]
                self.stopped = True
        if self.stopped or final:
            self._held = ""
            return text
        hold = 0
        for s in self.stop:
            for k in range(min(len(s) - 1, len(text)), 0, -1):
                if text.endswith(s[:k]):
                    hold = max(hold, k)
                    break
        out = text[: len(text) - hold]
        self._held = text[len(out):]
        return out

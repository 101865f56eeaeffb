"""What a rewrite shows while it runs: the sentences already checked, and drafts of the rest.

A rewrite decides sentence by sentence (rewrite.py): as soon as every candidate of a sentence is
written and the best faithful one chosen, the text up to the first undecided sentence is final and
goes to `on_text`. Before that, the model's first candidate for each sentence arrives token by token;
`on_draft(checked, draft)` gets the final part and, after it, the rest of the text with those
unchecked drafts in place (the original where no draft has started yet). A draft is never a result:
the app shows it apart (greyed, "checking…") and offers nothing to paste until the task ends.
"""

from __future__ import annotations

from typing import Callable, Sequence

from .choose import ANSWER_LABEL

OnDraft = Callable[[str, str], None]


def draft_line(raw: str) -> str:
    """The visible part of an answer being written: its first line, without a leading label or
    opening quote (the full cleanup runs when the answer is complete)."""
    text = ANSWER_LABEL.sub("", raw.lstrip())
    text = text.split("\n", 1)[0].strip()
    return text.lstrip("\"“'‘").strip()


class Preview:
    """Tracks which pieces of the text are decided; `out` is the rewrite's own list of piece texts
    (decided pieces hold their final text, undecided ones their original)."""

    def __init__(self, out: list[str], pending: Sequence[int], on_text: Callable[[str], None] | None,
                 on_draft: OnDraft | None):
        self.out = out
        self.pending = set(pending)
        self.drafts: dict[int, str] = {}
        self.on_text, self.on_draft = on_text, on_draft
        self._sent_checked = -1  # length of the last final text given to on_text

    @property
    def wants_drafts(self) -> bool:
        return self.on_draft is not None

    def partials(self, owners: Sequence[tuple[int, int, str]]) -> Callable[[dict[int, str]], None]:
        """An `on_partial` for generate_many: `owners[k]` = (piece index, variant, answer prefix)
        of prompt k; the first variant of each sentence is its draft."""

        def on_partial(texts: dict[int, str]) -> None:
            changed = False
            for k, raw in texts.items():
                piece, variant, prefix = owners[k]
                if variant != 0 or piece not in self.pending:
                    continue
                line = draft_line(prefix + raw)
                if line and self.drafts.get(piece) != line:
                    self.drafts[piece] = line
                    changed = True
            if changed:
                self._emit_draft()

        return on_partial

    def settled(self, piece: int) -> None:
        """`piece` is decided (its final text is in `out`)."""
        self.pending.discard(piece)
        self.drafts.pop(piece, None)
        self.emit()

    def emit(self) -> None:
        checked = self._checked_end()
        if self.on_text and checked > self._sent_checked:
            self._sent_checked = checked
            self.on_text("".join(self.out[:checked]))
        self._emit_draft()

    def _checked_end(self) -> int:
        return min(self.pending) if self.pending else len(self.out)

    def _emit_draft(self) -> None:
        if not self.on_draft:
            return
        end = self._checked_end()
        rest = "".join(self._shown(j) for j in range(end, len(self.out)))
        self.on_draft("".join(self.out[:end]), rest)

    def _shown(self, j: int) -> str:
        draft = self.drafts.get(j)
        if draft is None:
            return self.out[j]
        original = self.out[j]
        trailing = original[len(original.rstrip()):]
        return draft + trailing

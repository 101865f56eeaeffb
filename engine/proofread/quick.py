"""The fast, model-free check used while typing: spelling, mechanical slips and sure grammar
rules for one sentence at a time, in a few milliseconds, with edits relative to the sentence.

The live checker (app/live_check.py) runs this in a background thread as soon as typing
pauses, then asks the model (`proofread` on the sentence) for the slower, fuller check.
"""

from __future__ import annotations

from typing import Iterable

from .edits import Edit
from .layers import apply_suggestions, first_layer, lowercase_writer
from .pipeline import _sentence_edits
from .segment import Sentence, sentences
from .spelling import name_like, speller


def document_names(text: str, personal: Iterable[str] = ()) -> frozenset[str]:
    """Words the document writes as names (see spelling.name_like): never "corrected"."""
    mine = frozenset(w.lower() for w in personal)
    sp = speller()
    return frozenset(name_like(text, lambda w: sp.is_known(w, mine)))


def quick_edits(sentence: Sentence, personal: Iterable[str] = (), names: Iterable[str] = (),
                lowercase: bool = False) -> list[Edit]:
    """Edits for one sentence from the layers that need no model, offsets relative to the
    sentence. Spelling suggestions are shown as they are; the model's pass confirms them later.
    `lowercase`: the text is written without capitals (see layers.lowercase_writer), so
    non-words may be names and wait for the model."""
    mine = frozenset(w.strip().lower() for w in personal if w and w.strip())
    spell = speller()
    rel = Sentence(0, len(sentence.text), sentence.text, sentence.in_markup, sentence.ends_line)
    layer = first_layer(rel, spell, mine, frozenset(names), lowercase=lowercase)
    final = apply_suggestions(rel.text, [*layer.sure, *(c for c, kind in layer.candidates if kind == "spelling")])
    return _sentence_edits(rel, final, spell, mine)


def split(text: str) -> list[Sentence]:
    """The prose sentences of a document (see segment.sentences)."""
    return sentences(text)


def writes_lowercase(units: list[Sentence]) -> bool:
    """See layers.lowercase_writer."""
    return lowercase_writer(units)

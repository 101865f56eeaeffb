"""The general confusion set (ranking.confusion_candidates) and its local-evidence filter."""

from engine.proofread.ranking import confusion_candidates
from engine.proofread.spelling import speller


def _variants(text: str, evidence: bool = True) -> set[tuple[str, str]]:
    sp = speller()
    found = confusion_candidates(text, sp.is_known, pair_count=sp.pair_count if evidence else None)
    return {(c.word, c.replacement) for c in found}


def test_the_confusion_set_covers_prepositions_articles_and_number():
    every = _variants("She is interested on the new books", evidence=False)
    assert {("on", "in"), ("on", "at"), ("the", "a"), ("the ", ""), ("books", "book"), ("is", "are")} <= every


def test_only_variants_the_neighbouring_words_support_are_kept():
    text = "She is interested on the new books"
    kept = _variants(text)
    assert ("on", "in") in kept  # "interested in" is far commoner than "interested on"
    assert ("is", "are") not in kept  # "she is" is common, "she are" is not
    assert len(kept) * 3 <= len(_variants(text, evidence=False))
    assert _variants("We went to the park in the morning.") == set()  # a plain correct sentence: nothing to score

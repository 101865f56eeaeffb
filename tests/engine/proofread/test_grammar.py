"""The grammar rules (no model): what they propose, which proposals are sure on their own."""

from engine.proofread.grammar import grammar_candidates
from engine.proofread.spelling import speller


def proposals(text: str) -> list[tuple[str, str, bool]]:
    return [(c.word, c.replacement, c.sure) for c in grammar_candidates(text, speller().is_known)]


def test_sure_rules():
    assert ("of", "have", True) in proposals("We should of asked her.")
    assert proposals("We could of course ask.") == []
    assert [p for p in proposals("I has went there.") if p[2]] == [("has", "have", True), ("went", "gone", True)]
    assert ("have", "has", True) in proposals("He have a dog.")
    assert proposals("Does he have a dog?") == []
    assert ("was", "were", True) in proposals("They was late.")
    assert ("don't", "doesn't", True) in proposals("She don't care.")
    assert proposals("He ate an apple, a banana and a university lunch in an hour.") == []
    assert ("a", "an", True) in proposals("It was a apple.") and ("an", "a", True) in proposals("It was an car.")
    assert ("Their", "There", True) in proposals("Their is a cat.")
    assert ("your", "you're", True) in proposals("Thanks, your welcome.")
    assert ("Their", "They're", True) in proposals("Their going to the store tomorrow.")  # capitalised too
    assert ("there", "they're", True) in proposals("I think there not ready yet.")
    assert not [p for p in proposals("Is there not a better way?") if p[2]]  # only the model may change it


def test_proposals_the_model_must_confirm():
    assert ("were", "was", False) in proposals("The librarian were very helpful.")
    assert ("is", "are", False) in proposals("The students is happy.")
    assert ("book", "books", False) in proposals("I bought some book.")
    assert proposals("I bought some good books.") == []
    assert ("its", "it's", False) in proposals("I think its a good idea.")
    assert ("their", "they're", False) in proposals("I like their coming of age stories.")


def test_names_and_protected_text_are_not_touched():
    text = "Run `they was` now."
    free = lambda s, e: not (4 <= s < 14)  # noqa: E731 - the code span
    assert grammar_candidates(text, speller().is_known, free) == []
def test_a_letter_is_not_an_article():
    assert proposals("Choose plan a or plan b; type a is fine.") == []


def test_words_glued_together():
    from engine.proofread.layers import apply_suggestions, first_layer
    from engine.proofread.segment import sentences

    assert ("alot", "a lot", True) in proposals("I have alot of time.")
    assert ("Infact", "In fact", True) in proposals("Infact we go.")
    assert proposals("It is alright, in fact.") == []
    # the glued pair replaces the dictionary's nearest word ("alot" -> "lot")
    s = sentences("I have alot of time and aswell money.")[0]
    layer = first_layer(s, speller(), frozenset())
    assert apply_suggestions(s.text, layer.sure) == "I have a lot of time and as well money."
    assert not [c for c, _ in layer.candidates if c.word in ("alot", "aswell")]


def test_more_before_a_comparative():
    assert ("more easier", "easier", False) in proposals("It is more easier to learn.")
    assert ("More better", "Better", False) in proposals("More better ideas came.")
    assert proposals("It is more important and more water is needed.") == []

"""affect/effect and plurals after "a", "an", "this" (engine/proofread/noun_forms.py)."""

from engine.proofread.noun_forms import noun_form_candidates, singular
from engine.proofread.spelling import speller


def proposals(text: str) -> list[tuple[str, str, bool, str]]:
    return [(c.word, c.replacement, c.sure, c.rule) for c in noun_form_candidates(text, speller().is_known)]


def test_affect_as_a_noun():
    assert proposals("It has a great affect on us.") == [("affect", "effect", True, "affect/effect")]
    assert proposals("It had an affect.") == [("affect", "effect", True, "affect/effect")]
    assert proposals("The affects of smoking are bad.") == [("affects", "effects", True, "affect/effect")]
    assert proposals("These pills have side affects.") == [("affects", "effects", True, "affect/effect")]


def test_affect_as_the_verb_stays():
    for text in ("The changes affect the economy.", "Factors that affect health.", "It will not affect us.",
                 "Their choices affect everyone.", "This affects me.", "How does it affect them?"):
        assert proposals(text) == [], text


def test_a_before_a_plural():
    from engine.proofread.ranking import overlaps

    a, b = noun_form_candidates("I have a cars.", speller().is_known)
    assert overlaps(a, b)  # one or the other: never "I have car."
    assert set(proposals("I have a cars.")) == {("a cars", "cars", False, "a + plural"), ("cars", "car", False, "a + plural")}
    assert ("experts", "expert", False, "a + plural") in proposals("They are an experts in it.")
    assert ("cities", "city", False, "a + plural") in proposals("It is a cities of the north.")


def test_a_before_a_singular_ending_in_s_or_a_noun_modifier_stays():
    for text in ("We took a bus.", "A series of events.", "It is a news.", "It was a sports car.",
                 "She has a lots of friends.", "By a means of escape.", "It is a crisis.", "He has a class.",
                 "A famous producer.", "It was an analysis of it.", "I saw a persons life."):
        assert proposals(text) == [], text


def test_this_before_a_plural():
    assert proposals("For this reasons, I agree.") == [("this", "these", False, "this + plural")]
    assert proposals("This cars are fast.") == [("This", "These", False, "this + plural")]
    for text in ("This means that we go.", "This works.", "This shows the way.", "This is fine.", "I like this news, too."):
        assert proposals(text) == [], text


def test_singular():
    known = speller().is_known
    assert [singular(w, known) for w in ("cars", "cities", "boxes", "churches")] == ["car", "city", "box", "church"]
    assert [singular(w, known) for w in ("news", "bus", "crisis", "famous", "class", "series")] == [""] * 6


def test_words_that_join_into_one_are_left_to_the_spelling():
    assert proposals("Now a days, people work.") == []

from engine.proofread.spelling import speller


def test_non_words_get_the_likely_word():
    found = speller().check("I went to the libary becouse it was raining")
    assert [(g.word, g.replacement) for g in found] == [("libary", "library"), ("becouse", "because")]


def test_real_words_names_and_personal_words_are_left_alone():
    sp = speller()
    assert sp.check("The meeting with Zorblat in Paris went well.") == []
    assert [g.word for g in sp.check("We use the frobnicator daily")] == ["frobnicator"]
    assert sp.check("We use the frobnicator daily", personal=["Frobnicator"]) == []


def test_protected_spans_are_skipped():
    text = "Run teh_tool and teh script"
    found = speller().check(text, protected=[(4, 12)])
    assert [(g.start, g.word) for g in found] == [(17, "teh")]

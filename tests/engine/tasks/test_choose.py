"""Candidate judging and choice for one sentence. No model needed."""

from __future__ import annotations

from engine.tasks.choose import Candidate, best, first_line, judge

SRC = "I paid 64.50 euros on 12 February and would like a full refund rather than a replacement."


def judged(text, tone="rewrite", source="model-1"):
    c = Candidate(text, source)
    judge(SRC, c, tone, ["Rewrite this sentence so it sounds clearer"])
    return c


def test_a_candidate_that_adds_a_number_is_rejected():
    c = judged("I paid 64.50 euros on 12 February and would like a full refund within 14 days, not a replacement.")
    assert not c.ok and any("added the number “14”" in p for p in c.problems)


def test_reworded_facts_and_wrong_length_are_rejected():
    assert not judged("On February 12 I paid 64.50 euros and I would like a refund instead of a replacement.").ok
    assert "not shorter than the original" in judged(SRC + " Thanks.", tone="concise").problems
    assert not judged("Refund.", tone="concise").ok


def test_a_fact_left_out_is_called_left_out_not_reworded():
    # seen in the everyday-text evaluation (friendly): the reason said "reworded “Friday”" for an
    # answer that had no day at all
    src = "We went to Casa Ondina on Friday for my partner's 40th birthday."
    c = Candidate("We went to Casa Ondina for my partner's 40th birthday.", "model-1")
    judge(src, c, "friendly", [])
    assert "left out “Friday”" in c.problems and not any("reworded" in p for p in c.problems), c.problems
    c = Candidate("We went to Casa Ondina on Fri for my partner's 40th birthday.", "model-1")
    judge(src, c, "friendly", [])
    assert "reworded “Friday” (facts are kept as written)" in c.problems, c.problems


def test_best_prefers_a_faithful_change():
    cands = [judged(SRC, source="edit"),
             judged("I paid 64.50 euros on 12 February, and I would prefer a full refund to a replacement."),
             judged("I paid 99 euros on 12 February and want a refund.")]
    pick = best(cands)
    assert pick is not None and pick.source == "model-1" and "prefer" in pick.text


def test_first_line_drops_labels_quotes_and_chatter_lines():
    raw = 'Sentence: "I paid 64.50 euros on 12 February and want a refund."\nI hope this helps!'
    assert first_line(raw, SRC) == "I paid 64.50 euros on 12 February and want a refund."


def test_a_candidate_that_adds_a_sentence_of_its_own_is_rejected():
    # seen in the everyday-text evaluation (friendly): a pleasantry the writer never wrote
    original = "Could you please arrange for an engineer to visit this week?"
    c = Candidate(original + " I'm so excited to be here.", "model-1")
    judge(original, c, "friendly", [])
    assert any("added a sentence" in p for p in c.problems)
    # one long sentence said as two keeps every word's meaning: allowed
    long = "The boiler broke on Monday and the flat has had no hot water since then."
    split = Candidate("The boiler broke on Monday. The flat has had no hot water since then.", "model-1")
    judge(long, split, "rewrite", [])
    assert not any("added a sentence" in p for p in split.problems)


def test_an_answer_that_breaks_off_or_adds_a_label_is_rejected():
    # seen in the everyday-text evaluation (custom instruction on meeting notes and printer steps)
    c = Candidate("Salary Expectation 68,000 + 2 days/week/month =", "model-1")
    judge("Salary expectation 68,000 + remote 2 days/wk", c, "custom", [])
    assert "the answer breaks off" in c.problems
    c = Candidate('The old-fashioned way: "Open Settings > Printers and choose Add printer."', "model-1")
    judge('Open Settings > Printers and choose "Add printer".', c, "custom", [])
    assert any("added a label" in p for p in c.problems)
    c = Candidate("Two small downsides: The restaurant closes at 8:30 pm.", "model-1")
    judge("Two small downsides: the restaurant closes at 8:30 pm.", c, "rewrite", [])
    assert not any("label" in p for p in c.problems)


def test_a_number_keeps_its_unit():
    # seen in the everyday-text evaluation (professional, a recipe): "120 ml of milk" -> "120 grams of milk"
    c = Candidate("Mix 50 g oats with 120 grams of milk.", "model-1")
    judge("Mix 50 g oats with 120 ml milk.", c, "professional", [])
    assert any("reworded “120 ml”" in p for p in c.problems), c.problems


def test_a_concise_answer_may_leave_out_filler_but_not_content():
    src = "Please note that the big fig in the living room really needs water once a week."
    lost = Candidate("The big fig needs water once a week.", "model-1")
    judge(src, lost, "concise", [])
    assert not lost.ok and any("living, room" in p for p in lost.problems), lost.problems
    filler = Candidate("The big fig in the living room needs water once a week.", "model-2")
    judge(src, filler, "concise", [])
    assert filler.ok, filler.problems  # "please note that" and "really" are what the concise edit drops too


def test_a_second_round_answer_may_not_leave_out_a_word():
    from engine.tasks.rewrite import _second_round_words

    src = "i told them we can't go above 5% without sign off from mark."
    seen = "we can't go above 5% without signing off."  # a sampled answer, seen on the development set
    first, second = Candidate(seen, "model-2"), Candidate(seen, "model-4")
    _second_round_words(src, first, 2)
    _second_round_words(src, second, 2)
    assert first.ok  # the first round's answers are judged by the shared check alone
    assert not second.ok and "mark" in second.problems[0]
    swapped = Candidate("The best I've had in years is the perfect dinner.", "model-3")  # a word in place of each lost
    _second_round_words("The grilled octopus was the best I've had in years.", swapped, 2)
    assert not swapped.ok and "octopus" in swapped.problems[0]
    invented = Candidate("The party at home on Wednesday and Friday was all about my favorite game.", "model-4")
    _second_round_words("I'm at home on Wednesday and Friday.", invented, 2)
    assert not invented.ok and "party" in invented.problems[0]
    kept = Candidate("Our Open Day, 27 April, 11:00 to 15:00.", "model-3")  # a second-round answer that stays
    _second_round_words("Our open day is 27 April, 11:00 to 15:00.", kept, 2)
    assert kept.ok, kept.problems

"""A rewrite's facts are put back in the writer's form (no model)."""

from __future__ import annotations

from engine.tasks import fact_forms
from engine.tasks.choose import Candidate, judge


def test_restore_puts_the_writers_form_back():
    src = "I'm not able to get to a post office until 20 February."
    assert fact_forms.restore(src, "I am unable to reach a post office until February 20.") == \
        "I am unable to reach a post office until 20 February."
    assert fact_forms.restore("Bloods again in 6 weeks.", "Bloods again in six weeks.") == "Bloods again in 6 weeks."
    assert fact_forms.restore("bring like 15 bucks", "bring about 15 dollars") == "bring about 15 bucks"


def test_restore_leaves_other_facts_and_changes_alone():
    src = "The meeting is on 14 March at 10:30."
    assert fact_forms.restore(src, "The meeting is on 15 March at 10:30.") == "The meeting is on 15 March at 10:30."
    assert fact_forms.restore("see you tmrw", "see you tomorrow") == "see you tomorrow"  # a relative day in full is fine
    assert fact_forms.restore(src, src) == src


def test_written_allows_spelling_of_the_counted_word_and_a_relative_day_in_full():
    assert fact_forms.written("4 familys", "paid by 4 families")
    assert fact_forms.written("7 yrs", "7 years of experience")
    assert not fact_forms.written("120 guests", "for 120 people")
    assert fact_forms.written("tmrw", "the trip is tomorrow", ("r:tomorrow",))
    assert not fact_forms.written("tmrw", "the trip is today", ("r:tomorrow",))


def test_a_number_before_a_preposition_is_not_a_counted_word():
    c = Candidate("I bought the Voltera BX-500 blender for 79.99.", "model-1")
    judge("I bought the Voltera BX-500 blender for 79.99 after my old one died.", c, "rewrite", [])
    assert not any("reworded" in p for p in c.problems), c.problems


def test_a_name_keeps_its_ampersand():
    c = Candidate("i have a client call with brennan and co at 3pm.", "model-1")
    judge("i have a client call w/ brennan & co at 3pm.", c, "rewrite", [])
    assert any("brennan & co" in p for p in c.problems), c.problems


def test_a_number_keeps_its_unit_when_another_number_holds_the_same_digit():
    c = Candidate("Mix 50 g oats with 120 ml milk and 2 tablespoons of yoghurt.", "model-1")
    judge("Mix 50 g oats with 120 ml milk and 2 tbsp yoghurt.", c, "custom", [])
    assert any("2 tbsp" in p for p in c.problems), c.problems


def test_facts_side_by_side_stay_side_by_side():
    src = "I won't be able to attend our meeting on Thursday 14 March at 10:30."
    out = fact_forms.restore(src, "I will not be able to attend the meeting on Thursday, March 14, at 10:30.")
    assert "on Thursday 14 March, at 10:30" in out, out


def test_a_word_may_come_between_a_number_and_what_follows_it():
    assert fact_forms.written("two gave", "Nine people got stuck, and two people gave up completely.")
    assert fact_forms.written("120 guests", "a menu for 120 wedding guests")
    assert not fact_forms.written("two gave", "Nine people got stuck and three gave up.")

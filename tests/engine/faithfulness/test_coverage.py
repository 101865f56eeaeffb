"""The coverage rules of the shared check: no clause lost whole, no complaint lost (no model needed)."""

from __future__ import annotations

from engine.faithfulness import Policy, check
from engine.faithfulness.coverage import complaints, dropped_clause_problems, dropped_complaint_problems

WEEKEND = ("omg just got back from glenmoor, 3 days of hiking and my legs are DEAD. we did ben aird on saturday which was amazing but the weather on sunday was awful so we basically "
           "sat in a pub in kilbrae all day.")


def test_a_clause_left_out_is_rejected_even_with_a_stray_shared_word():
    out = ("Omg just got back from glenmoor, 3 days of hiking and my legs are DEAD. we did ben aird on Saturday, "
           "and the weather was awful on Sunday.")  # professional, seen: "3 days" shares a word with "all day"
    problems = dropped_clause_problems(WEEKEND, out)
    assert problems and "kilbrae" in problems[0].text
    assert not check(WEEKEND, out).ok


def test_a_reworded_clause_is_kept():
    src = "I'm not able to get to a post office until 20 February."
    assert not dropped_clause_problems(src, "I am unable to visit a post office until 20 February.")
    assert not dropped_clause_problems(WEEKEND, WEEKEND.replace("basically ", ""))


def test_a_complaint_softened_or_left_out_is_rejected():
    src = "We've finished user testing and the billing step is still confusing."
    assert dropped_complaint_problems(src, "We've finished user testing and the billing step remains unclear.")
    src = "The lid doesn't seal properly, its really annoying."
    assert not check(src, "The lid doesn't seal properly.").ok
    assert "cracked" in complaints("it arrived with a cracked base")


def test_a_complaint_in_another_form_is_kept():
    assert not dropped_complaint_problems("API docs out of date", "outdated API docs")
    assert not dropped_complaint_problems("its really annoying", "it's very annoying!")
    assert not complaints("invoice INV-2291, issued on 2 April")  # "issued" is not "issues"


def test_summaries_and_proofreading_are_not_held_to_it():
    src = "The lid leaks and it is really annoying, and the motor is loud."
    assert check(src, "The lid leaks.", "summary").ok
    assert not [p for p in check(src, "The lid leaks.", Policy(keep_clauses=False)).problems if p.what in ("clause", "complaint")]


def test_a_bound_on_a_figure_is_kept():
    assert not check("Next goal: sub 2 hours in Harrogate.", "The next goal is 2 hours in Harrogate.").ok
    assert not check("Leave it for at least 6 hours.", "Leave it for 6 hours.").ok
    assert check("Leave it for at least 6 hours.", "Leave it for a minimum of 6 hours.").ok
    assert check("We finished in just under three hours.", "We finished in under three hours.").ok


def test_a_lowercase_writer_turned_into_someone_else_is_rejected():
    src = "if it's not fixed by 2:30 im going to work from the cafe downstairs"
    assert not check(src, "if it's not fixed by 2:30, they'll work from the cafe downstairs").ok


def test_a_relative_period_is_a_fact():
    src = "Maya and Jorge are going to rework that screen this week and we'll run a second round of tests on 9 August."
    assert not check(src, "Maya and Jorge are going to rework that screen and run a second round of tests on 9 August.").ok
    assert not check("The export broke this morning.", "The export broke this afternoon.").ok


def test_an_added_title_is_rejected():
    assert not check("Thanks so much, Fern!", "Thanks so much, Dr. Fern.").ok
    assert check("Thanks so much, Dr. Fern!", "Thank you very much, Dr. Fern.").ok
    assert check("We met Dr Shah.", "We met dr shah.", "summary").ok


def test_words_left_out_without_a_replacement_are_reported():
    from engine.faithfulness.coverage import dropped_words

    # seen in concise answers of the development set: each passed every fact and negation rule
    assert dropped_words("In the morning, top with berries or a sliced banana.", "In the morning, top with a banana.") == ["berries", "sliced"]
    assert dropped_words("Stir in the honey, then close the lid and leave it in the fridge.",
                         "Stir in the honey, then leave it in the fridge.") == ["close", "lid"]
    assert "floors" in dropped_words("It does a decent job on hard floors, picking up crumbs.", "It does a decent job picking up crumbs.")
    # a word swapped for another loses nothing; free words and their misspellings may go
    assert dropped_words("We've finished user testing with 22 customers.", "We've completed user testing with 22 customers.") == []
    assert dropped_words("We can definately look at that.", "We can look at that.", {"definitely"}) == []
    assert dropped_words("We can really look at that.", "We can look at that.", {"really"}) == []


def test_without_swaps_every_word_lost_counts():
    from engine.faithfulness.coverage import dropped_words

    src, out = "The grilled octopus was the best I've had in years.", "The best I've had in years is the perfect dinner."
    assert dropped_words(src, out) == []  # as many words put in as were lost
    assert dropped_words(src, out, swaps=False) == ["grilled", "octopus"]

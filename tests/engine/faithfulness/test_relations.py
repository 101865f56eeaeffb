"""The relation, direction, doubled-word, feeling and lowercase-name rules of the shared check.
Each case was seen in a rewrite of the everyday texts that the scorer called faithful. No model needed."""

from __future__ import annotations

import pytest

from engine.faithfulness import check
from engine.faithfulness.relations import lowercase_names, writes_in_lowercase


def whats(report):
    return {p.what for p in report.problems}


@pytest.mark.parametrize("source,candidate", [
    ("Otherwise, we would appreciate settlement by 26 May.", "We would appreciate a settlement of 26 May."),
    ("Please reply by Friday 3 May.", "Please reply until Friday 3 May."),
    ("Complaints fell by 18% compared with last year.", "Complaints fell to 18% compared with last year."),
    ("It keeps for up to 2 days in the fridge.", "It keeps for 2 days in the fridge."),
])
def test_a_changed_preposition_before_a_fact_is_rejected(source, candidate):
    r = check(source, candidate)
    assert "relation" in whats(r), r.summary()


@pytest.mark.parametrize("source,candidate", [
    ("Complaints fell by 18% compared with last year.", "Complaints dropped by 18% against last year."),
    ("Two bikes were out of service for a total of nine days.", "Two bikes were out of service for nine days."),
    ("The broadband is not active till 26th.", "The broadband isn't active until 26th."),
    ("Marketing spend Q2: 48,000 (down from 55,000 in Q1)", "Q2 marketing spend: 48,000, down from 55,000 in Q1."),
])
def test_the_same_relation_in_other_words_passes(source, candidate):
    assert check(source, candidate).ok, check(source, candidate).summary()


def test_a_figure_given_a_direction_the_text_does_not_state_is_rejected():
    src = "Marketing spend Q2: 48,000 (down from 55,000 in Q1)"
    r = check(src, "In Q2 the marketing spend increased by 48,000, down from 55,000 in Q1.")
    assert "relation" in whats(r) and "a rise" in r.summary()
    assert "relation" in whats(check("We have 12 beds.", "Our beds grew to 12."))


def test_a_word_doubled_in_place_of_another_is_rejected():
    r = check("Could you please refund the duplicate payment?", "Could you please refund the refund?")
    assert "doubled" in whats(r), r.summary()
    assert check("We walked side by side, step by step.", "We walked side by side, step by step.").ok


@pytest.mark.parametrize("candidate", [
    "Thank you all for helping on Saturday, and I'm so excited to be here.",
    "Thank you all for helping on Saturday. I look forward to the next one.",
    "Thank you all for helping on Saturday, have a great day!",
])
def test_an_added_feeling_or_pleasantry_is_rejected(candidate):
    r = check("Thank you all for helping on Saturday.", candidate)
    assert "feeling" in whats(r), r.summary()
    assert check("I'm so excited to see you.", "I'm really excited to see you.").ok  # the writer's own


def test_a_lowercase_name_dropped_is_rejected():
    text = ("hi jess, handing over the wilson account to u while im off next week. "
            "there notes are in the crm under 'wilson logistics'.")
    names = lowercase_names(text)
    assert {"jess", "wilson"} <= names
    sentence = "hi jess, handing over the wilson account to u while im off next week."
    r = check(sentence, "Hi Jess, I'm handing over the new account to you while I'm off next week.", names=names)
    assert ("dropped", "name") in {(p.kind, p.what) for p in r.problems}, r.summary()
    assert check(sentence, "Hi Jess, I'm handing over the Wilson account to you while I'm off next week.", names=names).ok
    # names found from their place: after a title, before a place or company word
    assert {"kowalski", "hollins", "brennan"} <= lowercase_names(
        "trip to hollins farm is tmrw. pls send to mrs kowalski. call w/ brennan & co at 3pm")
    # a writer who uses capitals: case tells names, and nothing is guessed
    assert not writes_in_lowercase("The school trip to Hollins Farm is tomorrow.")
    assert lowercase_names("The train station is on Mill Road.") == set()


def test_who_a_negation_is_about_must_stay_the_same():
    src = "renewal is due 28th feb and they want a 10% discount, i told them we can't go above 5% without sign off."
    r = check(src, "renewal is due 28th feb and they want a 10% discount, but they can't go above 5% without sign-off.")
    assert ("changed", "person") in {(p.kind, p.what) for p in r.problems}, r.summary()
    assert check("At 210 dollars it isn't cheap.", "At 210 dollars, it's not cheap.").ok


def test_a_season_is_part_of_its_date():
    src = "I took your Urban Ecology course in spring 2022."
    assert ("dropped", "date") in {(p.kind, p.what) for p in check(src, "I took your Urban Ecology course in 2022.").problems}
    assert check(src, "In the spring of 2022 I took your Urban Ecology course.").ok


def test_a_request_turned_into_a_statement_is_rejected():
    src = "Could you please arrange for an engineer to visit this week?"
    assert "request" in whats(check(src, "The engineer would love to visit this week."))
    assert check("Could you let me know if I need to send the lamp back?",
                 "Please let me know if I need to send the lamp back.").ok


def test_instead_of_negates_what_follows():
    src = "You can finally stay for a coffee instead of eating your bun on the pavement."
    r = check(src, "You can finally stay for a coffee and enjoy eating your bun on the pavement.")
    assert r.of_kind("negation"), r.summary()
    assert check(src, "Instead of eating your bun on the pavement, you can finally stay for a coffee.").ok


def test_an_ip_address_and_a_camel_case_name_are_facts():
    r = check("Enter the address 192.168.4.25 when asked.", "Enter 192.168.4.25.192.168.123 when asked.")
    assert ("dropped", "url") in {(p.kind, p.what) for p in r.problems}, r.summary()
    r = check("Role: Senior UX Researcher", "SmolLAM: Senior UX Researcher")
    assert ("added", "name") in {(p.kind, p.what) for p in r.problems}, r.summary()


def test_the_writer_turned_into_someone_else_or_a_request_dropped_is_rejected():
    src = "Maya and Jorge will rework that screen and we'll run a second round of tests on 9 August."
    r = check(src, "Maya and Jorge will rework that screen and they'll run a second round of tests on 9 August.")
    assert ("changed", "person") in {(p.kind, p.what) for p in r.problems}, r.summary()
    src = "I am applying to Carrow University, and I wondered whether you would be willing to write a reference for me."
    r = check(src, "I am applying to Carrow University, and I am seeking a reference from a respected academic.")
    assert "request" in whats(r), r.summary()


def test_a_changed_frequency_is_rejected():
    r = check("Weekly check-in Tues 11:00", "Daily check-in Tues 11:00")
    assert ("changed", "date") in {(p.kind, p.what) for p in r.problems}, r.summary()
    assert check("Weekly check-in Tues 11:00", "Check-in weekly, Tues 11:00").ok


def test_a_correction_may_fix_a_preposition_before_a_date():
    assert check("See you in Monday 3 May.", "See you on Monday 3 May.", "edit").ok
    assert "relation" in whats(check("See you in Monday 3 May.", "See you on Monday 3 May."))


def test_a_bound_on_a_span_written_in_words_is_kept():
    src = "It has only produced hot water for about an hour each morning."
    lost = check(src, "It has only produced hot water for an hour each morning.")  # seen in a concise answer
    assert not lost.ok and "about an hour" in lost.summary()
    assert check(src, "It has only made hot water for around an hour each morning.").ok
    assert check("We waited an hour.", "We waited for an hour.").ok  # no bound to keep

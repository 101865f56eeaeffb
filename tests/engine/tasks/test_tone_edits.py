"""Deterministic tone edits change wording, never facts or negations. No model needed."""

from __future__ import annotations

from engine.faithfulness import check
from engine.tasks import tone_edits

SENTENCES = [
    "hey guys, i just wanted to say that we are gonna be late tmrw lol!!",
    "The food was not very good, and I really think it is overpriced at $40.",
    "I do not think we can make it on Friday 3 May at 2 pm.",
    "Honestly, in order to get a refund you basically need the receipt from Larkspur.",
]


def test_edits_keep_meaning():
    for tone in ("concise", "professional", "friendly", "rewrite"):
        for s in SENTENCES:
            out = tone_edits.apply(tone, s)
            assert check(s, out).ok, (tone, s, out, check(s, out).summary())


def test_each_edit_does_its_job():
    assert tone_edits.professional(SENTENCES[0]) == "Hey everyone, I just wanted to say that we are going to be late tomorrow."
    assert tone_edits.friendly(SENTENCES[2]).startswith("I don't think")
    short = tone_edits.concise(SENTENCES[3])
    assert len(short) < len(SENTENCES[3]) and "refund" in short and "Larkspur" in short
    assert "not very good" in tone_edits.concise(SENTENCES[1])  # "very" after a negation stays


def test_greeting_and_sign_off_swaps():
    assert tone_edits.opening("friendly", "Dear Ms. Okafor,") == "Hi Ms. Okafor,"
    assert tone_edits.opening("professional", "hey Sam,") == "Hello Sam,"
    assert tone_edits.closing("friendly", "Kind regards,") == "Best wishes,"
    assert tone_edits.opening("concise", "Dear Ms. Okafor,") == "Dear Ms. Okafor,"

"""Concise leaves out pleasantries that carry no fact, and nothing else."""

from __future__ import annotations

import pytest

from engine.tasks import phatic, structure


@pytest.mark.parametrize("sentence", [
    "I hope you are well.", "Hope this email finds you well!", "Let me know if you have any questions.",
    "Please feel free to reach out if you have any further questions.", "Thanks in advance for your help.",
    "Looking forward to hearing from you.", "I look forward to your reply.", "Hope this helps!", "Have a great day!",
])
def test_pleasantries_are_recognised(sentence):
    assert phatic.is_phatic(sentence)


@pytest.mark.parametrize("sentence", [
    "I hope you can come on Friday.",  # a request
    "Please don't hesitate to contact me.",  # a negation stays
    "Let me know if you have any questions about the 64.50 euros.",  # a fact
    "Thank you for the proposal from Northgate Catering.",  # says what is thanked for
    "Let me know if I need to send the lamp back first?",
    "Looking forward to hearing from you by 3 May.",
])
def test_sentences_with_content_are_not_pleasantries(sentence):
    assert not phatic.is_phatic(sentence)


def _leave_out(text: str) -> tuple[str, dict]:
    pieces = structure.split(text)
    out = [p.text for p in pieces]
    notes: dict = {}
    phatic.leave_out(pieces, out, notes)
    return "".join(out), notes


def test_a_pleasantry_goes_with_its_space_or_its_line():
    text = ("Hi Sam,\n\nI hope you are well. The lamp arrived broken on 12 February.\n\n"
            "Let me know if you have any questions.\n\nThanks,\nMaria")
    short, notes = _leave_out(text)
    assert short == "Hi Sam,\n\nThe lamp arrived broken on 12 February.\n\nThanks,\nMaria"
    assert len(notes) == 2 and all(n[0] == "rewritten" for n in notes.values())


def test_a_pleasantry_inside_a_line_or_at_the_start_of_the_text():
    assert _leave_out("The van is booked for 8am. Thanks in advance!")[0] == "The van is booked for 8am."
    assert _leave_out("Hope you're well.\n\nThe van is booked for 8am.")[0] == "The van is booked for 8am."
    assert _leave_out("The van is booked.\nHope this helps.\nSee the list below.")[0] == "The van is booked.\nSee the list below."


def test_a_text_of_only_pleasantries_is_left_as_it_is():
    text = "Hope you're well! Let me know if you have any questions."
    assert _leave_out(text) == (text, {})

"""Concise cuts delete words only: facts, negations and complaints stay by construction (no model)."""

from __future__ import annotations

from engine.faithfulness import check, facts, negations
from engine.tasks import cuts
from engine.tasks.choose import CUT_POLICY

SENTENCES = [
    "I paid 64.50 euros and would like a full refund rather than a replacement, since the same thing happened with my last order.",
    "It's powerful and crushes ice in seconds, which I love.",
    "However, complaints about billing errors did not decrease and now make up 41% of all cases.",
    "The Pinecrest Lodge near Lake Aldern was exactly what we needed for a quiet weekend.",
    "Together, 37 of you collected 64 bags of rubbish in just under three hours, which is a new record for us.",
    "Don't use quick oats, as they turn mushy.",
    "The food was not very good and I was really disappointed.",
]


def test_cuts_are_shorter_and_keep_every_fact_and_negation():
    made = 0
    for s in SENTENCES:
        for c in cuts.candidates(s):
            made += 1
            assert len(c.split()) < len(s.split()), (s, c)
            assert {f.keys for f in facts(s) if not f.weak} <= {f.keys for f in facts(c)}, (s, c)
            assert len(negations(c)) == len(negations(s)), (s, c)
            assert check(s, c, CUT_POLICY).ok, (s, c, check(s, c, CUT_POLICY).summary())
    assert made >= 6


def test_what_is_cut_and_what_is_not():
    assert "It's powerful and crushes ice in seconds." in cuts.candidates(SENTENCES[1])
    assert "I paid 64.50 euros and would like a full refund rather than a replacement." in cuts.candidates(SENTENCES[0])
    assert any(c.startswith("Complaints about billing errors did not decrease") for c in cuts.candidates(SENTENCES[2]))
    assert "what we needed" in cuts.candidates(SENTENCES[3])[0]
    assert all("just under" in c for c in cuts.candidates(SENTENCES[4]))  # "just" measures here
    assert cuts.candidates(SENTENCES[5]) == []  # the reason says what goes wrong: a complaint
    assert all("not very good" in c and "disappointed" in c for c in cuts.candidates(SENTENCES[6]))
    assert cuts.candidates("Send the invoice to Maria by Friday.") == []

"""The live speed: a token stream counts calls; a sentence-level tool counts characters."""

import pytest

from app.stream_meter import StreamMeter


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def test_a_token_stream_counts_one_token_a_call_from_the_first():
    clock = Clock()
    m = StreamMeter(clock)
    text = ""
    shown = []
    for i in range(21):  # 21 tokens, 0.05 s apart
        clock.t += 0.05
        text += " word"
        shown.append(m.update(text))
    assert shown[-1] == pytest.approx(20.0)  # 20 tokens after the first, in 1.0 s


def test_a_paragraph_at_a_time_is_shown_at_once_from_the_job_start():
    clock = Clock()
    m = StreamMeter(clock)
    clock.t += 4.0  # the model read its prompts and wrote a 200-character paragraph
    assert m.update("x" * 200) == pytest.approx(50 / 4.0)
    clock.t += 0.001  # the next paragraph soon after is shown too (no throttling of sparse calls)
    assert m.update("x" * 400) == pytest.approx(100 / 4.001)

"""Which prefixes engine/tasks/prefill.py picks, on the real tokenizer and chat template."""

from __future__ import annotations

from engine.summarize import prompts as summary_prompts
from engine.summarize.core import short_prompt
from engine.tasks import prefill, rewrite_prompts
from engine.tasks.prefill import prefixes, rewrite_prompt, summary_prefix

TEXT = ("Hi Anna,\n\nOur team finished the quarterly report on Tuesday, two days ahead of the deadline. "
        "Maria will present the findings to the board next Monday at ten.\n\nBest,\nTom")
S1 = "Our team finished the quarterly report on Tuesday, two days ahead of the deadline."
S2 = "Maria will present the findings to the board next Monday at ten."


def starts(a: list[int], b: list[int]) -> bool:
    return a[: len(b)] == b


def test_each_prefix_starts_every_tones_prompt(model):
    heads = prefixes(model, TEXT, summary=False)
    for sentence in (S1, S2):
        for v in range(rewrite_prompts.variants("rewrite")):
            for tone in rewrite_prompts.TONE_GOALS:
                prompt = rewrite_prompt(model, sentence, tone, v)
                assert any(starts(prompt, h) for h in heads), (sentence, tone, v)


def test_text_first_prompts_give_the_sentence_and_the_greeting_is_left_out(model):
    texts = [model.detokenize(h) for h in prefixes(model, TEXT, summary=False)]
    assert any(S1 in t and "Task:" in t for t in texts)  # "Text: <sentence>\n\nTask: ..." shared by all tones
    assert any(S2 in t for t in texts)
    assert not any("Hi Anna" in t or "Tom" in t for t in texts)  # greetings and sign-offs are not rewritten
    plain = [t for t in texts if "Rewrite this sentence" in t]
    assert len(plain) == 1 and S1 not in plain[0]  # instruction-first: only the head, once for all sentences


def test_the_prefixes_follow_the_prompts_when_they_change(model, monkeypatch):
    monkeypatch.setattr(rewrite_prompts, "PLAIN", "Sentence: {sentence}\nMake it sound {goal}.")
    texts = [model.detokenize(h) for h in prefixes(model, S1 + " " + S2, summary=False)]
    assert sum(1 for t in texts if "Sentence: " + S1 in t) == 1
    assert sum(1 for t in texts if "Text: " + S1 in t) == 1


def test_the_summary_prefix_starts_every_kinds_prompt(model):
    text = S1 + " " + S2 + " The board meets in the large room on the second floor."
    head = summary_prefix(model, text)
    shown = model.detokenize(head)
    assert summary_prompts.SYSTEM in shown and "Text:" in shown
    for kind in ("summary", "key-points", "list", "table"):
        messages, _reply = short_prompt(model, text, kind)
        assert starts(model.prompt_tokens(messages), head), kind


def test_a_long_text_has_no_summary_prefix_and_empty_text_has_none(model):
    long_text = " ".join(f"Office {i} shipped {i + 3} orders before the deadline on Friday." for i in range(400))
    assert summary_prefix(model, long_text) == []
    assert prefixes(model, "   ") == []


def test_repeated_and_covered_prefixes_are_dropped(model):
    heads = prefixes(model, S1 + " " + S1)
    assert len(heads) == len({tuple(h) for h in heads})
    for h in heads:
        assert not any(len(o) > len(h) and starts(o, h) for o in heads)
    assert prefill.common([1, 2, 3], [1, 2, 4]) == [1, 2]


def test_short_prompt_is_the_prompt_summarize_sends(model):
    from engine.summarize import summarize

    sent = []

    class Spy:  # the real model, recording the prompts it is sent
        def __init__(self, m):
            self.m = m

        def __getattr__(self, name):
            return getattr(self.m, name)

        def stream_tokens(self, prompt, *args, **kwargs):
            sent.append(list(prompt))
            return self.m.stream_tokens(prompt, *args, **kwargs)

    text = S1 + " " + S2 + " The board meets in the large room on the second floor."
    for kind in ("summary", "key-points"):
        sent.clear()
        summarize(Spy(model), text, kind)
        messages, reply = short_prompt(model, text, kind)
        assert sent and sent[0] == model.prompt_tokens(messages) + (model.tokenize(reply) if reply else [])

"""The repeat-penalty sampler is created with the library's own prototype: its window is the one
asked for, never a leftover register value (which once made llama.cpp allocate gigabytes)."""

from __future__ import annotations

import resource
import subprocess
import sys
import textwrap

from engine.model import SamplingOptions


def test_many_penalty_samplers_take_no_memory_and_penalise(model):
    child = textwrap.dedent(f"""
        import resource
        from engine.runtime import load_model, LoadOptions
        from engine.runtime.backend import ll
        from engine.runtime.sampler import make_sampler
        from engine.model import SamplingOptions
        m = load_model({str(model.info.path)!r}, LoadOptions(n_ctx=512, n_seq_max=1, n_prefill_seqs=0))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        for last_n in (64, 256, 0, 64) * 50:
            junk = [float(i) * 1.5 for i in range(200)]  # leaves other values in the registers
            s = make_sampler(SamplingOptions(repeat_penalty=1.15, repeat_last_n=last_n), m.n_vocab)
            ll.llama_sampler_free(s)
        print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
    """)
    out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert int(out.stdout.strip().splitlines()[-1]) < 50  # MB grown over 200 samplers (was GBs at random)
    msgs = [{"role": "user", "content": "Repeat the word 'cat' twenty times."}]
    plain = "".join(model.stream(msgs, max_tokens=30))
    penalised = "".join(model.stream(msgs, max_tokens=30, sampling=SamplingOptions(repeat_penalty=5.0)))
    assert plain != penalised  # the penalty is applied
    windowless = "".join(model.stream(msgs, max_tokens=30, sampling=SamplingOptions(repeat_penalty=5.0, repeat_last_n=0)))
    assert windowless == plain  # a window of 0 tokens penalises nothing: the window asked for is the one used


def test_greedy_picks_what_llama_cpp_greedy_picks_at_every_position(model):
    import numpy  # noqa: F401  (the in-place greedy path is used once numpy is imported)

    from engine.runtime.backend import ll
    from engine.runtime.sampler import Sampler, make_sampler

    prompt = model.prompt_tokens([{"role": "user", "content": "Write two sentences about a quiet harbour town."}])
    model._reset_cache()
    try:
        rows = model._feed([(t, p, 0, True) for p, t in enumerate(prompt[:64])])
        assert rows  # logits were kept for every position of the final slice
        fast = Sampler(SamplingOptions(temperature=0), model.n_vocab)
        chain = make_sampler(SamplingOptions(temperature=0), model.n_vocab)
        assert fast.chain is None  # plain greedy reads the logits in place
        picked = [fast.next(model._ctx, i) for i in range(min(64, len(prompt)))]
        expected = [ll.llama_sampler_sample(chain, model._ctx, i) for i in range(min(64, len(prompt)))]
        ll.llama_sampler_free(chain)
        assert picked == expected and len(set(picked)) > 5
    finally:
        model._reset_cache()
    penalised = Sampler(SamplingOptions(temperature=0, repeat_penalty=1.3), model.n_vocab)
    assert penalised.chain is not None  # a penalty needs llama.cpp's chain
    penalised.close()
    assert penalised.chain is None

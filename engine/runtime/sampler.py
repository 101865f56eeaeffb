"""A llama.cpp sampler chain for `SamplingOptions`: greedy, or top-k/top-p/temperature; with an
optional repeat penalty."""

from __future__ import annotations

from ..model import SamplingOptions
from .backend import ll


def _penalties(n_vocab: int, last_n: int, repeat: float):
    """The repeat penalty over the last `last_n` tokens. The llama.cpp that llama-cpp-python 0.3.36
    vendors takes (n_vocab, last_n, repeat, freq, present) and the binding declares exactly that;
    a 4-argument call once used here left `last_n` to whatever the register held, and llama.cpp
    sized its token ring to that: gigabytes, at random (tests/engine/runtime/test_sampler.py)."""
    return ll.llama_sampler_init_penalties(n_vocab, last_n, repeat, 0.0, 0.0)


def make_sampler(s: SamplingOptions, n_vocab: int):
    """A new sampler chain (free it with ll.llama_sampler_free)."""
    chain = ll.llama_sampler_chain_init(ll.llama_sampler_chain_default_params())
    if s.repeat_penalty and s.repeat_penalty != 1.0:
        ll.llama_sampler_chain_add(chain, _penalties(n_vocab, max(0, int(s.repeat_last_n)), float(s.repeat_penalty)))
    if s.temperature <= 0:
        ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_greedy())
    else:
        ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_top_k(s.top_k))
        ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_top_p(s.top_p, 1))
        ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_temp(s.temperature))
        ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_dist(s.seed))
    return chain

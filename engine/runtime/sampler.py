"""How the next token is picked for `SamplingOptions`: greedy, or top-k/top-p/temperature; with an
optional repeat penalty."""

from __future__ import annotations

import sys

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


class Sampler:
    """One sequence's token picker. Plain greedy decoding (no penalty) reads the largest logit in
    place: a llama.cpp chain copies all n_vocab candidates into a fresh array for every token
    (47 µs against 5 µs per token here, with the default model's 49,152 tokens). Ties go to the
    lowest token id, as llama.cpp's greedy sampler does. It needs numpy, which the runtime never
    imports for itself (70 ms of a CLI start): once scoring or anything else has imported it, it
    is used. Anything else uses a llama.cpp chain."""

    def __init__(self, s: SamplingOptions, n_vocab: int):
        self.n_vocab = n_vocab
        # numpy's as_array once numpy is fully imported (a module another thread is still importing
        # may lack it: then the chain)
        self.as_array = getattr(getattr(sys.modules.get("numpy"), "ctypeslib", None), "as_array", None)
        plain = s.temperature <= 0 and (not s.repeat_penalty or s.repeat_penalty == 1.0)
        self.chain = None if plain and self.as_array is not None else make_sampler(s, n_vocab)

    def next(self, ctx, index: int) -> int:
        if self.chain is not None:
            return ll.llama_sampler_sample(self.chain, ctx, index)
        logits = self.as_array(ll.llama_get_logits_ith(ctx, index), shape=(self.n_vocab,))
        return int(logits.argmax())

    def close(self) -> None:
        if self.chain is not None:
            ll.llama_sampler_free(self.chain)
            self.chain = None

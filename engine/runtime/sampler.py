"""A llama.cpp sampler chain for `SamplingOptions`: greedy, or top-k/top-p/temperature; with an
optional repeat penalty."""

from __future__ import annotations

import ctypes

from ..model import SamplingOptions
from .backend import ll


def _penalties(last_n: int, repeat: float):
    """llama_sampler_init_penalties(last_n, repeat, freq, present). The Python binding still
    declares an older 5-argument form; the library exports the 4-argument one, so we declare the
    prototype ourselves (checked by a test that a penalty changes greedy output)."""
    fn = ll._lib.llama_sampler_init_penalties
    fn.argtypes = [ctypes.c_int32, ctypes.c_float, ctypes.c_float, ctypes.c_float]
    fn.restype = ll.llama_sampler_p_ctypes
    return fn(last_n, repeat, 0.0, 0.0)


def make_sampler(s: SamplingOptions):
    """A new sampler chain (free it with ll.llama_sampler_free)."""
    chain = ll.llama_sampler_chain_init(ll.llama_sampler_chain_default_params())
    if s.repeat_penalty and s.repeat_penalty != 1.0:
        ll.llama_sampler_chain_add(chain, _penalties(s.repeat_last_n, s.repeat_penalty))
    if s.temperature <= 0:
        ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_greedy())
    else:
        ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_top_k(s.top_k))
        ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_top_p(s.top_p, 1))
        ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_temp(s.temperature))
        ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_dist(s.seed))
    return chain

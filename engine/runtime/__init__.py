"""The model runtime: load a GGUF with llama.cpp, stream tokens, cancel, reuse the KV cache.

We drive llama.cpp through llama-cpp-python's low-level API (tokenize, llama_decode, sampler
chains) rather than its high-level `Llama` class: the per-token Python overhead of the high-level
streaming chat API costs ~25 % of decode speed on a 135M model, and the low-level loop lets us
(a) keep the KV cache of a shared prompt prefix between requests, (b) decode several prompts as
parallel sequences in one batch, and (c) abort a running decode from another thread through
llama.cpp's abort callback.

Thread model: one generation at a time per `LlamaModel` (a lock serialises them); `cancel()` may
be called from any thread: it takes effect inside a prompt or prefill batch's graph computation,
and after the current step while generating (single-token steps run without the abort callback,
which llama.cpp calls before every graph node: decoding.py).

Modules: backend (the library, its start-up and log), loading (weights and context), sampler,
stops (stop strings in streamed text), decoding (batch and prefix-cache steps), batching
(`generate_many`), scoring (`score_texts`), llama_model (`LlamaModel`, `load_model`).
"""

from ..options import LoadOptions, resolve_gpu_layers
from .backend import ensure_backend, ll, recent_log
from .llama_model import LlamaModel, load_model

__all__ = ["LlamaModel", "LoadOptions", "ensure_backend", "ll", "load_model", "recent_log", "resolve_gpu_layers"]

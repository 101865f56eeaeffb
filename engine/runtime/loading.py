"""Loading a GGUF with llama.cpp: the memory check, the weights (with the GPU fallback said in
words), and the context with its batch."""

from __future__ import annotations

import ctypes

from .. import hardware
from ..errors import ModelError
from ..gguf import GGUFInfo, human_bytes
from ..options import LoadOptions
from .backend import clear_log, ll, recent_log


def context_size(info: GGUFInfo, opt: LoadOptions, notes: list[str]) -> int:
    """The context to create: the one asked for, capped to the model's trained length; refused
    before loading when the machine lacks the memory for it."""
    n_ctx = opt.n_ctx
    if info.context_length and n_ctx > info.context_length:
        notes.append(f"context {n_ctx} capped to the model's trained {info.context_length}")
        n_ctx = info.context_length
    if opt.check_memory:
        need = info.estimate_memory(n_ctx, opt.n_batch)
        avail = hardware.available_memory()
        if avail and need > avail:
            raise ModelError(
                f"not enough memory for {info.path.name}: it needs about {human_bytes(need)} "
                f"with a {n_ctx}-token context, and {human_bytes(avail)} is free. "
                "Choose a smaller context size or a smaller quantization."
            )
    return n_ctx


def load_weights(info: GGUFInfo, opt: LoadOptions, n_gpu_layers: int, choices: list[str]):
    """The llama_model pointer for `info`, with `n_gpu_layers` offloaded; ModelError in words."""
    mparams = ll.llama_model_default_params()
    mparams.n_gpu_layers = n_gpu_layers
    mparams.use_extra_bufts = opt.resolved_extra_buffers()
    if not mparams.use_extra_bufts and opt.extra_buffers is None:
        choices.append("extra buffer types off: this CPU has AMX, whose llama.cpp path crashes")
    clear_log()
    model = ll.llama_model_load_from_file(str(info.path).encode("utf-8"), mparams)
    if not model:
        detail = recent_log()
        if "unknown model architecture" in detail or "unknown architecture" in detail:
            raise ModelError(
                f"{info.path.name}: architecture '{info.architecture}' is not supported by this llama.cpp build "
                "(update llama-cpp-python, or pick another model)"
            )
        raise ModelError(f"llama.cpp could not load {info.path.name}: {detail or 'unknown reason'}")
    return model


def create_context(model, info: GGUFInfo, n_ctx: int, opt: LoadOptions, notes: list[str]):
    """A new llama_context for `opt`. Without flash attention when the model or backend cannot
    have it (said in `notes`, and `opt.flash_attn` set False)."""
    cparams = ll.llama_context_default_params()
    cparams.n_ctx = n_ctx
    cparams.n_batch = opt.n_batch
    cparams.n_ubatch = min(opt.n_ubatch or 512, opt.n_batch)
    cparams.n_seq_max = max(1, opt.n_seq_max) + max(0, opt.n_prefill_seqs)  # prefill.py's sequences after
    cparams.n_threads = opt.resolved_threads()
    cparams.n_threads_batch = opt.resolved_threads()
    cparams.flash_attn_type = ll.LLAMA_FLASH_ATTN_TYPE_ENABLED if opt.flash_attn else ll.LLAMA_FLASH_ATTN_TYPE_DISABLED
    cparams.kv_unified = True  # one KV pool: a lone request can use the whole context
    cparams.no_perf = False
    ctx = ll.llama_init_from_model(model, cparams)
    if not ctx and opt.flash_attn:
        notes.append("flash attention is not available for this model/backend; using standard attention")
        cparams.flash_attn_type = ll.LLAMA_FLASH_ATTN_TYPE_DISABLED
        ctx = ll.llama_init_from_model(model, cparams)
        opt.flash_attn = False
    if not ctx:
        raise ModelError(f"could not create a context for {info.path.name}: {recent_log() or 'llama.cpp refused it'}")
    return ctx


def set_abort(ctx, callback) -> None:
    """Let `callback` (a ggml_abort_callback) stop a running decode of `ctx`; None: nothing can."""
    ll.llama_set_abort_callback(ctx, callback if callback is not None else _NO_ABORT, ctypes.c_void_p(0))


_NO_ABORT = ll.ggml_abort_callback(0)

"""How to load a model (`LoadOptions`) and the GPU-layer policy. Kept apart from runtime.py so a
process that only builds options (the CLI's parent, the app) does not import llama.cpp."""

from __future__ import annotations

from dataclasses import dataclass

from . import hardware
from .errors import InputError


@dataclass
class LoadOptions:
    """How to load a model. `None`/"auto" values are resolved against this machine."""

    n_ctx: int = 4096
    n_threads: int | None = None  # default: physical cores
    n_gpu_layers: int | str = "auto"  # "auto": all layers when the build can offload, else 0
    # None = calibrated: the fastest measured on this machine (engine.calibrate), else on
    flash_attn: bool | None = None
    # The attention setting long prompts are read with, in a second context whose KV cache then
    # moves to the main one (runtime/split_prefill.py). None = calibrated when flash_attn is too
    # (set only where the other setting measured faster at reading prompts), else the main one.
    prefill_flash_attn: bool | None = None
    # Requests shorter than this (prompt and answer, tokens) run wholly in that second context with
    # the other attention setting. None = calibrated (with flash_attn), 0 = never.
    short_below: int | None = None
    n_batch: int = 512
    n_ubatch: int | None = None  # None = calibrated, else 512
    n_seq_max: int = 4  # parallel sequences for batched proofreading / summarizing
    # KV sequences (beyond n_seq_max) for prompt prefixes prefilled while the user chooses a tool
    # (runtime/prefill.py); they share the context's one KV pool. 0 turns prefill off.
    n_prefill_seqs: int = 16
    check_memory: bool = True
    # On the CPU, the main KV cache starts small and is remade at the size the work needs, up to
    # n_ctx (runtime/kv_size.py: decoding without flash attention is faster in a cache sized to
    # the work). False: n_ctx cells from the start.
    fit_kv: bool = True
    # llama.cpp's extra buffer types (weight repacking for Q4_0/Q4_K/IQ4_NL/Q8_0; AMX kernels).
    # None = auto: on, except where the AMX path could run in this process (it dies with SIGILL).
    extra_buffers: bool | None = None
    # "cached": use a calibration measured before for this model + build + CPU; "background": also
    # measure one in the background when there is none (long-lived engines); "off": defaults only.
    calibration: str = "cached"

    def resolved_extra_buffers(self) -> bool:
        if self.extra_buffers is not None:
            return bool(self.extra_buffers)
        return not hardware.amx_in_process()

    @classmethod
    def safe(cls, base: "LoadOptions | None" = None) -> "LoadOptions":
        """The settings an engine restarts with after a native crash: CPU only, no extra buffer
        types, standard attention."""
        from dataclasses import replace

        return replace(base or cls(), n_gpu_layers=0, extra_buffers=False, flash_attn=False, prefill_flash_attn=False,
                       short_below=0)

    def resolved_threads(self) -> int:
        return self.n_threads or hardware.physical_cores()

    def explicit(self) -> dict[str, bool]:
        """Which calibrated settings the caller chose (those always win over a calibration)."""
        return {"flash_attn": self.flash_attn is not None, "n_threads": bool(self.n_threads),
                "n_ubatch": self.n_ubatch is not None, "n_gpu_layers": self.n_gpu_layers not in ("auto", None, "")}

    def with_choice(self, choice) -> "LoadOptions":
        """These options with the unset calibrated fields filled from `choice` (a calibrate.Choice,
        or None for the built-in defaults: flash attention on, physical cores, ubatch 512)."""
        from dataclasses import replace

        fa = self.flash_attn if self.flash_attn is not None else (choice.flash_attn if choice else True)
        threads = self.n_threads or (choice.n_threads if choice else None)
        ubatch = self.n_ubatch if self.n_ubatch is not None else (choice.n_ubatch if choice else 512)
        gpu = self.n_gpu_layers
        if choice is not None and gpu in ("auto", None, "") and choice.n_gpu_layers == 0:
            gpu = 0  # measured: this machine's GPU was slower than its CPU for this model
        prefill, short = self.prefill_flash_attn, self.short_below
        measured = self.flash_attn is None and choice is not None  # an explicit attention setting is for all
        if prefill is None and measured:
            prefill = choice.prefill_flash_attn
        if short is None:
            short = choice.short_below if measured else 0
        return replace(self, flash_attn=fa, prefill_flash_attn=prefill, short_below=short, n_threads=threads,
                       n_ubatch=ubatch, n_gpu_layers=gpu)


def resolve_gpu_layers(setting: int | str, supports_gpu: bool, n_layer: int) -> int:
    """Map the user's GPU-layers setting to a number for llama.cpp.

    "auto" offloads every layer when the build has a GPU backend, none otherwise; an explicit
    number is honoured but capped at what the model has (-1 means all).
    """
    if setting in ("auto", None, ""):
        return n_layer + 1 if supports_gpu else 0  # +1: the output layer
    try:
        n = int(setting)
    except (TypeError, ValueError):
        raise InputError(f"GPU layers must be 'auto' or a whole number, not {setting!r}") from None
    if n < 0:
        return n_layer + 1
    return min(n, n_layer + 1)

"""AMX: the CPU variant and extra-buffer choices that keep llama.cpp off its faulting path."""

from __future__ import annotations

from pathlib import Path

from engine import hardware
from engine.runtime import LoadOptions

SCORES = {"x64": 1, "haswell": 40, "skylakex": 60, "icelake": 90, "sapphirerapids": 120, "zen4": 0}
FILES = [Path(f"/lib/libggml-cpu-{name}.so") for name in SCORES]


def score(path: Path) -> int:
    return SCORES[hardware._variant_name(path.name)]


def test_amx_cpu_gets_the_best_variant_without_amx():
    chosen = hardware.choose_cpu_variant(FILES, amx=True, score=score)
    assert chosen is not None and chosen.name == "libggml-cpu-icelake.so"


def test_other_cpus_let_ggml_choose():
    assert hardware.choose_cpu_variant(FILES, amx=False, score=score) is None


def test_amx_flags_are_read_from_the_cpu_flags():
    assert hardware.has_amx(frozenset({"avx2", "amx_tile", "amx_int8"}))
    assert not hardware.has_amx(frozenset({"avx2", "avx512f"}))


def test_extra_buffers_follow_the_amx_risk(monkeypatch):
    monkeypatch.setattr(hardware, "amx_in_process", lambda: True)
    assert LoadOptions().resolved_extra_buffers() is False
    assert LoadOptions(extra_buffers=True).resolved_extra_buffers() is True  # an explicit choice wins
    monkeypatch.setattr(hardware, "amx_in_process", lambda: False)
    assert LoadOptions().resolved_extra_buffers() is True  # repacking stays on where it is safe


def test_safe_options_turn_every_risky_feature_off():
    safe = LoadOptions.safe(LoadOptions(n_ctx=2048, flash_attn=True, n_gpu_layers="auto"))
    assert (safe.n_ctx, safe.flash_attn, safe.extra_buffers, safe.n_gpu_layers) == (2048, False, False, 0)


def test_this_machine_is_described_consistently():
    """On this very CPU: AMX in /proc/cpuinfo means the runtime will not take the AMX path."""
    import llama_cpp  # noqa: F401 - the backend choice below needs the library loaded

    from engine.runtime import ensure_backend

    ensure_backend()
    if hardware.has_amx():
        assert not LoadOptions().resolved_extra_buffers() or hardware.BACKEND_CHOICE["amx_avoided_by"] == "variant"
    else:
        assert LoadOptions().resolved_extra_buffers()

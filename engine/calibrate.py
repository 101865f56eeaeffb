"""Which llama.cpp settings run fastest for this model on this machine: keys, cache, choice.

The measurements themselves are taken by `engine.calibrate_measure` (it needs a loaded model);
this module is pure Python so its logic can be tested without one:

- identities: the model file (size + a hash of its first and last bytes), the llama.cpp build
  (version, library size, compiled CPU features, chosen CPU variant, GPU offload support) and the
  CPU (model name, core counts, feature flags). A change of any of them is a cache miss, so the
  engine measures again.
- the cache: a small JSON file in the user's config folder (not the encrypted store: nothing in it
  is personal), one entry per model + build + CPU.
- the choice: from the measured rates, the setting that finishes our tools' typical requests
  (a ~200-token rewrite, a ~1,500-token summary chunk) soonest; an alternative must beat the
  default by a margin so measurement noise does not flip it.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import hardware
from .calibrate_split import prefill_setting, seconds_per_token, short_setting
from .paths import config_dir

FILE_NAME = "calibration.json"
FORMAT = 1
MAX_ENTRIES = 16  # oldest entries go first (models tried once, old builds)
SHORT_DEPTH = 200  # a rewrite or proofreading prompt
TINY_DEPTH = 32  # decoding right after a few tokens: where the two attention settings may trade places
LONG_DEPTH = 1500  # a summary chunk
# (prompt tokens, output tokens) of the requests the choice optimises, equally weighted
WORKLOAD = ((SHORT_DEPTH, 150), (LONG_DEPTH, 200))
BUDGET_SECONDS = 6.0  # what a calibration aims for (the deep depth is fitted to it)
MARGIN = 0.03  # an alternative to the default must save at least 3 % of the workload time
# the other attention setting reads long prompts in a second context when it measured this much
# faster at it (moving the KV cache between the two costs ~1-2 % of a long prompt's read)
PREFILL_MARGIN = 0.05
DEFAULT_UBATCH = 512
UBATCH_CANDIDATES = (512, 256)
HEAD_BYTES = 1 << 20
TAIL_BYTES = 64 << 10


# -- identities ---------------------------------------------------------------------------------
def model_identity(path: str | os.PathLike[str]) -> dict:
    """The model file by content: size and a hash of its first MiB and last 64 KiB (the GGUF header
    with its metadata, and the end of the weights). A copy of the same file has the same identity."""
    p = Path(path)
    size = p.stat().st_size
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        h.update(fh.read(HEAD_BYTES))
        if size > HEAD_BYTES:
            fh.seek(max(HEAD_BYTES, size - TAIL_BYTES))
            h.update(fh.read(TAIL_BYTES))
    return {"name": p.name, "size": size, "hash": h.hexdigest()[:32]}


def build_identity() -> dict:
    """The llama.cpp this process runs (call after the backend is loaded: the CPU variant and the
    compiled features are only known then)."""
    info: dict = {"llama_cpp_python": "", "library_size": 0, "features": "", "variant": "", "gpu_offload": False}
    import llama_cpp
    import llama_cpp.llama_cpp as ll

    info["llama_cpp_python"] = getattr(llama_cpp, "__version__", "")
    lib = getattr(ll._lib, "_name", "")
    if lib and os.path.exists(lib):
        info["library_size"] = os.path.getsize(lib)
    info["features"] = ll.llama_print_system_info().decode("utf-8", "replace").strip()
    info["gpu_offload"] = bool(ll.llama_supports_gpu_offload())
    info["variant"] = str(hardware.BACKEND_CHOICE.get("variant", ""))
    return info


def cpu_name() -> str:
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    if line.startswith(("model name", "Hardware", "Processor")):
                        return line.split(":", 1)[1].strip()
        except OSError:
            pass
    return platform.processor() or platform.machine()


def logical_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def cpu_identity() -> dict:
    flags = sorted(hardware.cpu_flags())
    return {
        "name": cpu_name(),
        "machine": platform.machine(),
        "logical": logical_cpus(),
        "physical": hardware.physical_cores(),
        "amx": hardware.has_amx(),
        "flags": hashlib.sha256(" ".join(flags).encode()).hexdigest()[:16],
    }


def cache_key(model: dict, build: dict, cpu: dict) -> str:
    blob = json.dumps({"format": FORMAT, "model": model, "build": build, "cpu": cpu}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:24]


# -- measurements and the choice ------------------------------------------------------------------
@dataclass
class Run:
    """One measured setting. `decode_tps` maps a context depth to decode tokens/s there; a run that
    only measured prompt processing (a batch-size variant) has none and borrows its base run's."""

    flash_attn: bool
    n_threads: int
    n_ubatch: int = DEFAULT_UBATCH
    n_gpu_layers: int = 0
    prompt_tps: float = 0.0
    decode_tps: dict[int, float] = field(default_factory=dict)
    seconds: float = 0.0

    def same_base(self, other: "Run") -> bool:
        return (self.flash_attn, self.n_threads, self.n_gpu_layers) == (other.flash_attn, other.n_threads, other.n_gpu_layers)

    def label(self) -> str:
        parts = [f"flash attention {'on' if self.flash_attn else 'off'}", f"{self.n_threads} threads", f"ubatch {self.n_ubatch}"]
        if self.n_gpu_layers:
            parts.append(f"{self.n_gpu_layers} GPU layers")
        return ", ".join(parts)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["decode_tps"] = {str(k): round(v, 2) for k, v in self.decode_tps.items()}
        d["prompt_tps"] = round(self.prompt_tps, 2)
        d["seconds"] = round(self.seconds, 3)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Run":
        return cls(
            flash_attn=bool(d["flash_attn"]),
            n_threads=int(d["n_threads"]),
            n_ubatch=int(d.get("n_ubatch", DEFAULT_UBATCH)),
            n_gpu_layers=int(d.get("n_gpu_layers", 0)),
            prompt_tps=float(d.get("prompt_tps", 0.0)),
            decode_tps={int(k): float(v) for k, v in (d.get("decode_tps") or {}).items()},
            seconds=float(d.get("seconds", 0.0)),
        )


def workload_seconds(run: Run, base: Run | None = None) -> float:
    """Seconds for the WORKLOAD with this setting; missing rates come from `base`."""
    decode = run.decode_tps or (base.decode_tps if base else {})
    prompt = run.prompt_tps or (base.prompt_tps if base else 0.0)
    if not decode or prompt <= 0:
        return float("inf")
    total = 0.0
    for n_prompt, n_out in WORKLOAD:
        total += n_prompt / prompt
        total += sum(seconds_per_token(decode, n_prompt + k) for k in range(0, n_out, 10)) * 10
    return total


@dataclass
class Choice:
    flash_attn: bool
    n_threads: int
    n_ubatch: int = DEFAULT_UBATCH
    n_gpu_layers: int = 0
    reason: str = ""
    # long prompts read with this attention setting in a second context (None: the main setting)
    prefill_flash_attn: bool | None = None
    # requests shorter than this (prompt and answer, tokens) run wholly with the other attention
    # setting, which decodes faster there (0: none)
    short_below: int = 0

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Choice":
        pf = d.get("prefill_flash_attn")
        return cls(bool(d["flash_attn"]), int(d["n_threads"]), int(d.get("n_ubatch", DEFAULT_UBATCH)),
                   int(d.get("n_gpu_layers", 0)), str(d.get("reason", "")), None if pf is None else bool(pf),
                   int(d.get("short_below", 0)))


def _better(alt: float, current: float) -> bool:
    return alt < current * (1.0 - MARGIN)


def choose(runs: list[Run], default: Run) -> Choice:
    """The fastest measured setting. `default` names what the engine uses unmeasured (its flash
    attention, threads, ubatch, GPU layers); every alternative must beat the default's workload
    time by MARGIN. Full runs (with decode rates) compete on flash attention, threads and GPU
    offload; prompt-only runs then pick the ubatch for the winner."""
    full = [r for r in runs if r.decode_tps]
    if not full:
        raise ValueError("no complete measurement to choose from")

    def key(r: Run) -> tuple:
        return (r.flash_attn, r.n_threads, r.n_gpu_layers, r.n_ubatch)

    best = next((r for r in full if key(r) == key(default)), None)
    reasons = []
    if best is None:  # the default itself was not measured: start from the fastest
        best = min(full, key=workload_seconds)
    best_t = workload_seconds(best)
    for r in full:
        t = workload_seconds(r)
        if r is not best and _better(t, best_t):
            best, best_t = r, t
    base_t = workload_seconds(next((r for r in full if key(r) == key(default)), best))
    if best_t < base_t:
        reasons.append(f"{best.label()} takes {best_t:.2f} s for the reference requests, the default {base_t:.2f} s")
    ubatch = best.n_ubatch
    for r in runs:
        if not r.decode_tps and r.same_base(best) and r.prompt_tps > 0 and r.prompt_tps > best.prompt_tps * (1.0 + MARGIN):
            if r.n_ubatch != ubatch:
                reasons.append(f"ubatch {r.n_ubatch} processes prompts at {r.prompt_tps:.0f} tokens/s vs {best.prompt_tps:.0f}")
                ubatch = r.n_ubatch
    prefill, why = prefill_setting(full, best, PREFILL_MARGIN)
    if why:
        reasons.append(why)
    below, why = short_setting(full, best, TINY_DEPTH, SHORT_DEPTH, MARGIN)
    if why:
        reasons.append(why)
    return Choice(best.flash_attn, best.n_threads, ubatch, best.n_gpu_layers,
                  "; ".join(reasons) or "the default was fastest", prefill, below)


# -- the plan ---------------------------------------------------------------------------------------
def plan(default: Run, physical: int, logical: int, gpu_layers: int) -> tuple[list[Run], list[Run], list[Run]]:
    """What to measure, as (full runs, thread runs, ubatch runs). Full runs try flash attention on
    and off (with a GPU: offload on and off too). Thread runs (only where there are more logical
    CPUs than physical cores) and ubatch runs are templates for variants of the winner of the full
    runs: the measurer copies the winner's flash attention and GPU layers into them. Thread runs
    measure decoding too; ubatch runs only prompt processing (decoding is one token at a time)."""
    full = []
    offloads = [gpu_layers, 0] if gpu_layers > 0 else [0]
    for g in offloads:
        for fa in (default.flash_attn, not default.flash_attn):
            full.append(Run(flash_attn=fa, n_threads=default.n_threads, n_ubatch=default.n_ubatch, n_gpu_layers=g))
    threads = []
    if logical > physical and default.n_threads != logical:
        threads.append(Run(flash_attn=default.flash_attn, n_threads=logical, n_ubatch=default.n_ubatch))
    ubatches = [Run(flash_attn=default.flash_attn, n_threads=default.n_threads, n_ubatch=u)
                for u in UBATCH_CANDIDATES if u != default.n_ubatch]
    return full, threads, ubatches


# -- the cache --------------------------------------------------------------------------------------
@dataclass
class Profile:
    key: str
    model: dict
    build: dict
    cpu: dict
    runs: list[Run]
    choice: Choice
    depths: list[int]
    measured_at: float = 0.0
    seconds: float = 0.0

    def complete(self) -> bool:
        """Whether its full runs have every depth this version measures (an older version's lack
        the decode rate at TINY_DEPTH, which short requests are chosen by)."""
        return all(TINY_DEPTH in r.decode_tps for r in self.runs if r.decode_tps)

    def as_dict(self) -> dict:
        return {
            "key": self.key, "model": self.model, "build": self.build, "cpu": self.cpu,
            "runs": [r.as_dict() for r in self.runs], "choice": self.choice.as_dict(),
            "depths": list(self.depths), "measured_at": self.measured_at, "seconds": round(self.seconds, 3),
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Profile":
        runs = [Run.from_dict(r) for r in d["runs"]]
        choice = Choice.from_dict(d["choice"])
        if "prefill_flash_attn" not in d["choice"]:  # measured before prompts could be read apart
            best = next((r for r in runs if r.decode_tps and (r.flash_attn, r.n_threads, r.n_gpu_layers)
                         == (choice.flash_attn, choice.n_threads, choice.n_gpu_layers)), None)
            if best is not None:
                choice.prefill_flash_attn, why = prefill_setting(runs, best, PREFILL_MARGIN)
                if why:
                    choice.reason = f"{choice.reason}; {why}"
        return cls(
            key=str(d["key"]), model=dict(d["model"]), build=dict(d["build"]), cpu=dict(d["cpu"]),
            runs=runs, choice=choice,
            depths=[int(x) for x in d.get("depths", [])], measured_at=float(d.get("measured_at", 0.0)),
            seconds=float(d.get("seconds", 0.0)),
        )


def cache_path() -> Path:
    return config_dir() / FILE_NAME


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("entries"), dict):
        return {}
    return data["entries"]


def load_profile(key: str, path: Path | None = None) -> Profile | None:
    """The cached profile for `key`, or None (missing, damaged or from another format)."""
    entry = _read(path or cache_path()).get(key)
    if not isinstance(entry, dict):
        return None
    try:
        return Profile.from_dict(entry)
    except (KeyError, TypeError, ValueError):
        return None


def save_profile(profile: Profile, path: Path | None = None) -> Path:
    """Add or replace `profile` in the cache file, atomically; keeps the newest MAX_ENTRIES."""
    path = path or cache_path()
    entries = _read(path)
    entries[profile.key] = profile.as_dict()
    if len(entries) > MAX_ENTRIES:
        newest = sorted(entries.items(), key=lambda kv: kv[1].get("measured_at", 0.0), reverse=True)
        entries = dict(newest[:MAX_ENTRIES])
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"format": FORMAT, "entries": entries}, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return path


def latest_for(model: dict, cpu: dict, path: Path | None = None) -> Profile | None:
    """The newest profile of this model file on this CPU, whatever the llama.cpp build (for
    showing without loading llama.cpp; the engine itself matches the build too)."""
    best = None
    for entry in _read(path or cache_path()).values():
        try:
            p = Profile.from_dict(entry)
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        same = (p.model.get("size"), p.model.get("hash")) == (model.get("size"), model.get("hash")) and p.cpu == cpu
        if same and (best is None or p.measured_at > best.measured_at):
            best = p
    return best


def new_profile(key: str, model: dict, build: dict, cpu: dict, runs: list[Run], choice: Choice,
                depths: list[int], seconds: float) -> Profile:
    return Profile(key, model, build, cpu, runs, choice, depths, time.time(), seconds)

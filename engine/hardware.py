"""Facts about this machine the runtime needs: physical cores, free memory, bundled backends."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def physical_cores() -> int:
    """Physical cores (hyper-threads slow llama.cpp down), falling back to logical CPUs."""
    logical = os.cpu_count() or 1
    try:
        if sys.platform.startswith("linux"):
            cores = set()
            phys = core = None
            with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    if line.startswith("physical id"):
                        phys = line.split(":")[1].strip()
                    elif line.startswith("core id"):
                        core = line.split(":")[1].strip()
                    elif not line.strip():
                        if core is not None:
                            cores.add((phys, core))
                        phys = core = None
            if core is not None:
                cores.add((phys, core))
            if cores:
                n = len(cores)
                try:  # respect CPU affinity (containers, taskset)
                    n = min(n, len(os.sched_getaffinity(0)))
                except (AttributeError, OSError):
                    pass
                return max(1, n)
        elif sys.platform == "darwin":
            out = subprocess.run(["sysctl", "-n", "hw.physicalcpu"], capture_output=True, text=True, timeout=2)
            return max(1, int(out.stdout.strip()))
    except (OSError, ValueError, subprocess.SubprocessError):
        pass
    return logical


def available_memory() -> int:
    """Bytes of memory available for a new allocation, or 0 when unknown."""
    try:
        if sys.platform.startswith("linux"):
            with open("/proc/meminfo", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("MemAvailable:"):
                        return int(line.split()[1]) * 1024
        elif sys.platform == "win32":
            class MEMORYSTATUSEX(ctypes.Structure):
                _fields_ = [("dwLength", ctypes.c_ulong), ("dwMemoryLoad", ctypes.c_ulong),
                            ("ullTotalPhys", ctypes.c_ulonglong), ("ullAvailPhys", ctypes.c_ulonglong),
                            ("ullTotalPageFile", ctypes.c_ulonglong), ("ullAvailPageFile", ctypes.c_ulonglong),
                            ("ullTotalVirtual", ctypes.c_ulonglong), ("ullAvailVirtual", ctypes.c_ulonglong),
                            ("ullAvailExtendedVirtual", ctypes.c_ulonglong)]
            st = MEMORYSTATUSEX()
            st.dwLength = ctypes.sizeof(st)
            if ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(st)):  # type: ignore[attr-defined]
                return int(st.ullAvailPhys)
        else:
            pages = os.sysconf("SC_AVPHYS_PAGES")
            return int(pages) * int(os.sysconf("SC_PAGE_SIZE"))
    except (OSError, ValueError, AttributeError):
        pass
    return 0


# ---------------------------------------------------------------------------------------------
# AMX: llama.cpp's AMX matrix-multiply path (an "extra buffer type" of the CPU backend) executes
# tile instructions on worker threads that never got a tile configuration; on Linux the kernel
# answers with SIGILL (exit status 132) at the first model call. Until that is fixed upstream we
# keep that path out of the process: a portable build loads its best CPU variant *without* AMX
# (repacking stays on), and a build made for this very CPU (GGML_NATIVE, which compiles AMX in)
# runs with extra buffer types off. Windows builds use MSVC, which compiles no AMX code at all.
AMX_VARIANTS = ("sapphirerapids",)  # portable CPU variants compiled with AMX_TILE/AMX_INT8
# What load_dynamic_backends decided, for `hushwrite doctor` and the runtime's choice.
BACKEND_CHOICE: dict[str, object] = {"variant": "", "variants": [], "amx_avoided_by": ""}


@lru_cache(maxsize=1)
def cpu_flags() -> frozenset[str]:
    """The CPU feature flags the kernel reports (Linux); empty where we cannot read them."""
    if not sys.platform.startswith("linux"):
        return frozenset()
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith(("flags", "Features")):
                    return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


def has_amx(flags: frozenset[str] | None = None) -> bool:
    flags = cpu_flags() if flags is None else flags
    return "amx_tile" in flags or "amx_int8" in flags


def amx_in_process() -> bool:
    """True when llama.cpp in this process may take its AMX path (so extra buffer types must be
    off): the CPU has AMX and the CPU backend was not chosen to be one without it."""
    if not has_amx():
        return False
    return BACKEND_CHOICE.get("amx_avoided_by") != "variant"


def _variant_name(file_name: str) -> str:
    stem = file_name.split(".")[0]  # libggml-cpu-icelake.so -> libggml-cpu-icelake
    return stem.split("ggml-cpu-", 1)[1] if "ggml-cpu-" in stem else stem


def _variant_score(path: Path) -> int:
    """ggml's own score of a CPU variant for this machine (0: it cannot run here)."""
    try:
        lib = ctypes.CDLL(str(path))
        fn = lib.ggml_backend_score
    except (OSError, AttributeError):
        return 0
    fn.restype = ctypes.c_int
    fn.argtypes = []
    return int(fn())


def choose_cpu_variant(files: list[Path], amx: bool, score=_variant_score) -> Path | None:
    """The CPU variant to load: the best ggml score, skipping AMX variants on AMX CPUs.
    None means "let ggml choose" (no AMX to avoid)."""
    if not amx:
        return None
    best, best_score = None, 0
    for f in files:
        if _variant_name(f.name) in AMX_VARIANTS:
            continue
        s = score(f)
        if s > best_score:
            best, best_score = f, s
    return best


def load_dynamic_backends() -> list[str]:
    """Load llama.cpp's dynamically loadable backends when the build has them.

    A portable build (GGML_BACKEND_DL=ON, GGML_CPU_ALL_VARIANTS=ON) ships one libggml-cpu-*.so per
    CPU generation and picks the best at run time, but only after ggml_backend_load_all() runs;
    llama-cpp-python never calls it, so model loading would fail with "no backends are loaded".
    The call must reach the *same* libggml that libllama uses: wheels cannot hold symlinks, so
    libggml.so and libggml.so.0 may be two files, and opening the other one by path would load
    the backends into a second copy nobody looks at. So we go through llama_cpp's own library
    handle first (its libllama resolves the ggml symbols from the copy it linked against).
    On a CPU with AMX we load each backend ourselves instead, with the best CPU variant that has
    no AMX code (see AMX_VARIANTS above).
    Returns the names of CPU variant libraries found (empty for an ordinary static build).
    """
    import llama_cpp
    import llama_cpp.llama_cpp as ll

    lib_dir = Path(llama_cpp.__file__).parent / "lib"
    cpu_files = sorted(lib_dir.glob("*ggml-cpu-*")) if lib_dir.is_dir() else []
    variants = [p.name for p in cpu_files]
    BACKEND_CHOICE["variants"] = [_variant_name(v) for v in variants]
    if not variants:
        return []
    handle = ll._lib
    load_all = getattr(handle, "ggml_backend_load_all_from_path", None)
    if load_all is None:  # e.g. Windows: ggml.dll is one file, open it directly
        names = ("libggml.so.0", "libggml.so", "libggml.0.dylib", "libggml.dylib", "ggml.dll")
        found = next((lib_dir / n for n in names if (lib_dir / n).exists()), None)
        if found is None:
            from .errors import ModelError

            raise ModelError(f"this llama.cpp build has CPU variant modules but no ggml library in {lib_dir}")
        handle = ctypes.CDLL(str(found))
        load_all = handle.ggml_backend_load_all_from_path
    chosen = choose_cpu_variant(cpu_files, has_amx())
    if chosen is not None:
        load_one = handle.ggml_backend_load
        load_one.argtypes = [ctypes.c_char_p]
        load_one.restype = ctypes.c_void_p
        load_one(str(chosen).encode())
        others = [p for p in lib_dir.glob("*ggml-*") if p.suffix in (".so", ".dll", ".dylib")
                  and "ggml-cpu" not in p.name and "ggml-base" not in p.name and _variant_name(p.name) not in ("libggml", "ggml")]
        for other in others:  # GPU backends of a GPU flavour (cuda, vulkan, metal, ...)
            load_one(str(other).encode())
        BACKEND_CHOICE.update(variant=_variant_name(chosen.name), amx_avoided_by="variant")
    else:
        load_all.argtypes = [ctypes.c_char_p]
        load_all.restype = None
        load_all(str(lib_dir).encode())
    count = getattr(handle, "ggml_backend_reg_count", None)
    if count is not None:
        count.restype = ctypes.c_size_t
        if count() == 0:
            from .errors import ModelError

            raise ModelError(f"no llama.cpp backend could be loaded from {lib_dir} (is the CPU too old for every variant?)")
    return variants

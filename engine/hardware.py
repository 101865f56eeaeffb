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


def load_dynamic_backends() -> list[str]:
    """Load llama.cpp's dynamically loadable backends when the build has them.

    A portable build (GGML_BACKEND_DL=ON, GGML_CPU_ALL_VARIANTS=ON) ships one libggml-cpu-*.so per
    CPU generation and picks the best at run time, but only after ggml_backend_load_all() runs;
    llama-cpp-python never calls it, so model loading would fail with "no backends are loaded".
    The call must reach the *same* libggml that libllama uses: wheels cannot hold symlinks, so
    libggml.so and libggml.so.0 may be two files, and opening the other one by path would load
    the backends into a second copy nobody looks at. So we go through llama_cpp's own library
    handle first (its libllama resolves the ggml symbols from the copy it linked against).
    Returns the names of CPU variant libraries found (empty for an ordinary static build).
    """
    try:
        import llama_cpp
        import llama_cpp.llama_cpp as ll
    except Exception:
        return []
    lib_dir = Path(llama_cpp.__file__).parent / "lib"
    variants = sorted(p.name for p in lib_dir.glob("*ggml-cpu-*")) if lib_dir.is_dir() else []
    if not variants:
        return []
    fn = getattr(ll._lib, "ggml_backend_load_all_from_path", None)
    handle = ll._lib
    if fn is None:  # e.g. Windows: ggml.dll is one file, open it directly
        names = ("libggml.so.0", "libggml.so", "libggml.0.dylib", "libggml.dylib", "ggml.dll")
        found = next((lib_dir / n for n in names if (lib_dir / n).exists()), None)
        if found is None:
            from .errors import ModelError

            raise ModelError(f"this llama.cpp build has CPU variant modules but no ggml library in {lib_dir}")
        handle = ctypes.CDLL(str(found))
        fn = handle.ggml_backend_load_all_from_path
    fn.argtypes = [ctypes.c_char_p]
    fn.restype = None
    fn(str(lib_dir).encode())
    count = getattr(handle, "ggml_backend_reg_count", None)
    if count is not None:
        count.restype = ctypes.c_size_t
        if count() == 0:
            from .errors import ModelError

            raise ModelError(f"no llama.cpp backend could be loaded from {lib_dir} (is the CPU too old for every variant?)")
    return variants

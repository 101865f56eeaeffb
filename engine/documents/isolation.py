"""Read a document in a short-lived child process that a hostile file cannot escape.

The child (engine/documents/worker.py) caps its own address space and CPU time with setrlimit
where the system has it; here the parent adds a wall-clock limit, a memory watchdog (the only
memory limit on Windows, a second one elsewhere) and Cancel: each kills the child at once. The
Document comes back pickled over a pipe (our own code at both ends).
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

from ..errors import Cancelled, InputError
from .document import Document
from .policy import POLICY, Limits, size

POLL_SECONDS = 0.05
WORKER_FLAG = "--document-worker"  # packaging/entry.py dispatches on it in the frozen app


def worker_command() -> tuple[list[str], dict[str, str]]:
    """How to start the child: the frozen binary with a flag, or this Python with -m."""
    env = dict(os.environ)
    if getattr(sys, "frozen", False):
        return [sys.executable, WORKER_FLAG], env
    root = str(Path(__file__).resolve().parents[2])  # the folder holding the engine package
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return [sys.executable, "-m", "engine.documents.worker"], env


def load_isolated(path, limits: Limits = POLICY, cancel=None) -> Document:
    return run_isolated(path, limits, cancel)[0]


def run_isolated(path, limits: Limits = POLICY, cancel=None) -> tuple[Document, dict]:
    """(Document, stats): stats holds the child's peak_rss (bytes, its own report), watched_peak (the
    watchdog's highest reading) and seconds. An InputError from the child carries the same .stats."""
    from .loader import inspect_path

    p, _fmt, name = inspect_path(path, limits)  # missing, folder, FIFO, type, size: no child needed
    cmd, env = worker_command()
    request = pickle.dumps({"path": str(p.resolve()), "limits": limits}, protocol=pickle.HIGHEST_PROTOCOL)
    start = time.monotonic()
    proc = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
        creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0) if os.name == "nt" else 0,
    )
    watched_peak = 0
    pending = request
    try:
        while True:
            try:
                out, _ = proc.communicate(pending, timeout=POLL_SECONDS)
                break
            except subprocess.TimeoutExpired:
                pending = None
            if cancel is not None and cancel.is_set():
                raise Cancelled("cancelled")
            if time.monotonic() - start > limits.seconds:
                raise InputError(f"reading {name} took longer than {limits.seconds:.0f} s, the limit; it is damaged "
                                 "or too complex to read safely")
            rss = child_rss(proc.pid)
            watched_peak = max(watched_peak, rss)
            if rss > limits.memory_bytes:
                raise InputError(_memory_message(name, limits))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    seconds = time.monotonic() - start
    try:
        kind, payload, stats = pickle.loads(out)
    except Exception:  # no envelope: the child was killed or crashed
        raise InputError(_death_message(name, proc.returncode, limits)) from None
    stats = {**stats, "seconds": seconds, "watched_peak": watched_peak}
    if kind == "ok":
        return payload, stats
    if kind == "memory":
        error = InputError(_memory_message(name, limits))
    elif kind == "bug":
        error = InputError(f"{name} could not be read: Hushwrite hit an internal error ({payload}). "
                           "Please report it with the file if you can share it")
    else:
        error = InputError(payload)
    error.stats = stats  # what the child used, for benchmarks and tests
    raise error


def _memory_message(name: str, limits: Limits) -> str:
    return (f"reading {name} needed more than {size(limits.memory_bytes)} of memory, the limit; it is damaged "
            "or too complex to read safely")


def _death_message(name: str, code: int | None, limits: Limits) -> str:
    sig = -code if code is not None and code < 0 else None
    if sig == getattr(signal, "SIGXCPU", None):
        return (f"reading {name} used more than {limits.cpu_seconds} s of processor time, the limit; it is "
                "damaged or too complex to read safely")
    if sig == getattr(signal, "SIGKILL", None):
        return _memory_message(name, limits)
    how = f"signal {sig}" if sig else f"exit code {code}"
    return f"the reader stopped on {name} ({how}); it is damaged or built to break readers"


def child_rss(pid: int) -> int:
    """Resident memory of a process in bytes, 0 when it cannot be read."""
    try:
        if sys.platform.startswith("linux"):
            with open(f"/proc/{pid}/statm", "rb") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        if os.name == "nt":
            return _windows_rss(pid)
        if sys.platform == "darwin":
            return _mac_rss(pid)
    except (OSError, ValueError, IndexError, AttributeError):
        return 0
    return 0


def _windows_rss(pid: int) -> int:
    import ctypes
    from ctypes import wintypes

    class Counters(ctypes.Structure):
        _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD)] + [
            (n, ctypes.c_size_t) for n in ("PeakWorkingSetSize", "WorkingSetSize", "QuotaPeakPagedPoolUsage",
                                           "QuotaPagedPoolUsage", "QuotaPeakNonPagedPoolUsage",
                                           "QuotaNonPagedPoolUsage", "PagefileUsage", "PeakPagefileUsage")]

    kernel32, psapi = ctypes.windll.kernel32, ctypes.windll.psapi
    kernel32.OpenProcess.restype = wintypes.HANDLE
    handle = kernel32.OpenProcess(0x1000 | 0x0010, False, pid)  # query limited information | vm read
    if not handle:
        return 0
    try:
        c = Counters()
        c.cb = ctypes.sizeof(c)
        if not psapi.GetProcessMemoryInfo(handle, ctypes.byref(c), c.cb):
            return 0
        return max(c.WorkingSetSize, c.PagefileUsage)  # private commit counts as well as resident
    finally:
        kernel32.CloseHandle(handle)


def _mac_rss(pid: int) -> int:
    import ctypes
    import ctypes.util

    lib = ctypes.CDLL(ctypes.util.find_library("proc") or "libproc.dylib")
    buf = (ctypes.c_uint64 * 12)()  # rusage_info_v0: 16-byte uuid, then 64-bit counters
    if lib.proc_pid_rusage(pid, 0, ctypes.byref(buf)) != 0:
        return 0
    return int(buf[2 + 7])  # ri_phys_footprint (uuid takes two slots)

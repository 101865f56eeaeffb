"""The child side of isolated document reading: `python -m engine.documents.worker`, or the frozen
app's binary with `--document-worker` first (packaging/entry.py).

Reads one pickled request (path, Limits) from stdin, caps its own address space and CPU time,
parses the file in-process and writes one pickled envelope to the stdout it started with:
("ok", Document, stats) or (kind, message, stats) with kind "input", "memory" or "bug".
Anything the parsing libraries print goes to stderr instead, so it cannot corrupt the envelope.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys


def _cap(limits) -> None:
    try:
        import resource
    except ImportError:  # Windows: the parent's watchdog enforces the limits
        return
    for which, soft, hard in (
        (resource.RLIMIT_AS, int(limits.memory_bytes), int(limits.memory_bytes)),
        (resource.RLIMIT_CPU, int(limits.cpu_seconds), int(limits.cpu_seconds) + 5),
    ):
        try:
            cur_soft, cur_hard = resource.getrlimit(which)
            if cur_hard != resource.RLIM_INFINITY:
                soft, hard = min(soft, cur_hard), min(hard, cur_hard)
            resource.setrlimit(which, (soft, hard))
        except (ValueError, OSError):  # macOS refuses some address-space limits: the watchdog remains
            pass


def _peak_rss() -> int:
    """This process's own peak resident memory in bytes. On Linux VmHWM, not ru_maxrss: that one
    survives exec, so it would count the memory of the process that started this one."""
    try:
        with open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        import resource
    except ImportError:
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def main() -> int:
    # Ctrl+C in a terminal reaches the whole process group: the parent decides (it kills this child)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a library's print() lands on stderr, never in the envelope
    sys.stdout = sys.stderr
    with os.fdopen(0, "rb") as requests:  # the descriptor, not sys.stdin: a windowed build may have none
        request = pickle.load(requests)
    path, limits = request["path"], request["limits"]
    _cap(limits)
    try:
        from engine.documents.loader import parse_file
        from engine.errors import HushwriteError

        try:
            envelope = ("ok", parse_file(path, limits))
        except HushwriteError as exc:
            envelope = ("input", str(exc))
        except MemoryError:
            envelope = ("memory", "")
        except RecursionError:
            envelope = ("input", f"{os.path.basename(path)} nests its contents too deeply to read safely")
        except Exception as exc:  # noqa: BLE001 -- a Hushwrite bug: reported, never a traceback
            envelope = ("bug", f"{type(exc).__name__}: {str(exc)[:200]}")
    except MemoryError:
        envelope = ("memory", "")
    stats = {"peak_rss": _peak_rss()}
    try:
        pickle.dump((*envelope, stats), out, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        envelope = None
        pickle.dump(("memory", "", stats), out)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

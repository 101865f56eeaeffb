"""Plain words for how a process ended (POSIX signals and Windows exception codes)."""

from __future__ import annotations

import signal

_SIGNALS = {
    "SIGILL": "illegal instruction",
    "SIGSEGV": "segmentation fault",
    "SIGABRT": "aborted",
    "SIGBUS": "bus error",
    "SIGFPE": "arithmetic error",
    "SIGKILL": "killed (often the system running out of memory)",
    "SIGTERM": "terminated",
    "SIGTRAP": "trap",
}
# Windows reports an unhandled native exception as its NTSTATUS code in the exit status.
_WINDOWS = {
    0xC000001D: "illegal instruction",
    0xC0000005: "access violation",
    0xC0000409: "aborted (stack buffer overrun / fail-fast)",
    0xC00000FD: "stack overflow",
    0xC0000094: "arithmetic error",
    0xC0000017: "out of memory",
}


def describe_exit(returncode: int | None) -> str:
    """'illegal instruction (signal 4)', 'aborted (signal 6)', 'exit status 1', ..."""
    if returncode is None:
        return "stopped responding"
    if returncode < 0:
        number = -returncode
        try:
            name = signal.Signals(number).name
        except ValueError:
            return f"signal {number}"
        return f"{_SIGNALS.get(name, name)} (signal {number})"
    code = returncode & 0xFFFFFFFF
    if code in _WINDOWS:
        return f"{_WINDOWS[code]} (0x{code:08X})"
    return f"exit status {returncode}"


def crash_signal(returncode: int | None) -> int:
    """The signal number of a crash (0 when it was not one)."""
    return -returncode if returncode is not None and returncode < 0 else 0

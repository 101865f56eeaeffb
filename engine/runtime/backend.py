"""llama.cpp itself: its low-level module (`ll`), initialised once per process, and the tail of its
log, kept so a load failure can be explained in plain words."""

from __future__ import annotations

import ctypes
import importlib
import importlib.util
import os
import sys
import threading
from collections import deque
from typing import Iterable

from .. import hardware


def _import_low_level():
    """llama-cpp-python's low-level module, without running its package `__init__`: that also
    imports the high-level `Llama` class with numpy and jinja2 (0.2-0.6 s of every CLI start) and
    we never use it. The package module is created bare and completes itself on first use of any
    other name (`from llama_cpp import Llama` still works). Where the package has no source file to
    read (a frozen bundle's archive may not), it is imported the ordinary way."""
    spec = None if "llama_cpp" in sys.modules else importlib.util.find_spec("llama_cpp")
    if spec is None or not spec.origin or not spec.submodule_search_locations:
        return importlib.import_module("llama_cpp.llama_cpp")
    pkg = importlib.util.module_from_spec(spec)

    def complete(name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        if not pkg.__dict__.get("_hushwrite_completed"):
            pkg._hushwrite_completed = True
            spec.loader.exec_module(pkg)  # the real __init__ (its submodules are cached)
        try:
            return pkg.__dict__[name]
        except KeyError:
            raise AttributeError(f"module 'llama_cpp' has no attribute {name!r}") from None

    pkg.__getattr__ = complete
    try:
        with open(spec.origin, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("__version__"):
                    pkg.__version__ = line.split("=", 1)[1].strip().strip("\"'")
                    break
    except OSError:
        pass  # no source file to read `__version__` from (as before this split: it stays unset)
    sys.modules["llama_cpp"] = pkg
    try:
        return importlib.import_module("llama_cpp.llama_cpp")
    except Exception:
        sys.modules.pop("llama_cpp", None)
        raise


ll = _import_low_level()

_LOG_TAIL: deque[str] = deque(maxlen=80)
_LOG_CALLBACK = None
_BACKEND_READY = False
_BACKEND_LOCK = threading.Lock()


def _install_log_capture() -> None:
    global _LOG_CALLBACK
    if _LOG_CALLBACK is not None:
        return
    echo = bool(os.environ.get("HUSHWRITE_DEBUG"))

    def _on_log(level: int, text: bytes | None, _user: ctypes.c_void_p) -> None:
        if not text:
            return
        _LOG_TAIL.append(text.decode("utf-8", errors="replace"))
        if echo:
            os.write(2, text)

    _LOG_CALLBACK = ll.llama_log_callback(_on_log)
    ll.llama_log_set(_LOG_CALLBACK, ctypes.c_void_p(0))


def ensure_backend() -> None:
    """Initialise llama.cpp once per process (and load dynamic backends in bundles)."""
    global _BACKEND_READY
    with _BACKEND_LOCK:
        if _BACKEND_READY:
            return
        _install_log_capture()
        hardware.load_dynamic_backends()
        ll.llama_backend_init()
        _BACKEND_READY = True


def clear_log() -> None:
    """Forget the log so far (before a load whose failure `recent_log` should explain)."""
    _LOG_TAIL.clear()


def recent_log(contains: Iterable[str] = ("error", "failed", "unknown", "not enough", "unable")) -> str:
    """The recent log lines that look like a reason for a failure, joined in one line."""
    keys = tuple(contains)
    lines = [ln.strip() for ln in _LOG_TAIL if any(k in ln.lower() for k in keys)]
    return "; ".join(dict.fromkeys(lines))[-600:]

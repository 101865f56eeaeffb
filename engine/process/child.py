"""The engine process: holds one loaded model and answers model calls over its stdin/stdout.

Started by `engine.process.client.EngineProcess` (`python -m engine.process.child`, or the
frozen app with `--engine-worker`). Whatever happens in here — an illegal instruction in a
native kernel, a GGML_ASSERT abort on an odd GGUF, the OOM killer — ends this process only; the
window, the tray and the user's text live in the parent.

Threads: the main thread runs calls one at a time, in order (as the runtime's own lock would);
a reader thread takes frames off stdin and handles `cancel` and `stop` at once, so a cancel
reaches llama.cpp's abort callback while a decode is running. Token-only calls (tokenize,
count_tokens, ...) are answered by the reader thread too: they touch only the vocabulary, and
answering them inline keeps a task that counts tokens while it streams from waiting for its own
stream to finish. Nothing but frames is ever written to the protocol pipe: the original stdout
is kept for frames and file descriptor 1 is pointed at stderr, so a stray print or a native
library's log line cannot corrupt the channel.
"""

from __future__ import annotations

import os
import queue
import signal
import sys
import threading
import traceback
from typing import Any

from . import protocol

# Calls served inline by the reader thread (vocabulary only, no KV cache, no sampling).
QUICK_METHODS = frozenset({"tokenize", "count_tokens", "detokenize", "prompt_tokens", "format_chat", "piece",
                           "prefill", "prefill_status"})  # prefill only hands its plan to its own thread
# Tests make the engine die the way native code does: "abort" | "sigill" | "sigsegv" at every
# generation, or "abort:FILE" (etc.) once — the first process to create FILE dies, later ones run.
TEST_HOOK_ENV = "HUSHWRITE_ENGINE_TEST_HOOK"
_GENERATING = frozenset({"stream", "stream_tokens", "generate_many"})
# After this long with no call, the engine shrinks its KV cache to what it holds (runtime/kv_size.py).
IDLE_TRIM_SECONDS = 5.0


class Child:
    def __init__(self, out, inp):
        self.out = out
        self.inp = inp
        self.write_lock = threading.Lock()
        self.inbox: queue.SimpleQueue = queue.SimpleQueue()
        self.model = None
        self.jobs: list = []
        self.stopped: set[int] = set()

    # -- channel ----------------------------------------------------------------------------------
    def send(self, *message: Any) -> None:
        with self.write_lock:
            protocol.send(self.out, message)

    def read_loop(self) -> None:
        while True:
            try:
                msg = protocol.receive(self.inp)
            except (protocol.ChannelClosed, OSError, ValueError):
                os._exit(0)  # the parent is gone: nobody to answer, nothing to keep
            kind = msg[0]
            if kind == "cancel":
                if self.model is not None:
                    self.model.cancel()
            elif kind == "cancel_prefill":
                if self.model is not None:
                    self.model.cancel_prefill()
            elif kind == "stop":
                self.stopped.add(msg[1])
            elif kind == "call" and msg[2] in QUICK_METHODS and self.model is not None:
                self.run_call(*msg[1:])
            else:
                self.inbox.put(msg)

    # -- work -------------------------------------------------------------------------------------
    def serve(self) -> int:
        threading.Thread(target=self.read_loop, name="hushwrite-engine-reader", daemon=True).start()
        self.send("ready", 0, {"pid": os.getpid()})
        trimmed = True
        while True:
            try:
                msg = self.inbox.get(timeout=None if trimmed else IDLE_TRIM_SECONDS)
            except queue.Empty:
                trimmed = self.trim()
                continue
            trimmed = False
            kind = msg[0]
            if kind == "shutdown":
                self.close_model()
                self.send("ok", msg[1], None)
                return 0
            if kind == "load":
                self.load(*msg[1:])
            elif kind == "call":
                self.run_call(*msg[1:])

    def load(self, cid: int, path: str | None, options) -> None:
        try:
            from ..runtime import load_model

            self.close_model()
            self.model = load_model(path, options)
        except BaseException as exc:  # noqa: BLE001 - every failure is reported to the parent
            self.send_error(cid, exc)
            return
        m = self.model
        self.send("ok", cid, {
            "name": m.name, "path": m.path, "info": m.info, "options": m.options, "notes": list(m.notes),
            "choices": list(getattr(m, "choices", [])), "n_ctx": m.n_ctx, "n_gpu_layers": m.n_gpu_layers,
            "n_threads": m.n_threads, "load_seconds": m.load_seconds, "can_batch": m.can_batch,
            "can_cache_prefix": m.can_cache_prefix, "can_prefill": m.can_prefill, "pid": os.getpid(),
        })

    def trim(self) -> bool:
        """After a pause: shrink the model's KV cache to its work (runtime/kv_size.py), off every
        request's path. False when it should be tried again after the next pause (a job is open,
        or the model was busy)."""
        if self.model is None:
            return True
        if self.jobs or self.model.busy:
            return False
        self.model.trim_kv()  # a remake that fails keeps the cache as it was (kv_size.py)
        return True

    def close_model(self) -> None:
        if self.model is not None:
            self.model.close()
            self.model = None

    def run_call(self, cid: int, method: str, args: tuple, kwargs: dict, outs: list) -> None:
        if self.model is None:
            from ..errors import ModelError

            self.send_error(cid, ModelError("no model is loaded in the engine process"))
            return
        args = tuple(self._bind(cid, a) for a in args)
        kwargs = {k: self._bind(cid, v) for k, v in kwargs.items()}
        try:
            if method == "__job_enter__":
                cm = self.model.job()
                cm.__enter__()
                self.jobs.append(cm)
                result = None
            elif method == "__job_exit__":
                if self.jobs:
                    self.jobs.pop().__exit__(None, None, None)
                result = None
            else:
                if method.startswith("_"):
                    raise AttributeError(f"{method} is not part of the model interface")
                if method in _GENERATING:
                    _test_hook()
                result = getattr(self.model, method)(*args, **kwargs)
                if _is_stream(result):
                    self.send("stream", cid, None)
                    try:
                        for item in result:
                            self.send("item", cid, item)
                            if cid in self.stopped:
                                break
                    finally:
                        result.close() if hasattr(result, "close") else None
                        self.stopped.discard(cid)
                    self.send("end", cid, _outs(args, kwargs, outs))
                    return
        except BaseException as exc:  # noqa: BLE001
            self.send_error(cid, exc, _outs(args, kwargs, outs))
            return
        self.send("ok", cid, result, _outs(args, kwargs, outs))

    def _bind(self, cid: int, value):
        if isinstance(value, protocol.Callback):
            return lambda *a: self.send("cb", cid, value.name, a)
        return value

    def send_error(self, cid: int, exc: BaseException, outs=None) -> None:
        from ..errors import HushwriteError

        if isinstance(exc, HushwriteError):
            self.send("err", cid, (type(exc).__name__, str(exc)), outs)
        else:
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            if os.environ.get("HUSHWRITE_DEBUG"):
                traceback.print_exc()
            self.send("err", cid, ("internal", detail), outs)


def _is_stream(value) -> bool:
    return hasattr(value, "__next__") and hasattr(value, "__iter__")


def _outs(args: tuple, kwargs: dict, outs: list) -> list:
    """The final state of the out-parameters (GenerationStats) the parent asked back."""
    found = []
    for where in outs:
        kind, key = where
        found.append(kwargs.get(key) if kind == "kw" else (args[key] if key < len(args) else None))
    return found


def _test_hook() -> None:
    hook, _, once = os.environ.get(TEST_HOOK_ENV, "").partition(":")
    if once:
        try:
            os.close(os.open(once, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except OSError:
            return  # already fired once
    if hook == "abort":
        os.abort()
    if hook in ("sigill", "sigsegv"):
        os.kill(os.getpid(), signal.SIGILL if hook == "sigill" else signal.SIGSEGV)


def _die_with_parent() -> None:
    """Linux: if the parent dies, so do we (the pipe's EOF is the portable fallback)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def main() -> int:
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed to stdout now goes to stderr, never into the channel
    sys.stdout = sys.stderr
    inp = os.fdopen(os.dup(0), "rb")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C belongs to the parent, which cancels us
    _die_with_parent()
    return Child(out, inp).serve()


if __name__ == "__main__":
    sys.exit(main())

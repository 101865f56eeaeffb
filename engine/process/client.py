"""The parent's side of the engine process: start it, load a model in it, call the model.

    engine = EngineProcess.start()                  # a child process; no model yet (~0.2 s)
    model = engine.load(path, LoadOptions())        # a `Model`: tasks use it like a local one
    text = "".join(model.stream(messages, max_tokens=64))
    model.cancel()                                  # from any thread; reaches llama.cpp at once
    engine.close()                                  # the process ends and its memory goes back

`ProcessModel` forwards every `Model` call over the pipe: streams arrive token by token,
`GenerationStats` arguments are filled in as if the call had been local, callables (on_done)
are called back in the caller's thread. When the child dies, every call in flight and every
later call raises `EngineCrashed` with plain words ("the model runtime crashed: illegal
instruction (signal 4)"); the parent itself is never touched by the crash.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Iterator

from ..errors import Cancelled, HushwriteError, InputError, ModelError, UnusableOutput
from ..model import GenerationStats, Model
from . import protocol
from .exits import crash_signal, describe_exit

_ERRORS = {"Cancelled": Cancelled, "InputError": InputError, "ModelError": ModelError,
           "UnusableOutput": UnusableOutput, "HushwriteError": HushwriteError}
START_TIMEOUT = 60.0  # seconds for the child to start Python and say it is ready


class EngineCrashed(ModelError):
    """The engine process died (a native crash, a kill, the OOM killer). Exit code 3."""

    def __init__(self, description: str, returncode: int | None):
        self.description = description
        self.returncode = returncode
        self.signal = crash_signal(returncode)
        self.record = None  # the model's CrashRecord once the crash is remembered
        super().__init__(f"the model runtime crashed: {description}")

    def advice(self) -> str:
        """What happens next, in plain words (the CLI prints it under the message)."""
        if self.record is None:
            return "nothing you typed was lost; try again"
        if self.record.blocked:
            return ("this model has now crashed the runtime twice: the app will not load it by itself "
                    "any more; choose another model or update llama-cpp-python")
        return "nothing you typed was lost; the next run loads this model with safe settings"


def worker_command() -> list[str]:
    """How to start the engine process: the frozen app runs itself with a hidden flag."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--engine-worker"]
    return [sys.executable, "-m", "engine.process.child"]


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    if not getattr(sys, "frozen", False):  # the child imports this very copy of the engine package
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


class EngineProcess:
    """One engine child process and the reader thread that routes its replies."""

    def __init__(self, proc: subprocess.Popen):
        self.proc = proc
        self.pid = proc.pid
        self._ids = itertools.count(1)
        self._pending: dict[int, queue.SimpleQueue] = {0: queue.SimpleQueue()}
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._closing = False
        self.crash: EngineCrashed | None = None
        self.model: ProcessModel | None = None
        self._reader = threading.Thread(target=self._read_loop, name="hushwrite-engine-client", daemon=True)
        self._reader.start()

    @classmethod
    def start(cls) -> "EngineProcess":
        creation = getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0
        try:
            proc = subprocess.Popen(worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    env=_child_env(), close_fds=True, creationflags=creation)
        except OSError as exc:
            raise ModelError(f"could not start the model runtime process: {exc}") from None
        engine = cls(proc)
        engine._wait(0, timeout=START_TIMEOUT)  # the "ready" frame
        return engine

    # -- channel ----------------------------------------------------------------------------------
    def _read_loop(self) -> None:
        while True:
            try:
                msg = protocol.receive(self.proc.stdout)
            except (protocol.ChannelClosed, OSError, ValueError, EOFError):
                break
            except Exception:  # noqa: BLE001 - an unreadable frame: treat the channel as broken
                break
            with self._lock:
                q = self._pending.get(msg[1])
            if q is not None:
                q.put(msg)
        try:
            rc = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        if not self._closing:
            self.crash = EngineCrashed(describe_exit(rc), rc)
            if self.model is not None:  # remembered: the next load of this model uses safe settings
                from . import crashes

                self.crash.record = crashes.record_crash(self.model.path, self.crash.description)
        with self._lock:
            waiting = list(self._pending.values())
        for q in waiting:
            q.put(("dead", -1, None))

    def send(self, *message: Any) -> None:
        if self.crash is not None:
            raise self.crash
        try:
            with self._write_lock:
                protocol.send(self.proc.stdin, message)
        except (OSError, ValueError):
            self._reader.join(timeout=10)
            raise self.crash or EngineCrashed("stopped responding", None) from None

    def open_call(self) -> tuple[int, queue.SimpleQueue]:
        cid = next(self._ids)
        q: queue.SimpleQueue = queue.SimpleQueue()
        with self._lock:
            self._pending[cid] = q
        return cid, q

    def close_call(self, cid: int) -> None:
        with self._lock:
            self._pending.pop(cid, None)

    def _wait(self, cid: int, timeout: float | None = None):
        q = self._pending[cid]
        try:
            msg = q.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            raise ModelError("the model runtime process did not start in time") from None
        finally:
            self.close_call(cid)
        if msg[0] == "dead":
            raise self.crash or EngineCrashed("stopped responding", None)
        return msg

    def request(self, *message: Any):
        """Send a request that has one reply; return its value or raise its error."""
        cid, q = self.open_call()
        try:
            self.send(message[0], cid, *message[1:])
        except BaseException:
            self.close_call(cid)
            raise
        msg = self._wait(cid)
        if msg[0] == "err":
            raise _error(msg[2])
        return msg[2]

    # -- model ------------------------------------------------------------------------------------
    def load(self, path: str | os.PathLike[str] | None, options=None) -> "ProcessModel":
        from ..options import LoadOptions

        attrs = self.request("load", str(path) if path else None, options or LoadOptions())
        self.model = ProcessModel(self, attrs)
        return self.model

    @property
    def alive(self) -> bool:
        return self.crash is None and self.proc.poll() is None

    def close(self, timeout: float = 5.0) -> None:
        """End the process (its memory goes back to the system)."""
        if self.proc.poll() is not None:
            return
        self._closing = True
        try:
            cid, _q = self.open_call()
            self.send("shutdown", cid)
            self.proc.stdin.close()
            self.proc.wait(timeout=timeout)
        except (OSError, ValueError, subprocess.TimeoutExpired, ModelError):
            self.kill()

    def kill(self) -> None:
        self._closing = True
        with contextlib.suppress(OSError):
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)


def _error(payload) -> HushwriteError:
    kind, message = payload
    if kind == "internal":
        return HushwriteError(f"internal error in the model runtime: {message}")
    return _ERRORS.get(kind, HushwriteError)(message)


def _prepare(args: tuple, kwargs: dict):
    """Callables become callback markers; GenerationStats become out-parameters."""
    callbacks: dict[str, Any] = {}
    outs: list[tuple[str, Any]] = []
    originals: list[GenerationStats] = []

    def convert(where, value):
        if callable(value) and not isinstance(value, type):
            name = f"cb{len(callbacks)}"
            callbacks[name] = value
            return protocol.Callback(name)
        if isinstance(value, GenerationStats):
            outs.append(where)
            originals.append(value)
        return value

    new_args = tuple(convert(("arg", i), a) for i, a in enumerate(args))
    new_kwargs = {k: convert(("kw", k), v) for k, v in kwargs.items()}
    return new_args, new_kwargs, callbacks, outs, originals


def _copy_back(originals: list[GenerationStats], returned) -> None:
    for orig, new in zip(originals, returned or ()):
        if new is not None:
            orig.__dict__.update(new.__dict__)


class ProcessModel(Model):
    """A model loaded in an engine process (see the module docstring)."""

    runs_in_process = False  # for figures and the status line: the model is in a child process
    location = "on this computer"  # where the text goes (a RemoteModel says "on <host>")

    def __init__(self, engine: EngineProcess, attrs: dict):
        self.engine = engine
        for key, value in attrs.items():
            setattr(self, f"_{key}" if key in ("name", "n_ctx") else key, value)

    @property
    def name(self) -> str:
        return self._name

    @property
    def n_ctx(self) -> int:
        return self._n_ctx

    # -- calls ------------------------------------------------------------------------------------
    def _call(self, method: str, *args, **kwargs):
        new_args, new_kwargs, callbacks, outs, originals = _prepare(args, kwargs)
        eng = self.engine
        cid, q = eng.open_call()
        try:
            eng.send("call", cid, method, new_args, new_kwargs, outs)
            msg = q.get()
            while msg[0] == "cb":
                callbacks[msg[2]](*msg[3])
                msg = q.get()
            if msg[0] == "stream":
                return self._stream_rest(cid, q, callbacks, originals)
        except BaseException:
            eng.close_call(cid)
            raise
        eng.close_call(cid)
        return self._settle(msg, originals)

    def _settle(self, msg, originals):
        kind = msg[0]
        if kind == "dead":
            raise self.engine.crash or EngineCrashed("stopped responding", None)
        _copy_back(originals, msg[3] if len(msg) > 3 else None)
        if kind == "err":
            raise _error(msg[2])
        return msg[2]

    def _stream_rest(self, cid: int, q, callbacks, originals) -> Iterator[Any]:
        eng = self.engine
        finished = False
        try:
            while True:
                msg = q.get()
                kind = msg[0]
                if kind == "item":
                    yield msg[2]
                elif kind == "cb":
                    callbacks[msg[2]](*msg[3])
                elif kind == "end":
                    finished = True
                    _copy_back(originals, msg[2])
                    return
                else:
                    finished = True
                    self._settle(msg, originals)
                    return
        finally:
            if not finished and eng.alive:
                with contextlib.suppress(HushwriteError):
                    eng.send("stop", cid)
            eng.close_call(cid)

    def _lazy_stream(self, method: str, *args, **kwargs) -> Iterator[str]:
        result = self._call(method, *args, **kwargs)
        if isinstance(result, Iterator):
            yield from result
        else:  # pragma: no cover - a runtime that answered a stream with one value
            yield result

    def __getattr__(self, method: str):
        """Any other public model method (new capabilities) is forwarded as it is."""
        if method.startswith("_"):
            raise AttributeError(method)
        return lambda *args, **kwargs: self._call(method, *args, **kwargs)

    # -- the Model interface ----------------------------------------------------------------------
    def count_tokens(self, text: str) -> int:
        return self._call("count_tokens", text)

    def tokenize(self, text: str, special: bool = False) -> list[int]:
        return self._call("tokenize", text, special)

    def prompt_tokens(self, messages) -> list[int]:
        return self._call("prompt_tokens", list(messages))

    def stream(self, messages, max_tokens=512, stop=(), sampling=None, stats=None, prefix="") -> Iterator[str]:
        return self._lazy_stream("stream", list(messages), max_tokens=max_tokens, stop=tuple(stop),
                                 sampling=sampling, stats=stats, prefix=prefix)

    def stream_tokens(self, prompt, max_tokens, stop=(), sampling=None, stats=None) -> Iterator[str]:
        return self._lazy_stream("stream_tokens", list(prompt), max_tokens, stop=tuple(stop),
                                 sampling=sampling, stats=stats)

    def generate_many(self, prompts, max_tokens, stop=(), sampling=None, on_done=None, on_partial=None) -> list:
        extra = {"on_partial": on_partial} if on_partial else {}
        return self._call("generate_many", [list(p) for p in prompts], max_tokens, stop=tuple(stop),
                          sampling=sampling, on_done=on_done, **extra)

    def score_texts(self, texts, context: str = "") -> list[float]:  # proofreading's scorer (issue 17)
        return self._call("score_texts", [str(t) for t in texts], str(context))

    # speed calibration (Model defines these, so __getattr__ would not forward them)
    def calibration_report(self) -> dict:
        return self._call("calibration_report")

    def calibrate(self, budget_seconds: float = 6.0) -> dict:
        return self._call("calibrate", budget_seconds)

    def start_calibration(self, budget_seconds: float = 6.0, force: bool = False) -> bool:
        return self._call("start_calibration", budget_seconds, force)

    def cancel_calibration(self) -> None:
        if self.engine.alive:
            self._call("cancel_calibration")

    # prefill (runtime/prefill.py): the child's reader thread answers at once
    def prefill(self, prompts) -> dict:
        return self._call("prefill", [list(p) for p in prompts])

    def prefill_status(self) -> dict:
        return self._call("prefill_status")

    def warm_prefix(self, tokens) -> dict:
        return self._call("warm_prefix", [int(t) for t in tokens])

    def cancel_prefill(self) -> None:
        """A frame the child's reader acts on at once; no reply is awaited (the UI thread may call it)."""
        if self.engine.alive:
            with contextlib.suppress(HushwriteError):
                self.engine.send("cancel_prefill", 0)

    def cancel(self) -> None:
        if self.engine.alive:
            with contextlib.suppress(HushwriteError):
                self.engine.send("cancel", 0)

    @contextlib.contextmanager
    def job(self):
        self._call("__job_enter__")
        try:
            yield
        finally:
            if self.engine.alive:
                self._call("__job_exit__")

    def close(self) -> None:
        self.engine.close()

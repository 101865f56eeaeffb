"""EngineService: the only way the Qt app talks to the model.

The model lives in its own engine process (engine.process), driven from one worker QThread;
the UI thread never waits on it. A native crash in llama.cpp ends the engine process only: the
job fails with plain words ("the model runtime crashed: illegal instruction (signal 4)", the
job's `crashed` flag set), the engine restarts once with safe settings, and the window and the
tray offer to run the request again. A model that crashed twice is not loaded by itself
(state "blocked"; `load(..., force=True)` loads it anyway). Usage::

    engine = EngineService()
    engine.model_state.connect(lambda state, detail: ...)   # "loading" | "ready" | "error" | "unloaded"
    engine.load(model_path_or_None, {"n_ctx": 4096, "n_threads": None, "n_gpu_layers": "auto", "flash_attn": True})
    job = engine.run_task("rewrite", text, tone="friendly")   # or "proofread", "summarize"
    job = engine.run_tool(registry(store).find("Weekly report"), text)  # any tool of engine.tools
    job.text_streamed.connect(pane.show_partial)              # raw text so far (throttled to ~30/s)
    job.draft_streamed.connect(pane.show_draft)               # rewrite: (checked text, unchecked draft of the rest)
    job.finished.connect(on_result)                           # engine.tasks.base.TaskResult
    job.failed.connect(show_error)                            # a readable message, never a traceback
    job.cancelled.connect(...)                                # after job.cancel() took effect
    job.progress.connect(lambda done, total, eta, stage: ...) # chunked work (summaries, long proofreads)
    job.cancel()                                              # stops within milliseconds
    job.crashed                                               # True when the engine process died under it
    engine.prefill(text, style); engine.cancel_prefill()      # while the user chooses (app/prefill.py)

Jobs run one at a time in submission order. `engine.tokens_per_second` is the live decode speed
of the running job (0 when idle). The model is loaded inside the worker thread: creating an
EngineService costs no model or library load. Both run through engine.tools (`Registry.run` / `run_task`), the same path as the CLI.
Task keyword arguments: rewrite → tone, instruction, style; proofread → dictionary;
summarize → kind, either text or path (a txt/md/docx/pdf file read in the worker), and cache (the
open Store: finished parts are kept encrypted, so a cancelled or crashed summary resumes).
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Any

from engine.tools import TASKS, Tool, registry

from .prefill import Prefilling, run_prefill
from .qt import QObject, QThread, Signal, Slot
from .job_hooks import job_hooks


@dataclass
class _Request:
    job_id: int
    tool: str
    text: str
    params: dict[str, Any]
    spec: Tool | None = None  # the registry tool when one was picked (its name titles history)
    stop: threading.Event = field(default_factory=threading.Event)


class Job(QObject):
    """One task submitted to the engine; its signals are always delivered in the UI thread."""

    text_streamed = Signal(str)
    draft_streamed = Signal(str, str)  # checked text so far, unchecked draft of the rest (a preview only)
    finished = Signal(object)  # TaskResult
    failed = Signal(str)
    cancelled = Signal()
    progress = Signal(int, int, float, str)  # done, total, eta seconds (-1 unknown), stage
    started = Signal()

    def __init__(self, service: "EngineService", request: _Request):
        super().__init__(service)
        self._service = service
        self._request = request
        self.tool = request.tool  # the task: "proofread" | "rewrite" | "summarize"
        self.spec = request.spec
        if request.spec is not None:
            self.variant = request.spec.name if request.spec.user else request.spec.variant
        else:
            self.variant = str(request.params.get("tone") or request.params.get("kind") or "")
        self.done = False
        self.crashed = False  # the engine process died while this job ran (a retry may succeed)

    @property
    def id(self) -> int:
        return self._request.job_id

    def cancel(self) -> None:
        """Ask the job to stop; `cancelled` follows (or `finished` if it had already ended)."""
        self._service.cancel(self)


class _Worker(QObject):
    """Lives in the engine thread. Owns the model; reports back through its own signals."""

    state = Signal(str, str)
    streamed = Signal(int, str, float)  # job id, raw text so far, tokens/s
    drafted = Signal(int, str, str)  # job id, checked text, unchecked draft of the rest
    progressed = Signal(int, int, int, float, str)
    started = Signal(int)
    succeeded = Signal(int, object)
    errored = Signal(int, str)
    crashed = Signal(int, str)  # job id, plain words: the engine process died during the job
    stopped = Signal(int)

    def __init__(self):
        super().__init__()
        self.model = None
        self.current: _Request | None = None
        self.spec: tuple = (None, {})
        self.location = "on this computer"  # where the text goes: "on this computer" | "on <host>"

    @Slot(object)
    def load(self, spec: tuple) -> None:
        path, options, force = spec
        self.spec = (path, dict(options))
        options = dict(options)
        self._close()
        try:
            from engine.process import crashes, open_model
            from engine.runtime import LoadOptions

            record = crashes.lookup(path or None)
            if record.blocked and not force:
                self.state.emit("blocked", f"this model crashed the model runtime twice ({record.last}), "
                                          "so it was not loaded")
                return
            remote = options.pop("remote", None)
            if remote:  # the user named a server of their own (Settings ▸ Engine)
                from engine.remote.config import open_engine

                self.model = open_engine(remote["url"], remote.get("model", ""), remote.get("slots") or None,
                                         remote.get("store"))
            else:
                opts = LoadOptions(**{k: v for k, v in options.items() if v is not None})
                self.model = open_model(path or None, opts)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a readable state
            self.model = None
            self.state.emit("error", _readable(exc))
            return
        notes = "; ".join(getattr(self.model, "notes", []) or [])
        self.location = getattr(self.model, "location", "") or "on this computer"
        self.state.emit("ready", self.model.name + (f" ({notes})" if notes else ""))

    def _after_crash(self, exc) -> None:
        """The engine process died: restart it once with safe settings, unless the model has now
        crashed twice (then it stays unloaded until the user asks)."""
        self._close()
        self.state.emit("loading", "restarting the model runtime with safe settings")
        record = getattr(exc, "record", None)
        if record is not None and record.blocked:
            self.state.emit("blocked", f"this model crashed the model runtime twice ({exc.description}), "
                                      "so it was not loaded again")
            return
        self.load((*self.spec, False))

    @Slot(object)
    def prefill(self, request: tuple) -> None:
        run_prefill(self.model, request)

    @Slot()
    def unload(self) -> None:
        self._close()
        self.state.emit("unloaded", "")

    def _close(self) -> None:
        if self.model is not None:
            try:
                self.model.close()
            finally:
                self.model = None

    @Slot(object)
    def run(self, req: _Request) -> None:
        if req.stop.is_set():
            self.stopped.emit(req.job_id)
            return
        if self.model is None:
            self.errored.emit(req.job_id, "The model is not loaded. Check Settings ▸ Model, then try again.")
            return
        self.current = req
        self.started.emit(req.job_id)
        try:
            result = self._dispatch(req)
        except Exception as exc:  # noqa: BLE001
            from engine.errors import Cancelled
            from engine.process import EngineCrashed

            if isinstance(exc, EngineCrashed):
                self.crashed.emit(req.job_id, str(exc))
                self.current = None
                self._after_crash(exc)
            elif isinstance(exc, Cancelled) or req.stop.is_set():
                self.stopped.emit(req.job_id)
            else:
                self.errored.emit(req.job_id, _readable(exc))
        else:
            if req.stop.is_set():
                self.stopped.emit(req.job_id)
            else:
                self.succeeded.emit(req.job_id, result)
        finally:
            self.current = None

    def _dispatch(self, req: _Request):
        hooks = job_hooks(self, req)
        if req.spec is not None:  # one of the registry's tools (built-in or the user's own)
            return _builtin_registry().run(self.model, req.spec, req.text, req.params, hooks)
        return _builtin_registry().run_task(self.model, req.tool, req.text, req.params, hooks)


_REGISTRY = None


def _builtin_registry():
    """The tasks (and the built-in tools) to run with; a user tool arrives whole in the request,
    so the worker never reads the store."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = registry()
    return _REGISTRY


def _readable(exc: BaseException) -> str:
    from engine.errors import HushwriteError

    if isinstance(exc, HushwriteError):
        return str(exc) or type(exc).__name__
    return f"Something went wrong inside Hushwrite ({type(exc).__name__}: {exc})."


class EngineService(Prefilling, QObject):
    """Owns the model in a worker QThread; see the module docstring for the API."""

    model_state = Signal(str, str)  # state: loading|ready|error|unloaded, detail: model name or reason
    busy_changed = Signal(bool)

    _load_requested = Signal(object)
    _unload_requested = Signal()
    _run_requested = Signal(object)
    _prefill_requested = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.state = "unloaded"
        self.detail = ""
        self.tokens_per_second = 0.0
        self.last_tokens_per_second = 0.0  # decode speed of the last finished job
        self._ids = itertools.count(1)
        self._jobs: dict[int, Job] = {}
        self._thread = QThread(self)
        self._thread.setObjectName("hushwrite-engine")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._load_requested.connect(self._worker.load)
        self._unload_requested.connect(self._worker.unload)
        self._run_requested.connect(self._worker.run)
        self._prefill_requested.connect(self._worker.prefill)
        self._worker.state.connect(self._on_state)
        self._worker.started.connect(self._on_started)
        self._worker.streamed.connect(self._on_streamed)
        self._worker.drafted.connect(self._on_drafted)
        self._worker.progressed.connect(self._on_progress)
        self._worker.succeeded.connect(self._on_succeeded)
        self._worker.errored.connect(self._on_errored)
        self._worker.crashed.connect(self._on_crashed)
        self._worker.stopped.connect(self._on_stopped)
        self._thread.start()

    # -- model ------------------------------------------------------------------------------------
    @property
    def ready(self) -> bool:
        return self.state == "ready"

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def load(self, path: str | None, options: dict[str, Any] | None = None, force: bool = False) -> None:
        """(Re)load a model in the background: None = the embedded default model. `force` loads
        a model even when it crashed the runtime twice before."""
        self.cancel_all()
        self._on_state("loading", str(path or "the default model"))
        self._load_requested.emit((path, dict(options or {}), force))

    @property
    def location(self) -> str:
        """Where requests go now: "on this computer" or "on <host>" (the user's own server)."""
        return self._worker.location

    @property
    def engine_pid(self) -> int | None:
        """The engine process's id (None when no model is loaded)."""
        engine = getattr(self._worker.model, "engine", None)
        return engine.pid if engine is not None and engine.alive else None

    def unload(self) -> None:
        self.cancel_all()
        self._unload_requested.emit()

    # -- jobs -------------------------------------------------------------------------------------
    def run_task(self, tool: str, text: str = "", **params: Any) -> Job:
        """A task with its parameters given directly ("rewrite", tone="friendly")."""
        if tool not in TASKS:
            raise ValueError(f"unknown tool {tool!r}; choose one of {', '.join(TASKS)}")
        return self._submit(_Request(next(self._ids), tool, text, params))

    def run_tool(self, spec: Tool, text: str = "", **params: Any) -> Job:
        """One of the registry's tools; `params` adds what the caller knows (an instruction typed
        now, the dictionary, a document path), never what makes the tool itself."""
        return self._submit(_Request(next(self._ids), spec.task, text, params, spec))

    def _submit(self, req: _Request) -> Job:
        job = Job(self, req)
        self._jobs[req.job_id] = job
        if len(self._jobs) == 1:
            self.busy_changed.emit(True)
        self._run_requested.emit(req)
        return job

    def cancel(self, job: Job) -> None:
        if job.done:
            return
        job._request.stop.set()
        model, current = self._worker.model, self._worker.current
        if model is not None and current is job._request:
            model.cancel()  # thread-safe: the generation raises Cancelled within milliseconds

    def cancel_all(self) -> None:
        for job in list(self._jobs.values()):
            self.cancel(job)

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Stop the running job and the worker thread (call before the app quits)."""
        self.cancel_all()
        self._thread.quit()
        self._thread.wait(timeout_ms)
        self._worker._close()

    # -- worker reports (UI thread) ---------------------------------------------------------------
    def _on_state(self, state: str, detail: str) -> None:
        self.state, self.detail = state, detail
        self.model_state.emit(state, detail)

    def _on_started(self, job_id: int) -> None:
        self.tokens_per_second = 0.0
        if job := self._jobs.get(job_id):
            job.started.emit()

    def _on_streamed(self, job_id: int, text: str, tps: float) -> None:
        self.tokens_per_second = tps
        if (job := self._jobs.get(job_id)) and not job._request.stop.is_set():
            job.text_streamed.emit(text)

    def _on_drafted(self, job_id: int, checked: str, draft: str) -> None:
        if (job := self._jobs.get(job_id)) and not job._request.stop.is_set():
            job.draft_streamed.emit(checked, draft)

    def _on_progress(self, job_id: int, done: int, total: int, eta: float, stage: str) -> None:
        if job := self._jobs.get(job_id):
            job.progress.emit(done, total, eta, stage)

    def _finish(self, job_id: int) -> Job | None:
        job = self._jobs.pop(job_id, None)
        if job:
            job.done = True
        if not self._jobs:
            self.tokens_per_second = 0.0
            self.busy_changed.emit(False)
        return job

    def _on_succeeded(self, job_id: int, result: object) -> None:
        stats = getattr(result, "stats", None)
        if job := self._finish(job_id):
            if stats is not None and getattr(stats, "decode_tps", 0):
                self.last_tokens_per_second = stats.decode_tps
            job.finished.emit(result)

    def _on_errored(self, job_id: int, message: str) -> None:
        if job := self._finish(job_id):
            job.failed.emit(message)

    def _on_crashed(self, job_id: int, message: str) -> None:
        if job := self._finish(job_id):
            job.crashed = True
            job.failed.emit(message[:1].upper() + message[1:] + ".")

    def _on_stopped(self, job_id: int) -> None:
        if job := self._finish(job_id):
            job.cancelled.emit()

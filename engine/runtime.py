"""The model runtime: load a GGUF with llama.cpp, stream tokens, cancel, reuse the KV cache.

We drive llama.cpp through llama-cpp-python's low-level API (tokenize, llama_decode, sampler
chains) rather than its high-level `Llama` class: the per-token Python overhead of the high-level
streaming chat API costs ~25 % of decode speed on a 135M model, and the low-level loop lets us
(a) keep the KV cache of a shared prompt prefix between requests, (b) decode several prompts as
parallel sequences in one batch, and (c) abort a running decode from another thread through
llama.cpp's abort callback.

Thread model: one generation at a time per `LlamaModel` (a lock serialises them); `cancel()` may
be called from any thread and takes effect inside the current ggml graph computation.
"""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import os
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from . import hardware
from .chat_template import render_chat
from .errors import Cancelled, InputError, ModelError
from .gguf import GGUFInfo, human_bytes, read_gguf
from .model import GenerationStats, Model, SamplingOptions

def _import_low_level():
    """llama-cpp-python's low-level module, without running its package `__init__`: that also
    imports the high-level `Llama` class with numpy and jinja2 (0.2-0.6 s of every CLI start) and
    we never use it. The package module is created bare and completes itself on first use of any
    other name (`from llama_cpp import Llama` still works)."""
    import importlib
    import importlib.util
    import sys

    if "llama_cpp" not in sys.modules:
        spec = importlib.util.find_spec("llama_cpp")
        if spec is not None and spec.origin and spec.submodule_search_locations:
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
            except OSError:
                pass
            sys.modules["llama_cpp"] = pkg
            try:
                return importlib.import_module("llama_cpp.llama_cpp")
            except Exception:
                sys.modules.pop("llama_cpp", None)
                raise
    return importlib.import_module("llama_cpp.llama_cpp")


try:  # imported lazily by tests of pure helpers, so keep failure readable
    ll = _import_low_level()
except Exception as exc:  # pragma: no cover - environment problem
    ll = None
    _IMPORT_ERROR = exc
else:
    _IMPORT_ERROR = None


# ---------------------------------------------------------------------------------------------
# llama.cpp log capture: keep the last lines so load failures can be explained in plain words.
_LOG_TAIL: deque[str] = deque(maxlen=80)
_LOG_CALLBACK = None
_BACKEND_READY = False
_BACKEND_LOCK = threading.Lock()


def _install_log_capture() -> None:
    global _LOG_CALLBACK
    if ll is None or _LOG_CALLBACK is not None:
        return
    echo = bool(os.environ.get("HUSHWRITE_DEBUG"))

    def _on_log(level: int, text: bytes | None, _user: ctypes.c_void_p) -> None:
        if not text:
            return
        line = text.decode("utf-8", errors="replace")
        _LOG_TAIL.append(line)
        if echo:
            os.write(2, text)

    _LOG_CALLBACK = ll.llama_log_callback(_on_log)
    ll.llama_log_set(_LOG_CALLBACK, ctypes.c_void_p(0))


def ensure_backend() -> None:
    """Initialise llama.cpp once per process (and load dynamic backends in bundles)."""
    global _BACKEND_READY
    if ll is None:
        raise ModelError(f"the llama.cpp runtime (llama-cpp-python) is not installed or failed to load: {_IMPORT_ERROR}")
    with _BACKEND_LOCK:
        if _BACKEND_READY:
            return
        _install_log_capture()
        hardware.load_dynamic_backends()
        ll.llama_backend_init()
        _BACKEND_READY = True


def recent_log(contains: Iterable[str] = ("error", "failed", "unknown", "not enough", "unable")) -> str:
    keys = tuple(contains)
    lines = [ln.strip() for ln in _LOG_TAIL if any(k in ln.lower() for k in keys)]
    return "; ".join(dict.fromkeys(lines))[-600:]


def supports_gpu_offload() -> bool:
    ensure_backend()
    return bool(ll.llama_supports_gpu_offload())


def _penalties(last_n: int, repeat: float):
    """llama_sampler_init_penalties(last_n, repeat, freq, present). The Python binding still
    declares an older 5-argument form; the library exports the 4-argument one, so we declare the
    prototype ourselves (checked by a test that a penalty changes greedy output)."""
    fn = ll._lib.llama_sampler_init_penalties
    fn.argtypes = [ctypes.c_int32, ctypes.c_float, ctypes.c_float, ctypes.c_float]
    fn.restype = ll.llama_sampler_p_ctypes
    return fn(last_n, repeat, 0.0, 0.0)


# LoadOptions and resolve_gpu_layers live in options.py (no llama.cpp import: the CLI's parent
# process builds options without loading the library); re-exported here for callers.
from .options import LoadOptions, resolve_gpu_layers  # noqa: E402,F401


@dataclass
class _Sequence:
    """One generation in flight (batched decoding keeps several)."""

    seq_id: int
    prompt: list[int]
    max_tokens: int
    stop: Sequence[str]
    sampler: object
    out_bytes: bytearray = field(default_factory=bytearray)
    decoder: codecs.IncrementalDecoder = field(default_factory=lambda: codecs.getincrementaldecoder("utf-8")("replace"))
    text: str = ""
    n_out: int = 0
    done: bool = False
    finish: str = ""
    batch_index: int = -1
    pos: int = 0
    primed: bool = False  # the prompt is decoded and the first token sampled
    last_token: int = -1
    result: str = ""


class LlamaModel(Model):
    """A GGUF model loaded with llama.cpp. Use `LlamaModel.load(path, options)`."""

    can_batch = True
    can_cache_prefix = True

    def __init__(self, info: GGUFInfo, options: LoadOptions):
        self.info = info
        self.options = options
        self.notes: list[str] = []  # what the loader decided and why (GPU fallback, ...)
        self.choices: list[str] = []  # quieter decisions (shown by `hushwrite doctor`, not per run)
        self._lock = threading.RLock()
        self._cancel = threading.Event()
        self._cached: list[int] = []  # tokens whose KV entries live in sequence 0
        self._job_depth = 0  # > 0 inside `with model.job():` (a multi-call task)
        self._active = 0  # requests in flight (a background calibration yields to them)
        self._active_lock = threading.Lock()
        self.last_active = 0.0  # time.monotonic() when the last request ended
        self._model = None
        self._ctx = None
        self._vocab = None
        self._batch = None
        self._abort_cb = None
        self.n_gpu_layers = 0
        self.load_seconds = 0.0
        self.requested = options  # as the caller gave them; self.options is what runs
        self.calibration = None  # engine.calibrate_state.CalibrationState, set by _load


    # -- loading ------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | os.PathLike[str], options: LoadOptions | None = None) -> "LlamaModel":
        options = options or LoadOptions()
        info = read_gguf(path)
        self = cls(info, options)
        self._load()
        return self

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def path(self) -> Path:
        return self.info.path

    @property
    def n_ctx(self) -> int:
        return int(ll.llama_n_ctx(self._ctx))

    def _load(self) -> None:
        ensure_backend()
        from .calibrate_state import CalibrationState

        self.calibration = CalibrationState.for_model(self)
        self.options = self.requested.with_choice(self.calibration.choice_in_use())
        info, opt = self.info, self.options
        n_ctx = opt.n_ctx
        if info.context_length and n_ctx > info.context_length:
            self.notes.append(f"context {n_ctx} capped to the model's trained {info.context_length}")
            n_ctx = info.context_length
        if opt.check_memory:
            need = info.estimate_memory(n_ctx, opt.n_batch)
            avail = hardware.available_memory()
            if avail and need > avail:
                raise ModelError(
                    f"not enough memory for {info.path.name}: it needs about {human_bytes(need)} "
                    f"with a {n_ctx}-token context, and {human_bytes(avail)} is free. "
                    "Choose a smaller context size or a smaller quantization."
                )
        t0 = time.perf_counter()
        gpu = resolve_gpu_layers(opt.n_gpu_layers, bool(ll.llama_supports_gpu_offload()), info.n_layer)
        try:
            self._model = self._load_weights(gpu)
        except ModelError as first:
            if gpu == 0:
                raise
            # Say why, never fall back silently.
            self.notes.append(f"GPU offload of {gpu} layers failed ({first}); running on the CPU instead")
            self._model = self._load_weights(0)
            gpu = 0
        self.n_gpu_layers = gpu
        self._vocab = ll.llama_model_get_vocab(self._model)
        self._n_ctx_wanted = n_ctx
        try:
            self._make_context(opt)
        except ModelError:
            ll.llama_model_free(self._model)
            self._model = None
            raise
        self._abort_cb = ll.ggml_abort_callback(lambda _data: bool(self._cancel.is_set()))
        ll.llama_set_abort_callback(self._ctx, self._abort_cb, ctypes.c_void_p(0))
        self.load_seconds = time.perf_counter() - t0
        if opt.calibration == "background":
            self.start_calibration()

    def _make_context(self, opt: LoadOptions) -> None:
        """Create the context (and its batch) for `opt`, replacing any current one."""
        cparams = ll.llama_context_default_params()
        cparams.n_ctx = self._n_ctx_wanted
        cparams.n_batch = opt.n_batch
        cparams.n_ubatch = min(opt.n_ubatch or 512, opt.n_batch)
        cparams.n_seq_max = max(1, opt.n_seq_max)
        cparams.n_threads = opt.resolved_threads()
        cparams.n_threads_batch = opt.resolved_threads()
        cparams.flash_attn_type = ll.LLAMA_FLASH_ATTN_TYPE_ENABLED if opt.flash_attn else ll.LLAMA_FLASH_ATTN_TYPE_DISABLED
        if hasattr(cparams, "kv_unified"):
            cparams.kv_unified = True  # one KV pool: a lone request can use the whole context
        cparams.no_perf = False
        ctx = ll.llama_init_from_model(self._model, cparams)
        if not ctx and opt.flash_attn:
            self.notes.append("flash attention is not available for this model/backend; using standard attention")
            cparams.flash_attn_type = ll.LLAMA_FLASH_ATTN_TYPE_DISABLED
            ctx = ll.llama_init_from_model(self._model, cparams)
            opt.flash_attn = False
        if not ctx:
            raise ModelError(f"could not create a context for {self.info.path.name}: {recent_log() or 'llama.cpp refused it'}")
        if self._batch is not None:
            ll.llama_batch_free(self._batch)
        if self._ctx:
            ll.llama_free(self._ctx)
        self._ctx = ctx
        self._mem = ll.llama_get_memory(ctx)
        self._cached = []
        self._batch = ll.llama_batch_init(opt.n_batch, 0, max(1, opt.n_seq_max))
        if self._abort_cb is not None:
            ll.llama_set_abort_callback(ctx, self._abort_cb, ctypes.c_void_p(0))
        self.n_threads = opt.resolved_threads()
        self.flash_attn = bool(opt.flash_attn)

    # -- calibration (engine.calibrate*): measured settings, in the background when idle ------------
    def default_run(self):
        """The setting in use now, as a calibration run template."""
        from .calibrate import Run

        return Run(flash_attn=self.flash_attn, n_threads=self.n_threads, n_ubatch=int(self.options.n_ubatch or 512),
                   n_gpu_layers=self.n_gpu_layers)

    def calibration_report(self) -> dict:
        """What was measured and chosen for this model on this machine (plain values)."""
        return self.calibration.report(self)

    def calibrate(self, budget_seconds: float = 6.0) -> dict:
        """Measure now, in this thread (`hushwrite doctor --remeasure`); save, apply, report."""
        return self.calibration.run_now(self, budget_seconds)

    def start_calibration(self, budget_seconds: float = 6.0, force: bool = False) -> bool:
        """Measure in the background while the engine is idle (requests pause it); False when a
        calibration is in use already and `force` is not set."""
        return self.calibration.start_background(self, budget_seconds, force)

    def cancel_calibration(self) -> None:
        if self.calibration is not None:
            self.calibration.stop(wait=True)

    def apply_choice(self, choice) -> list[str]:
        """Switch the running context to `choice` (fields the caller set explicitly stay); returns
        what changed. Waits for the current request; the cached prompt prefix is dropped."""
        new = self.requested.with_choice(choice)
        changed = []
        with self._lock:
            gpu_now = self.options.n_gpu_layers
            if new.flash_attn != self.flash_attn:
                changed.append(f"flash attention {'on' if new.flash_attn else 'off'}")
            if (new.n_ubatch or 512) != (self.options.n_ubatch or 512):
                changed.append(f"ubatch {new.n_ubatch}")
            if new.resolved_threads() != self.n_threads:
                changed.append(f"{new.resolved_threads()} threads")
            new.n_gpu_layers = gpu_now  # offload changes need a reload: used at the next load
            if changed:
                self._make_context(new)
            self.options = new
        return changed

    def _load_weights(self, n_gpu_layers: int):
        mparams = ll.llama_model_default_params()
        mparams.n_gpu_layers = n_gpu_layers
        mparams.use_extra_bufts = self.options.resolved_extra_buffers()
        if not mparams.use_extra_bufts and self.options.extra_buffers is None:
            self.choices.append("extra buffer types off: this CPU has AMX, whose llama.cpp path crashes")
        _LOG_TAIL.clear()
        model = ll.llama_model_load_from_file(str(self.info.path).encode("utf-8"), mparams)
        if not model:
            detail = recent_log()
            arch = self.info.architecture
            if "unknown model architecture" in detail or "unknown architecture" in detail:
                raise ModelError(
                    f"{self.info.path.name}: architecture '{arch}' is not supported by this llama.cpp build "
                    "(update llama-cpp-python, or pick another model)"
                )
            raise ModelError(f"llama.cpp could not load {self.info.path.name}: {detail or 'unknown reason'}")
        return model

    def close(self) -> None:
        self.cancel_calibration()  # its contexts use our weights
        with self._lock:
            if self._batch is not None:
                ll.llama_batch_free(self._batch)
                self._batch = None
            if self._ctx:
                ll.llama_free(self._ctx)
                self._ctx = None
            if self._model:
                ll.llama_model_free(self._model)
                self._model = None

    def __del__(self):  # pragma: no cover - best effort
        try:
            self.close()
        except Exception:
            pass

    # -- tokens -------------------------------------------------------------------------------
    def tokenize(self, text: str, special: bool = False) -> list[int]:
        data = text.encode("utf-8")
        cap = len(data) + 16
        buf = (ll.llama_token * cap)()
        n = ll.llama_tokenize(self._vocab, data, len(data), buf, cap, False, special)
        if n < 0:
            cap = -n
            buf = (ll.llama_token * cap)()
            n = ll.llama_tokenize(self._vocab, data, len(data), buf, cap, False, special)
        return list(buf[:n])

    def count_tokens(self, text: str) -> int:
        return len(self.tokenize(text))

    def piece(self, token: int) -> bytes:
        buf = ctypes.create_string_buffer(64)
        n = ll.llama_token_to_piece(self._vocab, token, buf, 64, 0, False)
        if n < 0:
            buf = ctypes.create_string_buffer(-n)
            n = ll.llama_token_to_piece(self._vocab, token, buf, -n, 0, False)
        return buf.raw[:n]

    def detokenize(self, tokens: Sequence[int]) -> str:
        return b"".join(self.piece(t) for t in tokens).decode("utf-8", errors="replace")

    def format_chat(self, messages: Sequence[dict[str, str]]) -> str:
        bos = self.piece(ll.llama_vocab_bos(self._vocab)).decode("utf-8", "replace")
        eos = self.piece(ll.llama_vocab_eos(self._vocab)).decode("utf-8", "replace")
        return render_chat(self.info.chat_template, messages, bos_token=bos, eos_token=eos)

    def prompt_tokens(self, messages: Sequence[dict[str, str]]) -> list[int]:
        toks = self.tokenize(self.format_chat(messages), special=True)
        if ll.llama_vocab_get_add_bos(self._vocab):
            bos = ll.llama_vocab_bos(self._vocab)
            if not toks or toks[0] != bos:
                toks.insert(0, bos)
        return toks

    # -- cancellation -------------------------------------------------------------------------
    def cancel(self) -> None:
        """Stop the running generation (thread-safe). It raises `Cancelled` in its caller."""
        self._cancel.set()

    @contextlib.contextmanager
    def _busy(self) -> Iterator[None]:
        """Mark a request in flight; a background calibration stops measuring at once."""
        with self._active_lock:
            self._active += 1
        try:
            yield
        finally:
            with self._active_lock:
                self._active -= 1
                self.last_active = time.monotonic()

    @property
    def busy(self) -> bool:
        return self._active > 0

    @contextlib.contextmanager
    def job(self) -> Iterator[None]:
        """Scope a task made of several model calls (chunked rewrite, proofreading, map-reduce).
        A cancel left from before is dropped when the job starts; inside it, a cancel that lands
        between two calls is kept for the next call instead of being cleared by it."""
        with self._busy():
            with self._job():
                yield

    @contextlib.contextmanager
    def _job(self) -> Iterator[None]:
        with self._lock:
            if self._job_depth == 0:
                self._cancel.clear()
            self._job_depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._job_depth -= 1

    def _start_call(self) -> None:
        """At the start of each model call: a lone call drops stale cancels; inside a job a
        pending cancel stops this call at once."""
        if self._job_depth == 0:
            self._cancel.clear()
        elif self._cancel.is_set():
            raise Cancelled("stopped")

    # -- sampling -----------------------------------------------------------------------------
    def _make_sampler(self, s: SamplingOptions):
        chain = ll.llama_sampler_chain_init(ll.llama_sampler_chain_default_params())
        if s.repeat_penalty and s.repeat_penalty != 1.0:
            ll.llama_sampler_chain_add(chain, _penalties(s.repeat_last_n, s.repeat_penalty))
        if s.temperature <= 0:
            ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_greedy())
        else:
            ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_top_k(s.top_k))
            ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_top_p(s.top_p, 1))
            ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_temp(s.temperature))
            ll.llama_sampler_chain_add(chain, ll.llama_sampler_init_dist(s.seed))
        return chain

    # -- decoding -----------------------------------------------------------------------------
    def _clear_batch(self) -> None:
        self._batch.n_tokens = 0

    def _add(self, token: int, pos: int, seq: int, logits: bool) -> int:
        b = self._batch
        i = b.n_tokens
        b.token[i] = token
        b.pos[i] = pos
        b.n_seq_id[i] = 1
        b.seq_id[i][0] = seq
        b.logits[i] = 1 if logits else 0
        b.n_tokens = i + 1
        return i

    def _decode(self) -> None:
        rc = ll.llama_decode(self._ctx, self._batch)
        if rc == 0:
            return
        if rc == 2 or self._cancel.is_set():
            self._reset_cache()
            raise Cancelled("stopped")
        self._reset_cache()
        if rc == 1:
            raise InputError("the text does not fit in the model's context window")
        raise ModelError(f"llama.cpp failed to decode (code {rc}): {recent_log() or 'no detail'}")

    def _reset_cache(self) -> None:
        ll.llama_memory_clear(self._mem, True)
        self._cached = []

    def _feed(self, items: list[tuple[int, int, int, bool]]) -> dict[int, int]:
        """Decode (token, pos, seq, want_logits) items in n_batch slices; return seq -> batch index
        of its logits in the final slice."""
        last: dict[int, int] = {}
        n_batch = self.options.n_batch
        for start in range(0, len(items), n_batch):
            if self._cancel.is_set():
                self._reset_cache()
                raise Cancelled("stopped")
            self._clear_batch()
            last = {}
            for token, pos, seq, want in items[start : start + n_batch]:
                idx = self._add(token, pos, seq, want)
                if want:
                    last[seq] = idx
            self._decode()
        return last

    def _prepare_prefix(self, prompt: list[int]) -> int:
        """Keep the longest cached prefix of `prompt` in sequence 0; return how many tokens are reused."""
        keep = 0
        limit = min(len(self._cached), len(prompt) - 1)  # always decode >= 1 token for fresh logits
        while keep < limit and self._cached[keep] == prompt[keep]:
            keep += 1
        if keep < len(self._cached):
            if not ll.llama_memory_seq_rm(self._mem, 0, keep, -1):
                self._reset_cache()
                keep = 0
            else:
                del self._cached[keep:]
        return keep

    def stream_tokens(
        self,
        prompt: list[int],
        max_tokens: int,
        stop: Sequence[str] = (),
        sampling: SamplingOptions | None = None,
        stats: GenerationStats | None = None,
    ) -> Iterator[str]:
        """Stream text for one prompt (token ids), reusing the cached prefix in sequence 0."""
        sampling = sampling or SamplingOptions()
        stats = stats if stats is not None else GenerationStats()
        with self._busy(), self._lock:
            self._start_call()
            n_ctx = self.n_ctx
            if len(prompt) >= n_ctx:
                raise InputError(
                    f"the prompt is {len(prompt)} tokens but the model's context holds {n_ctx}; "
                    "split the text or raise the context size"
                )
            max_tokens = max(1, min(max_tokens, n_ctx - len(prompt)))
            t0 = time.perf_counter()
            reused = self._prepare_prefix(prompt)
            stats.prompt_tokens = len(prompt)
            stats.cached_tokens = reused
            items = [(t, p, 0, False) for p, t in enumerate(prompt[reused:], start=reused)]
            items[-1] = (items[-1][0], items[-1][1], 0, True)
            last = self._feed(items)
            self._cached.extend(prompt[reused:])
            t1 = time.perf_counter()
            stats.prompt_seconds = t1 - t0
            seq = _Sequence(0, prompt, max_tokens, stop, self._make_sampler(sampling), pos=len(prompt))
            seq.batch_index = last[0]
            try:
                yield from self._run_single(seq, stats, t0)
            finally:
                ll.llama_sampler_free(seq.sampler)
                stats.total_seconds = time.perf_counter() - t0

    def _run_single(self, seq: _Sequence, stats: GenerationStats, t0: float) -> Iterator[str]:
        t_decode = time.perf_counter()
        while True:
            token = ll.llama_sampler_sample(seq.sampler, self._ctx, seq.batch_index)
            if ll.llama_vocab_is_eog(self._vocab, token):
                seq.finish = "stop"
                break
            if stats.first_token_seconds == 0.0:
                stats.first_token_seconds = time.perf_counter() - t0
            seq.n_out += 1
            emitted = self._append_piece(seq, token)
            if emitted:
                yield emitted
            if seq.done:
                break
            if seq.n_out >= seq.max_tokens:
                seq.finish = "length"
                break
            if self._cancel.is_set():
                raise Cancelled("stopped")
            self._clear_batch()
            seq.batch_index = self._add(token, seq.pos, 0, True)
            self._decode()
            self._cached.append(token)
            seq.pos += 1
        tail = self._flush(seq)
        if tail:
            yield tail
        stats.output_tokens = seq.n_out
        stats.decode_seconds = time.perf_counter() - t_decode
        stats.finish_reason = seq.finish

    # text assembly with stop strings held back until they cannot match any more
    def _append_piece(self, seq: _Sequence, token: int) -> str:
        seq.text += seq.decoder.decode(self.piece(token))
        return self._release(seq)

    def _release(self, seq: _Sequence, final: bool = False) -> str:
        text = seq.text
        for s in seq.stop:
            i = text.find(s)
            if i >= 0:
                text = text[:i]
                seq.done = True
                seq.finish = "stop"
        if seq.done or final:
            out, seq.text = text, ""
            return out
        hold = 0
        for s in seq.stop:
            for k in range(min(len(s) - 1, len(text)), 0, -1):
                if text.endswith(s[:k]):
                    hold = max(hold, k)
                    break
        out = text[: len(text) - hold]
        seq.text = text[len(out):]
        return out

    def _flush(self, seq: _Sequence) -> str:
        if seq.done:
            return ""
        seq.text += seq.decoder.decode(b"", final=True)
        return self._release(seq, final=True)

    # -- high-level entry points (Model API) ----------------------------------------------------

    def generate_many(
        self,
        prompts: Sequence[list[int]],
        max_tokens: Sequence[int] | int,
        stop: Sequence[str] = (),
        sampling: SamplingOptions | None = None,
        on_done: Callable[[int, str, GenerationStats], None] | None = None,
    ) -> list[tuple[str, GenerationStats]]:
        """Generate for several prompts as parallel sequences in shared batches.

        The longest prefix common to every prompt is decoded once (in sequence 0, where it also
        stays cached for the next call) and copied to each sequence; then every step decodes one
        token of each live sequence in a single llama_decode call. Returns (text, stats) per prompt,
        in order; `on_done(i, text, stats)` fires as each finishes.
        """
        if not prompts:
            return []
        sampling = sampling or SamplingOptions()
        limits = [max_tokens] * len(prompts) if isinstance(max_tokens, int) else list(max_tokens)
        width = max(1, self.options.n_seq_max - 1)  # sequence 0 holds the shared prefix
        results: list[tuple[str, GenerationStats] | None] = [None] * len(prompts)
        with self._busy(), self._lock:
            self._start_call()
            for start in range(0, len(prompts), width):
                group = list(range(start, min(start + width, len(prompts))))
                self._generate_group(prompts, limits, group, stop, sampling, results, on_done)
        return [r for r in results if r is not None]

    def _generate_group(self, prompts, limits, group, stop, sampling, results, on_done) -> None:
        t0 = time.perf_counter()
        group_prompts = [prompts[i] for i in group]
        common = 0
        shortest = min(len(p) for p in group_prompts)
        while common < shortest - 1 and all(p[common] == group_prompts[0][common] for p in group_prompts):
            common += 1
        total = sum(len(p) for p in group_prompts) - common * (len(group) - 1)
        n_ctx = self.n_ctx
        if total + sum(limits[i] for i in group) > n_ctx:
            # Not enough room for all at once: fall back to one by one.
            for i in group:
                stats = GenerationStats()
                text = "".join(self.stream_tokens(prompts[i], limits[i], stop, sampling, stats))
                results[i] = (text, stats)
                if on_done:
                    on_done(i, text, stats)
            return
        reused = 0
        if common:
            reused = self._prepare_prefix(group_prompts[0][: common + 1])
            reused = min(reused, common)
            if len(self._cached) > common:
                ll.llama_memory_seq_rm(self._mem, 0, common, -1)
                del self._cached[common:]
            items = [(t, p, 0, False) for p, t in enumerate(group_prompts[0][reused:common], start=reused)]
            if items:
                self._feed(items)
            self._cached = list(group_prompts[0][:common])
        else:
            self._reset_cache()
        seqs: list[_Sequence] = []
        items = []
        for k, i in enumerate(group):
            sid = k + 1
            ll.llama_memory_seq_rm(self._mem, sid, -1, -1)
            if common:
                ll.llama_memory_seq_cp(self._mem, 0, sid, 0, common)
            p = prompts[i]
            seq = _Sequence(sid, p, max(1, limits[i]), stop, self._make_sampler(sampling), pos=len(p))
            seqs.append(seq)
            for pos in range(common, len(p)):
                items.append((p[pos], pos, sid, pos == len(p) - 1))
        t_prompt0 = time.perf_counter()
        try:
            # The suffixes go in n_batch slices; logits are requested only for each prompt's last token,
            # so sequences whose last token landed in an earlier slice are sampled right after it.
            n_batch = self.options.n_batch
            pending = {s.seq_id: s for s in seqs}
            for start in range(0, len(items), n_batch):
                if self._cancel.is_set():
                    raise Cancelled("stopped")
                self._clear_batch()
                for token, pos, sid, want in items[start : start + n_batch]:
                    idx = self._add(token, pos, sid, want)
                    if want:
                        pending[sid].batch_index = idx
                self._decode()
                for s in seqs:
                    if s.batch_index >= 0 and not s.primed:
                        s.primed = True
                        self._sample_into(s)
            prompt_seconds = time.perf_counter() - t_prompt0
            t_dec0 = time.perf_counter()
            while True:
                live = [s for s in seqs if not s.done]
                if not live:
                    break
                if self._cancel.is_set():
                    raise Cancelled("stopped")
                self._clear_batch()
                for s in live:
                    s.batch_index = self._add(s.last_token, s.pos, s.seq_id, True)
                    s.pos += 1
                self._decode()
                for s in live:
                    self._sample_into(s)
            decode_seconds = time.perf_counter() - t_dec0
        except Cancelled:
            self._reset_cache()
            raise
        finally:
            for s in seqs:
                ll.llama_sampler_free(s.sampler)
                ll.llama_memory_seq_rm(self._mem, s.seq_id, -1, -1)
        elapsed = time.perf_counter() - t0
        for k, i in enumerate(group):
            s = seqs[k]
            stats = GenerationStats(
                prompt_tokens=len(s.prompt),
                cached_tokens=reused,
                output_tokens=s.n_out,
                prompt_seconds=prompt_seconds,
                decode_seconds=decode_seconds,
                total_seconds=elapsed,
                first_token_seconds=prompt_seconds,
                finish_reason=s.finish,
                batch_size=len(group),
            )
            results[i] = (s.result, stats)
            if on_done:
                on_done(i, s.result, stats)

    # -- scoring ------------------------------------------------------------------------------
    def score_texts(self, texts: Sequence[str], context: str = "") -> list[float]:
        """Summed natural-log probability of each text after BOS + `context` (see Model).

        Texts are scored in groups of parallel sequences (ids 1.., so the prompt cache in
        sequence 0 survives); the token prefix a group shares is decoded once and copied, so
        versions of one sentence that differ in a word cost little more than their tails."""
        if not texts:
            return []
        import numpy as np

        bos = ll.llama_vocab_bos(self._vocab)
        head = [bos] if bos >= 0 else []
        head += self.tokenize(context) if context else []
        seqs = [head + self.tokenize(t) for t in texts]
        first = max(1, len(head))  # index of the first scored token
        n_vocab = ll.llama_vocab_n_tokens(self._vocab)
        scores = [0.0] * len(texts)
        width = max(1, self.options.n_seq_max - 1)
        with self._lock:
            self._start_call()
            order = sorted(range(len(texts)), key=lambda i: seqs[i])
            for g in range(0, len(order), width):
                group = order[g : g + width]
                if any(len(seqs[i]) >= self.n_ctx for i in group):
                    raise InputError("a text to score does not fit in the model's context window")
                self._score_group([seqs[i] for i in group], first, n_vocab, np, [scores, group])
        return scores

    def _score_group(self, toks: list[list[int]], first: int, n_vocab: int, np, out) -> None:
        scores, group = out
        ids = list(range(1, len(toks) + 1)) if self.options.n_seq_max > 1 else [0]
        if ids == [0]:
            self._reset_cache()
        shortest = min(len(t) for t in toks)
        common = 0
        while common < shortest - 1 and all(t[common] == toks[0][common] for t in toks):
            common += 1
        # (token, pos, seq, [(member, target token)]) ; targets are scored from this position's logits
        items: list[tuple[int, int, int, list[tuple[int, int]]]] = []
        for p in range(common):
            if p + 1 < first:
                targets = []
            elif p + 1 < common:
                targets = [(k, toks[0][p + 1]) for k in range(len(toks))]
            else:
                targets = [(k, t[p + 1]) for k, t in enumerate(toks)]
            items.append((toks[0][p], p, ids[0], targets))
        tails = []
        for k, t in enumerate(toks):
            for p in range(common, len(t)):
                targets = [(k, t[p + 1])] if p + 1 < len(t) and p + 1 >= first else []
                tails.append((t[p], p, ids[k], targets))
        try:
            for sid in ids:
                ll.llama_memory_seq_rm(self._mem, sid, -1, -1)
            self._score_items(items, n_vocab, np, scores, group)
            for sid in ids[1:]:
                if common:
                    ll.llama_memory_seq_cp(self._mem, ids[0], sid, 0, common)
            self._score_items(tails, n_vocab, np, scores, group)
        except Cancelled:
            self._reset_cache()
            raise
        finally:
            for sid in ids:
                ll.llama_memory_seq_rm(self._mem, sid, -1, -1)
            if ids == [0]:
                self._cached = []

    def _score_items(self, items, n_vocab: int, np, scores: list[float], group: list[int]) -> None:
        n_batch = self.options.n_batch
        for start in range(0, len(items), n_batch):
            if self._cancel.is_set():
                raise Cancelled("stopped")
            self._clear_batch()
            wanted = []
            for token, pos, seq, targets in items[start : start + n_batch]:
                idx = self._add(token, pos, seq, bool(targets))
                if targets:
                    wanted.append((idx, targets))
            self._decode()
            for idx, targets in wanted:
                row = np.ctypeslib.as_array(ll.llama_get_logits_ith(self._ctx, idx), shape=(n_vocab,)).astype(np.float64)
                top = row.max()
                norm = top + np.log(np.exp(row - top).sum())
                for k, token in targets:
                    scores[group[k]] += float(row[token] - norm)

    def _sample_into(self, s: _Sequence) -> None:
        token = ll.llama_sampler_sample(s.sampler, self._ctx, s.batch_index)
        if ll.llama_vocab_is_eog(self._vocab, token):
            s.finish = "stop"
            s.done = True
        else:
            s.n_out += 1
            s.last_token = token
            s.result += self._append_piece(s, token)
            if not s.done and s.n_out >= s.max_tokens:
                s.finish = "length"
                s.done = True
        if s.done:
            s.result += self._flush(s)


def load_model(path: str | os.PathLike[str] | None = None, options: LoadOptions | None = None) -> LlamaModel:
    """Load `path`, or the embedded default model when `path` is None."""
    from .models import default_model_path

    return LlamaModel.load(path or default_model_path(), options)

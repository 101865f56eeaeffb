"""`LlamaModel`: a GGUF model loaded with llama.cpp behind the `Model` interface. Loading, tokens,
cancel and job scopes, calibration hooks and single-prompt streaming live here; batched
generation (batching.py), scoring (scoring.py), prefill (prefill.py), the fixed-prefix file cache
(prompt_cache.py), the KV cache's size (kv_size.py) and the decode steps (decoding.py) are mixed in."""

from __future__ import annotations

import contextlib
import ctypes
import os
import threading
import time
from pathlib import Path
from typing import Iterator, Sequence as Seq

from ..cancel_scope import CancelScope
from ..chat_template import render_chat
from ..errors import Cancelled, InputError, ModelError
from ..gguf import GGUFInfo, read_gguf
from ..model import GenerationStats, Model, SamplingOptions
from ..options import LoadOptions, resolve_gpu_layers
from .backend import ensure_backend, ll
from .batching import BatchedGeneration
from .decoding import Decoding, Sequence
from .kv_size import KVSizing
from .loading import context_size, create_context, load_weights, set_abort
from .prefill import Prefilling
from .prompt_cache import PromptCache
from .sampler import Sampler
from .scoring import Scoring
from .split_prefill import SplitPrefill


class LlamaModel(BatchedGeneration, Scoring, Prefilling, PromptCache, SplitPrefill, KVSizing, Decoding, Model):
    """A GGUF model loaded with llama.cpp. Use `LlamaModel.load(path, options)`."""

    can_batch = True
    can_cache_prefix = True
    can_prefill = True

    def __init__(self, info: GGUFInfo, options: LoadOptions):
        self.info = info
        self.options = options
        self.notes: list[str] = []  # what the loader decided and why (GPU fallback, ...)
        self.choices: list[str] = []  # quieter decisions (shown by `hushwrite doctor`, not per run)
        self._lock = threading.RLock()
        self._cancel = CancelScope(self._lock)
        self._cached: list[int] = []  # tokens whose KV entries live in sequence 0
        self._active = 0  # requests in flight (a background calibration yields to them)
        self._active_lock = threading.Lock()
        self.last_active = 0.0  # time.monotonic() when the last request ended
        self._model = None
        self._ctx = None
        self._vocab = None
        self.n_vocab = 0
        self._batch = None
        self._abort_cb = None
        self._abort_armed = False  # whether the context's decodes call _abort_cb now (decoding.py)
        self.n_gpu_layers = 0
        self.load_seconds = 0.0
        self.requested = options  # as the caller gave them; self.options is what runs
        self.calibration = None  # engine.calibrate_state.CalibrationState, set by _load
        self._init_prefill()
        self._init_split()
        self._init_kv_size()

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

    def _load(self) -> None:
        ensure_backend()
        from ..calibrate_state import CalibrationState

        self.calibration = CalibrationState.for_model(self)
        self.options = self.requested.with_choice(self.calibration.choice_in_use())
        info, opt = self.info, self.options
        self._n_ctx_wanted = context_size(info, opt, self.notes)
        t0 = time.perf_counter()
        gpu = resolve_gpu_layers(opt.n_gpu_layers, bool(ll.llama_supports_gpu_offload()), info.n_layer)
        try:
            self._model = load_weights(info, opt, gpu, self.choices)
        except ModelError as first:
            if gpu == 0:
                raise
            # Say why, never fall back silently.
            self.notes.append(f"GPU offload of {gpu} layers failed ({first}); running on the CPU instead")
            self._model = load_weights(info, opt, 0, self.choices)
            gpu = 0
        self.n_gpu_layers = gpu
        self._vocab = ll.llama_model_get_vocab(self._model)
        self.n_vocab = ll.llama_vocab_n_tokens(self._vocab)
        self._abort_cb = ll.ggml_abort_callback(lambda _data: self._should_abort())
        try:
            self._make_context(opt)
        except ModelError:
            ll.llama_model_free(self._model)
            self._model = None
            raise
        self.load_seconds = time.perf_counter() - t0
        if opt.calibration == "background":
            self.start_calibration()

    def _make_context(self, opt: LoadOptions) -> None:
        """Create the context (and its batch) for `opt`, replacing any current one."""
        ctx = create_context(self._model, self.info, self._first_cells(self._n_ctx_wanted), opt, self.notes)
        if self._batch is not None:
            ll.llama_batch_free(self._batch)
        if self._ctx:
            ll.llama_free(self._ctx)
        self._ctx = ctx
        self._mem = ll.llama_get_memory(ctx)
        self._cells = int(ll.llama_n_ctx(ctx))  # kv_size.py: grows and shrinks with the work
        self._cached = []
        self._slots = []  # a new context holds no prefilled prefix
        self._batch = ll.llama_batch_init(opt.n_batch, 0, max(1, opt.n_seq_max))
        set_abort(ctx, self._abort_cb)
        self._abort_armed = True
        self.n_threads = opt.resolved_threads()
        self.flash_attn = bool(opt.flash_attn)
        self._plan_split(opt)

    # -- calibration (engine.calibrate*): measured settings, in the background when idle ------------
    def default_run(self):
        """The setting in use now, as a calibration run template."""
        from ..calibrate import Run

        return Run(flash_attn=self.flash_attn, n_threads=self.n_threads, n_ubatch=int(self.options.n_ubatch or 512),
                   n_gpu_layers=self.n_gpu_layers)

    def builtin_run(self):
        """What this engine runs with unmeasured (the caller's explicit settings, else the built-in
        defaults), as a calibration run template: a new measurement is chosen against this, not
        against an earlier measurement's choice, which a noisy run may have made."""
        from ..calibrate import Run

        base = self.requested.with_choice(None)
        return Run(flash_attn=bool(base.flash_attn), n_threads=base.resolved_threads(), n_ubatch=int(base.n_ubatch or 512),
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
            rebuild = bool(changed)
            if new.prefill_flash_attn != self.options.prefill_flash_attn:
                pf = new.prefill_flash_attn
                changed.append("long prompts read with the main attention setting" if pf is None or pf == new.flash_attn
                               else f"long prompts read with flash attention {'on' if pf else 'off'}")
            if (new.short_below or 0) != (self.options.short_below or 0):
                changed.append(f"requests under {new.short_below} tokens run with the other attention setting"
                               if new.short_below else "short requests run with the main attention setting")
            new.n_gpu_layers = gpu_now  # offload changes need a reload: used at the next load
            if rebuild:
                self._make_context(new)  # plans the second context too
            self.options = new
            if changed and not rebuild:
                self._plan_split(new)
        return changed

    def _should_abort(self) -> bool:
        """llama.cpp's abort callback: a prefill batch stops for any request, a request's own
        decode for its cancel."""
        if self._pf_decoding >= 0:
            return self._prefill_abort()
        return bool(self._cancel.is_set())

    def close(self) -> None:
        self.cancel_calibration()  # its contexts use our weights
        self._stop_prefill()
        with self._lock:
            if self._batch is not None:
                ll.llama_batch_free(self._batch)
                self._batch = None
            self._close_aux()
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

    def detokenize(self, tokens: Seq[int]) -> str:
        return b"".join(self.piece(t) for t in tokens).decode("utf-8", errors="replace")

    def format_chat(self, messages: Seq[dict[str, str]]) -> str:
        bos = self.piece(ll.llama_vocab_bos(self._vocab)).decode("utf-8", "replace")
        eos = self.piece(ll.llama_vocab_eos(self._vocab)).decode("utf-8", "replace")
        return render_chat(self.info.chat_template, messages, bos_token=bos, eos_token=eos)

    def prompt_tokens(self, messages: Seq[dict[str, str]]) -> list[int]:
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
        """A request is in flight, or a prefill is decoding (a background calibration waits for both)."""
        return self._active > 0 or self._pf_state["state"] == "running"

    @contextlib.contextmanager
    def job(self) -> Iterator[None]:
        """Scope a task made of several model calls (chunked rewrite, proofreading, map-reduce).
        A cancel left from before is dropped when the job starts; inside it, a cancel that lands
        between two calls is kept for the next call instead of being cleared by it."""
        with self._busy(), self._cancel.job():
            yield

    # -- one prompt -----------------------------------------------------------------------------
    def stream_tokens(
        self,
        prompt: list[int],
        max_tokens: int,
        stop: Seq[str] = (),
        sampling: SamplingOptions | None = None,
        stats: GenerationStats | None = None,
    ) -> Iterator[str]:
        """Stream text for one prompt (token ids), reusing the cached prefix in sequence 0."""
        sampling = sampling or SamplingOptions()
        stats = stats if stats is not None else GenerationStats()
        self._cancel.arm()
        with self._busy(), self._lock:
            self._cancel.start_call()
            n_ctx = self.n_ctx
            if len(prompt) >= n_ctx:
                raise InputError(
                    f"the prompt is {len(prompt)} tokens but the model's context holds {n_ctx}; "
                    "split the text or raise the context size"
                )
            max_tokens = max(1, min(max_tokens, n_ctx - len(prompt)))
            t0 = time.perf_counter()
            on_aux = self._short_on_aux(len(prompt) + max_tokens)
            reused = self._take_prefilled(prompt, self._prepare_prefix(prompt))
            self._make_room(len(prompt) - reused + max_tokens)
            main_reused = reused
            if on_aux:
                reused, on_aux = self._seed_aux(prompt, reused)
            stats.prompt_tokens = len(prompt)
            stats.cached_tokens = reused
            with self._short_request(main_reused) if on_aux else contextlib.nullcontext():
                last = self._feed_prompt(prompt, reused, len(prompt), want_last=True)
                stats.prompt_seconds = time.perf_counter() - t0
                seq = Sequence(0, prompt, max_tokens, stop, Sampler(sampling, self.n_vocab), pos=len(prompt))
                seq.batch_index = last[0]
                try:
                    yield from self._run_single(seq, stats, t0)
                finally:
                    seq.sampler.close()
                    stats.total_seconds = time.perf_counter() - t0

    def _run_single(self, seq: Sequence, stats: GenerationStats, t0: float) -> Iterator[str]:
        t_decode = time.perf_counter()
        while True:
            out = self._sample(seq)
            if seq.n_out and not stats.first_token_seconds:
                stats.first_token_seconds = time.perf_counter() - t0
            if out:
                yield out
            if seq.done:
                break
            if self._cancel.is_set():
                raise Cancelled("stopped")
            self._clear_batch()
            seq.batch_index = self._add(seq.last_token, seq.pos, 0, True)
            self._decode()
            self._cached.append(seq.last_token)
            seq.pos += 1
        stats.output_tokens = seq.n_out
        stats.decode_seconds = time.perf_counter() - t_decode
        stats.finish_reason = seq.finish


def load_model(path: str | os.PathLike[str] | None = None, options: LoadOptions | None = None) -> LlamaModel:
    """Load `path`, or the embedded default model when `path` is None."""
    from ..model_files import default_model_path

    return LlamaModel.load(path or default_model_path(), options)

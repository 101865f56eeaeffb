"""`RemoteModel`: the Model interface over HTTP, to an engine server the user runs and names.

Two ways to talk to a server, picked when connecting:

* **llama-server** (it answers `/props`, `/tokenize` and `/apply-template`): token ids are the
  server's own. `prompt_tokens` applies the server's chat template (`/apply-template`) and
  tokenizes the result (`/tokenize`); `stream_tokens` sends those ids to `/completion`, so the
  tasks' prompts, prefixes and budgets behave exactly as with the embedded model, and the
  server's prompt cache reuses shared prefixes.
* **chat** (Ollama, vLLM and other OpenAI-compatible servers): `/v1/chat/completions` with the
  messages themselves; the server applies its template. Token ids and counts are *estimates*
  (engine/remote/tokens.py) that stand for the text and the messages; the notes say so.

Several requests run at once in `generate_many` (one connection each, up to the server's slots),
`cancel()` closes every open stream, and every failure is a ModelError in plain words.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

from ..cancel_scope import CancelScope
from ..errors import Cancelled, ModelError
from ..model import GenerationStats, Model, SamplingOptions
from .address import Endpoint
from .http import Client, HTTPStatusError, Stream
from .server_tokens import ServerTokens
from .tokens import EstimatedTokens

DEFAULT_SLOTS = 4
DEFAULT_CTX = 4096  # assumed when a chat server does not say (Ollama's own default is smaller)
MIN_CTX = 1024  # below this the tasks cannot fit a prompt and a reply


@dataclass
class RemoteOptions:
    """What the tasks read from `model.options`, as from the local runtime's (where sequence 0 is
    the shared prefix, so `n_seq_max` is slots + 1)."""

    slots: int = DEFAULT_SLOTS

    @property
    def n_seq_max(self) -> int:
        return self.slots + 1


class RemoteModel(ServerTokens, Model):
    can_batch = True  # requests in flight at once, one per server slot
    can_score = False  # the OpenAI-style API gives no log-probabilities of a given text

    def __init__(self, client: Client, model_id: str, n_ctx: int, slots: int, mode: str,
                 add_bos: list[int] | None = None, notes: Sequence[str] = ()):
        self.client = client
        self.endpoint: Endpoint = client.endpoint
        self.model_id = model_id
        self.display_name = model_id
        self._n_ctx = int(n_ctx)
        self.options = RemoteOptions(max(1, int(slots)))
        self.mode = mode  # "llama-server" | "chat"
        self.can_cache_prefix = mode == "llama-server"
        self.tokens_are_estimates = mode != "llama-server"
        self._bos = list(add_bos or [])
        self.notes: list[str] = list(notes)
        self.choices: list[str] = []
        self._estimator = EstimatedTokens()
        self._counts: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.RLock()
        self._cancel = CancelScope(self._lock)
        self._streams: set[Stream] = set()
        self._pending: set = set()  # shutdown functions of requests not answered yet

    # -- identity -------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """What history records: the server's model and where it ran."""
        return f"{self.display_name} {self.endpoint.label}"

    @property
    def n_ctx(self) -> int:
        return self._n_ctx

    @property
    def location(self) -> str:
        return self.endpoint.label

    @property
    def slots(self) -> int:
        return self.options.slots

    @property
    def concurrent_requests(self) -> int:
        """Requests the server answers at once, each in a context of its own (its slots): the
        summary's map step sends that many chunks at once."""
        return self.options.slots

    def close(self) -> None:
        self.cancel()
        self.client.close()

    # -- cancellation ---------------------------------------------------------------------------
    def cancel(self) -> None:
        """Stop every running request (thread-safe): their streams are closed, which raises
        Cancelled in their callers and tells the server to stop decoding."""
        self._cancel.set()
        with self._lock:
            streams, pending = list(self._streams), list(self._pending)
        for s in streams:
            s.close()
        for shutdown in pending:
            shutdown()

    def prefill(self, prompts) -> dict:
        """Not done on a server, on purpose: warming its prompt cache would send the user's text
        over the network before they chose a tool (or when they choose none), and a server's
        cache is shared by its slots and other clients, so nothing says the prefix is still
        there when the request comes. The request itself still reuses the server's cache."""
        return {"prefixes": 0, "tokens": 0, "reason": "an engine server is not sent the text before a tool is chosen"}

    def job(self):
        """As LlamaModel.job(): a stale cancel is dropped when the job starts; one that lands
        between two calls of the job stops the next call."""
        return self._cancel.job()

    # -- requests -------------------------------------------------------------------------------
    def _check_fits(self, n_prompt: int) -> None:
        if n_prompt >= self.n_ctx:
            raise ModelError(
                f"the prompt is {n_prompt} tokens{' (estimated)' if self.tokens_are_estimates else ''} but the model "
                f"on {self.endpoint.host} takes {self.n_ctx} per request; give the server a larger context "
                "(llama-server: a larger -c, or fewer -np slots) or split the text"
            )

    def _payload(self, prompt: list[int], max_tokens: int, stop: Sequence[str], s: SamplingOptions) -> tuple[str, dict]:
        common = {
            "model": self.model_id,
            "stream": True,
            "temperature": max(0.0, s.temperature),
            "top_p": s.top_p,
            "top_k": s.top_k,
            "seed": s.seed,
            "repeat_penalty": s.repeat_penalty,
        }
        if stop:
            common["stop"] = list(stop)
        if self.mode == "llama-server":
            return "/completion", {
                **common, "prompt": list(prompt), "n_predict": max_tokens, "cache_prompt": True,
                "repeat_last_n": s.repeat_last_n, "min_p": 0.0, "return_tokens": False,
            }
        msgs, prefix = self._estimator.split(prompt)
        if prefix:  # the reply starts with `prefix`: the server continues that assistant turn
            msgs = msgs + [{"role": "assistant", "content": prefix}]
        body = {**common, "messages": msgs, "max_tokens": max_tokens, "repetition_penalty": s.repeat_penalty,
                "stream_options": {"include_usage": True}}
        if prefix:
            body.update(continue_final_message=True, add_generation_prompt=False)  # vLLM's names for it
        return "/v1/chat/completions", body

    def _open(self, path: str, body: dict) -> Stream:
        if self._cancel.is_set():  # cancelled after this call started, before it was sent
            raise Cancelled("stopped")
        closers = []

        def on_socket(shutdown) -> None:  # a cancel while the request waits for its reply
            closers.append(shutdown)
            with self._lock:
                self._pending.add(shutdown)

        try:
            stream = self.client.stream(path, body, on_socket)
        except ModelError:
            if self._cancel.is_set():
                raise Cancelled("stopped") from None
            raise
        finally:
            with self._lock:
                for c in closers:
                    self._pending.discard(c)
        with self._lock:
            self._streams.add(stream)
        if self._cancel.is_set():
            stream.close()
        return stream

    def _explain_server_error(self, exc: HTTPStatusError, n_prompt: int) -> ModelError:
        text = f"{exc.kind} {exc.detail}".lower()
        if exc.status in (400, 500) and ("context" in text or "too long" in text or "max_model_len" in text):
            return ModelError(
                f"the model on {self.endpoint.host} has too small a context for this request "
                f"({n_prompt} prompt tokens; it takes {self.n_ctx}): give the server a larger context "
                "(llama-server: a larger -c, or fewer -np slots)"
            )
        return exc

    def stream_tokens(self, prompt, max_tokens, stop=(), sampling=None, stats=None) -> Iterator[str]:
        """Stream the reply to `prompt` (ids from prompt_tokens, possibly + tokenize(prefix))."""
        sampling = sampling or SamplingOptions()
        stats = stats if stats is not None else GenerationStats()
        self._cancel.start_call()
        prompt = list(prompt)
        self._check_fits(len(prompt))
        max_tokens = max(1, min(int(max_tokens), self.n_ctx - len(prompt)))
        path, body = self._payload(prompt, max_tokens, stop, sampling)
        return self._run(path, body, len(prompt), stats)

    def _run(self, path: str, body: dict, n_prompt: int, stats: GenerationStats) -> Iterator[str]:
        t0 = time.perf_counter()
        stats.prompt_tokens = n_prompt
        try:
            stream = self._open(path, body)
        except HTTPStatusError as exc:
            raise self._explain_server_error(exc, n_prompt) from None
        finished = False
        n_pieces = 0
        t_first = 0.0
        try:
            for event in stream.events():
                text, done, finish = self._read_event(event, stats)
                if text:
                    if not t_first:
                        t_first = time.perf_counter()
                        stats.first_token_seconds = t_first - t0
                    n_pieces += 1
                    yield text
                if done:
                    finished = True
                    stats.finish_reason = finish
                    if path != "/v1/chat/completions":
                        break  # llama-server's final event carries everything
        except HTTPStatusError as exc:
            raise self._explain_server_error(exc, n_prompt) from None
        finally:
            stream.close()
            with self._lock:
                self._streams.discard(stream)
            stats.total_seconds = time.perf_counter() - t0
        if self._cancel.is_set() and not finished:
            raise Cancelled("stopped")
        if not finished:
            raise ModelError(f"the engine server at {self.endpoint.url} closed the connection in the middle of the "
                             "answer (stopped or crashed?); your text was not changed")
        if not stats.output_tokens:
            stats.output_tokens = n_pieces
        if not stats.prompt_seconds:
            stats.prompt_seconds = stats.first_token_seconds
        if not stats.decode_seconds and t_first:
            stats.decode_seconds = time.perf_counter() - t_first

    @staticmethod
    def _read_event(event: dict, stats: GenerationStats) -> tuple[str, bool, str]:
        """(text, finished, finish reason) from one streamed event of either API."""
        if "choices" in event:  # OpenAI chat stream
            usage = event.get("usage") or {}
            if usage:
                stats.prompt_tokens = int(usage.get("prompt_tokens") or stats.prompt_tokens)
                stats.output_tokens = int(usage.get("completion_tokens") or stats.output_tokens)
            timings = event.get("timings") or {}
            if timings:
                RemoteModel._timings(timings, stats)
            if not event["choices"]:
                return "", bool(usage), stats.finish_reason
            choice = event["choices"][0]
            text = (choice.get("delta") or {}).get("content") or choice.get("text") or ""
            reason = choice.get("finish_reason")
            return text, bool(reason), {"length": "length"}.get(reason or "", "stop")
        text = event.get("content") or ""
        if not event.get("stop"):
            return text, False, ""
        RemoteModel._timings(event.get("timings") or {}, stats)
        stats.cached_tokens = int(event.get("tokens_cached") or 0)
        if event.get("tokens_evaluated"):
            stats.prompt_tokens = int(event["tokens_evaluated"])
        stats.output_tokens = int(event.get("tokens_predicted") or stats.output_tokens)
        return text, True, "length" if event.get("stop_type") == "limit" else "stop"

    @staticmethod
    def _timings(t: dict, stats: GenerationStats) -> None:
        if "prompt_ms" in t:
            stats.prompt_seconds = float(t.get("prompt_ms") or 0) / 1000
        if "predicted_ms" in t:
            stats.decode_seconds = float(t.get("predicted_ms") or 0) / 1000
        if t.get("predicted_n"):
            stats.output_tokens = int(t["predicted_n"])
        if t.get("cache_n"):
            stats.cached_tokens = int(t["cache_n"])


    def generate_many(
        self,
        prompts: Sequence[list[int]],
        max_tokens: Sequence[int] | int,
        stop: Sequence[str] = (),
        sampling: SamplingOptions | None = None,
        on_done: Callable[[int, str, GenerationStats], None] | None = None,
        on_partial: Callable[[dict[int, str]], None] | None = None,
    ) -> list[tuple[str, GenerationStats]]:
        """Run the prompts as concurrent requests, as many at once as the server has slots.
        `on_done(i, text, stats)` is called in this thread as each finishes, `on_partial({i: text
        so far})` every 50 ms while text arrives; a failure or a cancel closes the other streams
        and is raised here."""
        if not prompts:
            return []
        self._cancel.start_call()
        limits = [max_tokens] * len(prompts) if isinstance(max_tokens, int) else list(max_tokens)
        for p in prompts:
            self._check_fits(len(p))
        results: list[tuple[str, GenerationStats] | None] = [None] * len(prompts)
        t0 = time.perf_counter()

        partial: dict[int, str] = {}  # text so far per request, filled by the pool's threads
        partial_lock = threading.Lock()

        def one(i: int) -> tuple[int, str, GenerationStats]:
            st = GenerationStats(batch_size=min(self.slots, len(prompts)))
            text = ""
            for piece in self.stream_tokens_in_job(prompts[i], limits[i], stop, sampling, st):
                text += piece
                if on_partial:
                    with partial_lock:
                        partial[i] = text
            return i, text, st

        def hand_over_partials() -> None:
            with partial_lock:
                grown = dict(partial)
                partial.clear()
            if grown:
                on_partial(grown)

        pool = ThreadPoolExecutor(max_workers=min(self.slots, len(prompts)), thread_name_prefix="hushwrite-remote")
        pending = {pool.submit(one, i) for i in range(len(prompts))}
        try:
            while pending:
                done, pending = wait(pending, timeout=0.05, return_when=FIRST_EXCEPTION)
                if on_partial:
                    hand_over_partials()
                errors = [fut.exception() for fut in done if fut.exception() is not None]
                for fut in done:  # the answers that arrived are handed over before a failure is raised
                    if fut.exception() is None:
                        i, text, st = fut.result()
                        results[i] = (text, st)
                        if on_done:
                            on_done(i, text, st)
                if errors:
                    raise errors[0]
        except BaseException:  # a failure, a cancel, or the caller's own callback: close every stream
            self._abort(pending)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        wall = time.perf_counter() - t0
        out = [r for r in results if r is not None]
        for _, st in out:
            st.total_seconds = max(st.total_seconds, 0.0)
        if out:
            out[0][1].total_seconds = max(out[0][1].total_seconds, wall)
        return out

    def stream_tokens_in_job(self, prompt, max_tokens, stop, sampling, stats) -> Iterator[str]:
        """stream_tokens for one request of generate_many (no stale-cancel clearing per request)."""
        if self._cancel.is_set():
            raise Cancelled("stopped")
        sampling = sampling or SamplingOptions()
        prompt = list(prompt)
        max_tokens = max(1, min(int(max_tokens), self.n_ctx - len(prompt)))
        path, body = self._payload(prompt, max_tokens, stop, sampling)
        return self._run(path, body, len(prompt), stats)

    def _abort(self, pending) -> None:
        for fut in pending:
            fut.cancel()
        with self._lock:
            streams = list(self._streams)
        for s in streams:
            s.close()

"""Connect to the user's engine server (what it is, its model, context and slots) and measure it."""

from __future__ import annotations

import time

from ..errors import ModelError
from ..model import GenerationStats, SamplingOptions
from . import address
from .http import CONNECT_TIMEOUT, READ_TIMEOUT, Client, HTTPStatusError
from .model import DEFAULT_CTX, DEFAULT_SLOTS, MIN_CTX, RemoteModel


def _models(client: Client) -> list[dict]:
    reply = client.request("GET", "/v1/models")
    data = reply.get("data") if isinstance(reply, dict) else None
    if not isinstance(data, list):
        raise ModelError(f"{client.endpoint.url} answered /v1/models without a model list; "
                         "is it an OpenAI-compatible server (llama-server, Ollama, vLLM)?")
    return [m for m in data if isinstance(m, dict) and m.get("id")]


def _llama_server_props(client: Client) -> dict | None:
    """llama-server's /props, or None for servers that do not have it."""
    try:
        props = client.request("GET", "/props")
    except HTTPStatusError as exc:
        if exc.status in (401, 403):
            raise
        return None
    except ModelError:
        return None
    if isinstance(props, dict) and isinstance(props.get("default_generation_settings"), dict):
        return props
    return None


def connect(url: str, api_key: str | None = None, model: str | None = None, slots: int | None = None,
            connect_timeout: float = CONNECT_TIMEOUT, read_timeout: float = READ_TIMEOUT,
            tokens: str = "auto") -> RemoteModel:
    """A RemoteModel for the server at `url`. `tokens`: "auto" (the server's tokens when it can
    tokenize, else estimates), or "estimate" (always the chat API with estimated counts)."""
    endpoint = address.parse(url)
    client = Client(endpoint, api_key, connect_timeout, read_timeout)
    models = _models(client)  # the first request: reachability, URL and key are checked here
    if not models:
        raise ModelError(f"the engine server at {endpoint.url} has no model loaded")
    ids = [str(m["id"]) for m in models]
    if model and model not in ids and len(ids) > 1:
        raise ModelError(f"the engine server at {endpoint.url} has no model '{model}'; it offers: {', '.join(ids[:12])}")
    chosen = model or ids[0]
    info = next((m for m in models if m["id"] == chosen), models[0])
    notes = [endpoint.warning] if endpoint.warning else []
    props = _llama_server_props(client) if tokens == "auto" else None
    if props is not None:
        n_ctx = int(props["default_generation_settings"].get("n_ctx") or 0)
        server_slots = int(props.get("total_slots") or DEFAULT_SLOTS)
        bos = client.request("POST", "/tokenize", {"content": "", "add_special": True}).get("tokens", [])
        mode = "llama-server"
        if not model:
            chosen = str(props.get("model_alias") or chosen)
    else:
        n_ctx = int(info.get("max_model_len") or (info.get("meta") or {}).get("n_ctx_train") or 0)
        server_slots = DEFAULT_SLOTS
        bos = []
        mode = "chat"
        if not n_ctx:
            n_ctx = DEFAULT_CTX
            notes.append(f"the server does not say its context length; assuming {DEFAULT_CTX} tokens")
        notes.append("token counts are estimates: this server has no tokenize endpoint")
    if n_ctx < MIN_CTX:
        raise ModelError(f"the model on {endpoint.host} takes only {n_ctx} tokens per request; Hushwrite needs at least "
                         f"{MIN_CTX}. Give the server a larger context (llama-server: a larger -c, or fewer -np slots)")
    name = chosen.replace("\\", "/").rsplit("/", 1)[-1]
    if name.endswith(".gguf"):
        name = name[:-5]
    m = RemoteModel(client, chosen, n_ctx, slots or server_slots, mode, bos, notes)
    m.display_name = name
    return m


def measure(model: RemoteModel, max_tokens: int = 48) -> dict:
    """The Test button's figures: model, context, slots and decode speed of one short reply."""
    stats = GenerationStats()
    t0 = time.perf_counter()
    msgs = [{"role": "user", "content": "Write two sentences about the sea."}]
    text = "".join(model.stream(msgs, max_tokens=max_tokens, sampling=SamplingOptions(), stats=stats))
    seconds = time.perf_counter() - t0
    return {
        "model": model.display_name,
        "model_id": model.model_id,
        "where": model.location,
        "mode": model.mode,
        "context": model.n_ctx,
        "slots": model.slots,
        "tokens": stats.output_tokens,
        "seconds": round(seconds, 3),
        "first_token_seconds": round(stats.first_token_seconds, 3),
        "tokens_per_second": round(stats.decode_tps, 1),
        "reply": text,
        "notes": list(model.notes),
    }

"""Resume support: chunk and combine results cached by content hash.

A cache is any object with `get(key) -> str | None` and `put(key, value)`; the encrypted store
(`store.cache_get` / `store.cache_put`) fits through `as_cache`, and is what the CLI and the app
use. `MemoryCache` lasts one process. Hushwrite never writes summaries unencrypted.
"""

from __future__ import annotations

import hashlib
import json


def cache_key(model_id: str, kind: str, stage: str, prompt_version: str, text: str, **params) -> str:
    """sha256 over everything that changes the answer: model, kind, stage, prompt version,
    generation parameters, and the exact input text."""
    head = json.dumps([model_id, kind, stage, prompt_version, sorted(params.items())], default=str)
    h = hashlib.sha256(head.encode("utf-8"))
    h.update(b"\0")
    h.update(text.encode("utf-8"))
    return "summ-" + h.hexdigest()


def model_identity(model) -> str:
    """Name plus file size and quantization: a re-quantized or different file is a different model."""
    info = getattr(model, "info", None)
    parts = [str(getattr(model, "name", type(model).__name__))]
    if info is not None:
        parts += [str(getattr(info, "file_size", "")), str(getattr(info, "quantization", ""))]
    return "|".join(parts)


class StoreCache:
    """Adapter for the encrypted store's `cache_get` / `cache_put`.

    A store that stops working during a job (the user locked it in the window, the disk filled
    up) must not fail the summary it only speeds up: the error is kept in `problem`, and the
    job goes on without resume from then on."""

    def __init__(self, store) -> None:
        self.store = store
        self.problem = ""

    def get(self, key: str) -> str | None:
        if self.problem:
            return None
        try:
            return self.store.cache_get(key)
        except Exception as exc:  # noqa: BLE001 - StoreError, or sqlite errors from a closing store
            self.problem = str(exc) or type(exc).__name__
            return None

    def put(self, key: str, value: str) -> None:
        if self.problem:
            return
        try:
            self.store.cache_put(key, value)
        except Exception as exc:  # noqa: BLE001
            self.problem = str(exc) or type(exc).__name__


class MemoryCache(dict):
    """In-process cache (no resume across runs); also what tests and benchmarks count with."""

    def put(self, key: str, value: str) -> None:
        self[key] = value


def as_cache(obj):
    """None, a get/put cache, or a store with cache_get/cache_put -> a get/put cache (or None)."""
    if obj is None:
        return None
    if hasattr(obj, "get") and hasattr(obj, "put"):
        return obj
    if hasattr(obj, "cache_get") and hasattr(obj, "cache_put"):
        return StoreCache(obj)
    raise TypeError("a summary cache needs get/put or cache_get/cache_put methods")

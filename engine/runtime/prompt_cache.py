"""`LlamaModel.warm_prefix`: a tool's fixed instructions, decoded once per machine, not once per process.

A one-shot command (`hushwrite proofread FILE`) starts a new engine process each time, so the
in-memory prompt cache (sequence 0, decoding.py) is always empty and every run decodes the same
~270 tokens of worked examples before it reaches the user's sentence. `warm_prefix(tokens)` puts
those tokens in sequence 0 from a file written by an earlier run (a few MB, milliseconds), and
when there is none it decodes them and writes that file for the next run. The request that
follows reuses them like any cached prefix.

Only a task's own fixed text may be passed: the file holds the model's internal state for those
tokens, so a prefix containing anything the user wrote would put that on disk. Callers build the
prefix from the prompt with the user's text left out (`engine.tasks.prefill.fixed_prefix`), and the files live in the
cache folder for rebuildable public data (`engine.paths.cache_dir`), never with personal data.

A file is named by a hash of the model file, the llama.cpp build, the CPU, the KV layout (flash
attention changes it) and the tokens. Its own header carries the tokens, the state's length and
a SHA-256 of both, checked before llama.cpp sees a byte: llama.cpp's file loader aborts the
process on some damaged files (seen: a file cut short), while its in-memory reader refuses bad
data with an error. A file that fails the check, or that llama.cpp refuses (another build wrote
it), is deleted and rebuilt. At most MAX_FILES are kept, the least recently used go first.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import struct
import time
from pathlib import Path

from .backend import ll

MAX_FILES = 24
MIN_TOKENS = 32  # shorter prefixes cost less to decode than to look up
MAGIC = b"HWKV\x02\n"  # then u32 token count, the tokens (i32), u64 state length, SHA-256, the state


def cache_folder() -> Path:
    from ..paths import cache_dir

    return cache_dir() / "prompt-kv"


class PromptCache:
    """`warm_prefix` of `LlamaModel` (uses its `_lock`, `_ctx`, `_mem`, `_cached`, `calibration`,
    `flash_attn`, `options` and the decoding steps)."""

    def warm_prefix(self, tokens: list[int]) -> dict:
        """Make `tokens` (a task's fixed prefix, no user text) the cached prefix of sequence 0:
        from memory, from this machine's file, or decoded now and saved. Returns {"tokens": how
        many are cached, "source": "memory" | "file" | "decoded" | "skipped", "seconds": ...}."""
        tokens = [int(t) for t in tokens]
        t0 = time.perf_counter()
        if len(tokens) < MIN_TOKENS or len(tokens) >= self.n_ctx // 2:
            return {"tokens": 0, "source": "skipped", "seconds": 0.0}
        self._cancel.arm()
        with self._busy(), self._lock:
            self._cancel.start_call()
            if self._cached[: len(tokens)] == tokens:
                return {"tokens": len(tokens), "source": "memory", "seconds": time.perf_counter() - t0}
            path = self._prefix_file(tokens)
            if path is not None and path.exists() and self._load_prefix(path, tokens):
                return {"tokens": len(tokens), "source": "file", "seconds": time.perf_counter() - t0}
            self._decode_prefix(tokens)
            if path is not None:
                self._save_prefix(path, tokens)
            return {"tokens": len(tokens), "source": "decoded", "seconds": time.perf_counter() - t0}

    # -- the steps (under the lock) -----------------------------------------------------------
    def _prefix_file(self, tokens: list[int]) -> Path | None:
        key = getattr(self.calibration, "key", None)
        if not key:
            return None
        layout = {"key": key, "flash_attn": bool(self.flash_attn), "gpu": int(self.n_gpu_layers), "kv": "f16",
                  "format": MAGIC.hex(), "tokens": tokens}
        digest = hashlib.sha256(json.dumps(layout, sort_keys=True).encode()).hexdigest()[:32]
        return cache_folder() / f"{digest}.kv"

    def _load_prefix(self, path: Path, tokens: list[int]) -> bool:
        ll.llama_memory_seq_rm(self._mem, 0, -1, -1)
        self._cached = []
        state = _read_state(path, tokens)
        if state is None or ll.llama_state_seq_set_data(self._ctx, state, len(state), 0) != len(state):
            ll.llama_memory_seq_rm(self._mem, 0, -1, -1)
            _remove(path)  # damaged, another build's, or not for these tokens: rebuilt below
            return False
        self._cached = list(tokens)
        try:
            os.utime(path)  # recently used: kept when the folder is trimmed
        except OSError:
            pass
        return True

    def _decode_prefix(self, tokens: list[int]) -> None:
        reused = self._prepare_prefix(tokens + [-1])  # -1 never matches: keeps at most all of `tokens`
        self._make_room(len(tokens) - reused)
        items = [(t, p, 0, False) for p, t in enumerate(tokens[reused:], start=reused)]
        if items:
            self._feed(items)
            self._cached.extend(tokens[reused:])

    def _save_prefix(self, path: Path, tokens: list[int]) -> None:
        n = ll.llama_state_seq_get_size(self._ctx, 0)
        state = (ctypes.c_uint8 * n)()
        if not n or ll.llama_state_seq_get_data(self._ctx, state, n, 0) != n:
            return
        head = _token_header(tokens) + struct.pack("<Q", n)
        digest = _digest(head, state)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as f:
                f.write(MAGIC + head + digest)
                f.write(state)
            os.replace(tmp, path)  # whole or not at all: another process may be reading
            _trim(path.parent)
        except OSError:
            _remove(tmp)  # a read-only or full disk costs speed, never a request


def _read_state(path: Path, tokens: list[int]):
    """The llama.cpp state in `path` (a ctypes buffer) when the file is whole and for `tokens`."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    tokens_part = _token_header(tokens)
    start = len(MAGIC) + len(tokens_part)
    if not data.startswith(MAGIC) or data[len(MAGIC):start] != tokens_part or len(data) < start + 40:
        return None
    (n,) = struct.unpack_from("<Q", data, start)
    body = memoryview(data)[start + 40:]
    if len(body) != n or _digest(data[len(MAGIC):start + 8], body) != data[start + 8:start + 40]:
        return None
    return (ctypes.c_uint8 * n).from_buffer_copy(body)


def _token_header(tokens: list[int]) -> bytes:
    """The file's record of the prefix it holds: the token count, then the tokens."""
    return struct.pack(f"<I{len(tokens)}i", len(tokens), *tokens)


def _digest(head: bytes, state) -> bytes:
    h = hashlib.sha256(head)
    h.update(state)
    return h.digest()


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _trim(folder: Path) -> None:
    files = sorted(folder.glob("*.kv"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[MAX_FILES:]:
        _remove(old)

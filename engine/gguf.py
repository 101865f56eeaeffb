"""Read a GGUF file's header without loading weights: metadata, tensor table, integrity.

The format (little-endian): magic b"GGUF", version u32, tensor count u64, metadata count u64,
then key/value pairs, then tensor infos (name, dims, ggml type, offset), then aligned data.
We parse only the header, so a 10 GB model is inspected in milliseconds.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from .errors import ModelError

MAGIC = b"GGUF"

# GGUF metadata value types -> struct format (None: special-cased).
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9

# ggml tensor types: (block size in elements, bytes per block). Used to check the file is complete.
GGML_TYPES: dict[int, tuple[str, int, int]] = {
    0: ("F32", 1, 4), 1: ("F16", 1, 2), 2: ("Q4_0", 32, 18), 3: ("Q4_1", 32, 20),
    6: ("Q5_0", 32, 22), 7: ("Q5_1", 32, 24), 8: ("Q8_0", 32, 34), 9: ("Q8_1", 32, 36),
    10: ("Q2_K", 256, 84), 11: ("Q3_K", 256, 110), 12: ("Q4_K", 256, 144), 13: ("Q5_K", 256, 176),
    14: ("Q6_K", 256, 210), 15: ("Q8_K", 256, 292), 16: ("IQ2_XXS", 256, 66), 17: ("IQ2_XS", 256, 74),
    18: ("IQ3_XXS", 256, 98), 19: ("IQ1_S", 256, 50), 20: ("IQ4_NL", 32, 18), 21: ("IQ3_S", 256, 110),
    22: ("IQ2_S", 256, 82), 23: ("IQ4_XS", 256, 136), 24: ("I8", 1, 1), 25: ("I16", 1, 2),
    26: ("I32", 1, 4), 27: ("I64", 1, 8), 28: ("F64", 1, 8), 29: ("IQ1_M", 256, 56),
    30: ("BF16", 1, 2), 34: ("TQ1_0", 256, 54), 35: ("TQ2_0", 256, 66), 39: ("MXFP4", 32, 17),
}

# general.file_type (llama_ftype) -> the name people know.
FILE_TYPES = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K",
    11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S",
    17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS",
    23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S",
    29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4_MOE",
}

MAX_STRING = 64 * 1024 * 1024  # a metadata string larger than this means a corrupt header
MAX_ARRAY = 16 * 1024 * 1024


@dataclass
class GGUFInfo:
    path: Path
    version: int
    file_size: int
    metadata: dict[str, Any] = field(repr=False)
    n_params: int
    tensor_bytes: int
    data_end: int  # where the last tensor's data ends; > file_size means truncated

    # -- friendly accessors -------------------------------------------------------------
    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", "unknown"))

    @property
    def name(self) -> str:
        return str(self.metadata.get("general.name") or self.path.stem)

    def arch_value(self, key: str, default: Any = None) -> Any:
        return self.metadata.get(f"{self.architecture}.{key}", default)

    @property
    def context_length(self) -> int:
        return int(self.arch_value("context_length", 0) or 0)

    @property
    def n_layer(self) -> int:
        return int(self.arch_value("block_count", 0) or 0)

    @property
    def n_embd(self) -> int:
        return int(self.arch_value("embedding_length", 0) or 0)

    @property
    def chat_template(self) -> str | None:
        tpl = self.metadata.get("tokenizer.chat_template")
        return str(tpl) if tpl else None

    @property
    def quantization(self) -> str:
        ft = self.metadata.get("general.file_type")
        if isinstance(ft, int) and ft in FILE_TYPES:
            return FILE_TYPES[ft]
        return self._dominant_type or "unknown"

    _dominant_type: str | None = None

    @property
    def truncated(self) -> bool:
        return self.data_end > self.file_size

    def kv_bytes_per_token(self) -> int:
        """f16 K and V for every layer, with grouped-query attention taken into account."""
        heads = int(self.arch_value("attention.head_count", 0) or 0)
        kv_heads = self.arch_value("attention.head_count_kv", heads) or heads
        if isinstance(kv_heads, list):  # per-layer counts in some architectures
            kv_heads = max(kv_heads) if kv_heads else heads
        kv_heads = int(kv_heads or 0)
        if not heads or not self.n_embd:
            return 0
        head_dim_k = int(self.arch_value("attention.key_length", self.n_embd // heads))
        head_dim_v = int(self.arch_value("attention.value_length", self.n_embd // heads))
        return self.n_layer * kv_heads * (head_dim_k + head_dim_v) * 2

    def estimate_memory(self, n_ctx: int, n_batch: int = 512) -> int:
        """Bytes of RAM (or VRAM) a load with this context will need: weights + KV cache + buffers."""
        vocab = len(self.metadata.get("tokenizer.ggml.tokens", []) or []) or 32000
        kv = self.kv_bytes_per_token() * n_ctx
        compute = vocab * 4 * n_batch + self.n_embd * 4 * n_batch * 16 + 32 * 1024 * 1024
        return self.tensor_bytes + kv + compute

    def summary(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "name": self.name,
            "architecture": self.architecture,
            "parameters": self.n_params,
            "parameters_human": human_count(self.n_params),
            "quantization": self.quantization,
            "file_size": self.file_size,
            "context_length": self.context_length,
            "has_chat_template": self.chat_template is not None,
            "estimated_memory_4k": self.estimate_memory(4096),
        }


def human_count(n: int) -> str:
    for unit, div in (("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if n >= div:
            return f"{n / div:.1f}{unit}".replace(".0", "")
    return str(n)


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit in ("B", "KB") else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


class _Reader:
    def __init__(self, fh: BinaryIO, path: Path):
        self.fh, self.path = fh, path

    def take(self, n: int) -> bytes:
        data = self.fh.read(n)
        if len(data) != n:
            raise ModelError(f"{self.path.name}: the file ends in the middle of its header; it is truncated or corrupt")
        return data

    def unpack(self, fmt: str) -> Any:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def string(self) -> str:
        n = self.unpack("<Q")
        if n > MAX_STRING:
            raise ModelError(f"{self.path.name}: corrupt GGUF header (a {n}-byte string)")
        return self.take(n).decode("utf-8", errors="replace")

    def value(self, vtype: int) -> Any:
        if vtype in _SCALARS:
            return self.unpack(_SCALARS[vtype])
        if vtype == _STRING:
            return self.string()
        if vtype == _ARRAY:
            itype, count = self.unpack("<I"), self.unpack("<Q")
            if count > MAX_ARRAY:
                raise ModelError(f"{self.path.name}: corrupt GGUF header (an array of {count} items)")
            if itype in _SCALARS:  # read scalar arrays in one go
                fmt = _SCALARS[itype]
                size = struct.calcsize(fmt)
                raw = self.take(size * count)
                return list(struct.unpack(f"<{count}{fmt[1:]}", raw))
            return [self.value(itype) for _ in range(count)]
        raise ModelError(f"{self.path.name}: corrupt GGUF header (unknown value type {vtype})")


def read_gguf(path: str | os.PathLike[str]) -> GGUFInfo:
    """Parse the header; raise ModelError with a plain-language message for anything wrong."""
    p = Path(path).expanduser()
    if not p.exists():
        raise ModelError(f"model file not found: {p}")
    if p.is_dir():
        raise ModelError(f"{p} is a folder, not a model file")
    try:
        size = p.stat().st_size
        fh = p.open("rb")
    except OSError as exc:
        raise ModelError(f"cannot read model file {p}: {exc.strerror or exc}") from None
    with fh:
        r = _Reader(fh, p)
        head = fh.read(4)
        if head != MAGIC:
            raise ModelError(f"{p.name} is not a GGUF model file (Hushwrite runs GGUF models, e.g. *.Q4_K_M.gguf)")
        version = r.unpack("<I")
        if version not in (2, 3):
            raise ModelError(f"{p.name}: GGUF version {version} is not supported (expected 2 or 3)")
        n_tensors, n_kv = r.unpack("<Q"), r.unpack("<Q")
        if n_tensors > 1_000_000 or n_kv > 1_000_000:
            raise ModelError(f"{p.name}: corrupt GGUF header")
        meta: dict[str, Any] = {}
        for _ in range(n_kv):
            key = r.string()
            meta[key] = r.value(r.unpack("<I"))
        n_params = 0
        tensor_bytes = 0
        max_end = 0
        type_bytes: dict[str, int] = {}
        infos = []
        for _ in range(n_tensors):
            r.string()  # tensor name
            n_dims = r.unpack("<I")
            if n_dims > 8:
                raise ModelError(f"{p.name}: corrupt GGUF tensor table")
            dims = [r.unpack("<Q") for _ in range(n_dims)]
            ttype, offset = r.unpack("<I"), r.unpack("<Q")
            infos.append((dims, ttype, offset))
        header_end = fh.tell()
    align = int(meta.get("general.alignment", 32) or 32)
    data_start = (header_end + align - 1) // align * align
    for dims, ttype, offset in infos:
        count = 1
        for d in dims:
            count *= d
        n_params += count
        tname, block, nbytes = GGML_TYPES.get(ttype, (f"type{ttype}", 0, 0))
        nb = count // block * nbytes if block else 0
        tensor_bytes += nb
        type_bytes[tname] = type_bytes.get(tname, 0) + nb
        max_end = max(max_end, data_start + offset + nb)
    info = GGUFInfo(p, version, size, meta, n_params, tensor_bytes, max_end)
    if type_bytes:
        info._dominant_type = max(type_bytes, key=lambda k: type_bytes[k])
    if info.truncated:
        raise ModelError(
            f"{p.name} is truncated: {human_bytes(size)} on disk but its tensors need "
            f"{human_bytes(max_end)} (an interrupted download?)"
        )
    return info

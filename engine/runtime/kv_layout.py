"""Moving one sequence's KV cache between two llama.cpp contexts whose attention settings differ.

Without flash attention llama.cpp stores V transposed (one row per embedding dimension, a
context's worth of cells long); with it, one row per cell, like K. `llama_state_seq_get_data`
writes a sequence in the layout of its context and `llama_state_seq_set_data` refuses the other
one, so a move between the two needs V turned around in between. The serialized sequence is:

    u32 magic, i32 seq_id, u32 n_stream, then per stream: u32 cell_count and, when it is > 0,
    per cell (i32 pos, u32 n_seq, i32 seq_id * n_seq), u32 v_trans, u32 n_layer,
    per layer K (i32 type, u64 row_size, row_size * cell_count bytes),
    per layer V rows       (i32 type, u64 row_size, row_size * cell_count bytes)
             or transposed (i32 type, u32 elem_size, u32 n_embd, elem_size * cell_count bytes per dim)

`convert` rewrites the V part and checks that it read exactly the whole blob; anything it does
not know (another layout, a quantized V, extra per-cell fields of some architectures) raises
`KVLayoutError`, and the caller decodes the plain way instead. numpy is imported on first use only (a move happens for long prompts,
where its import is a small share).
"""

from __future__ import annotations

import ctypes
import struct

from .backend import ll

MAGIC = 0xAF143CD8
ELEMENT_SIZES = {0: 4, 1: 2, 30: 2}  # ggml types V can be transposed in: F32, F16, BF16


class KVLayoutError(ValueError):
    """The serialized sequence is not in a layout this module can convert."""


def convert(blob, transposed: bool) -> bytes:
    """The same one-sequence state with V laid out transposed (`transposed`) or one row per cell."""
    import numpy as np

    view = memoryview(blob).cast("B")
    size = len(view)
    off = 0

    def take(fmt: str):
        nonlocal off
        n = struct.calcsize(fmt)
        if off + n > size:
            raise KVLayoutError("the sequence state ends early")
        values = struct.unpack_from(fmt, view, off)
        off += n
        return values

    def span(n: int) -> memoryview:
        nonlocal off
        if off + n > size:
            raise KVLayoutError("the sequence state ends early")
        off += n
        return view[off - n : off]

    magic, _seq = take("<Ii")
    if magic != MAGIC:
        raise KVLayoutError("not a llama.cpp sequence state")
    (n_stream,) = take("<I")
    out: list = [view[:8], struct.pack("<I", n_stream)]
    for _ in range(n_stream):
        (cells,) = take("<I")
        if cells == 0:
            out.append(struct.pack("<I", 0))
            continue
        # one sequence's cells: (pos, n_seq = 1, seq id) each
        meta = span(12 * cells)
        if (np.frombuffer(meta, dtype="<i4").reshape(cells, 3)[:, 1] != 1).any():
            raise KVLayoutError("the state holds more than one sequence")
        out.append(struct.pack("<I", cells))
        out.append(meta)
        v_trans, n_layer = take("<II")
        if bool(v_trans) == transposed:
            raise KVLayoutError("the state already has that layout")
        out.append(struct.pack("<II", int(transposed), n_layer))
        for _ in range(n_layer):
            ktype, row = take("<iQ")
            rows = span(row * cells)
            out.append(struct.pack("<iQ", ktype, row))
            out.append(rows)
        for _ in range(n_layer):
            if v_trans:
                vtype, elem, n_embd = take("<iII")
            else:
                vtype, row = take("<iQ")
                elem = ELEMENT_SIZES.get(vtype, 0)
                if not elem or row % elem:
                    raise KVLayoutError(f"V of ggml type {vtype} cannot be transposed")
                n_embd = row // elem
            if ELEMENT_SIZES.get(vtype) != elem:
                raise KVLayoutError(f"V of ggml type {vtype} cannot be transposed")
            data = np.frombuffer(span(cells * n_embd * elem), dtype=np.dtype(f"u{elem}"))
            if v_trans:  # one row per dimension -> one row per cell
                out.append(struct.pack("<iQ", vtype, elem * n_embd))
                out.append(np.ascontiguousarray(data.reshape(n_embd, cells).T))
            else:
                out.append(struct.pack("<iII", vtype, elem, n_embd))
                out.append(np.ascontiguousarray(data.reshape(cells, n_embd).T))
    if off != size:
        raise KVLayoutError(f"{size - off} bytes of the sequence state were not understood")
    return b"".join(out)


def read_sequence(ctx, seq_id: int) -> memoryview:
    """Sequence `seq_id` of `ctx`, serialized by llama.cpp (a view of its buffer, not a copy)."""
    n = ll.llama_state_seq_get_size(ctx, seq_id)
    if not n:
        raise KVLayoutError("llama.cpp could not size the sequence state")
    buf = (ctypes.c_uint8 * n)()
    if ll.llama_state_seq_get_data(ctx, buf, n, seq_id) != n:
        raise KVLayoutError("llama.cpp could not write the sequence state")
    return memoryview(buf).cast("B")


def write_sequence(ctx, seq_id: int, blob: bytes) -> bool:
    """Replace sequence `seq_id` of `ctx` with `blob` (read in place, not copied); False when
    llama.cpp refuses it (no room for the cells, another layout): the sequence is then empty."""
    ptr = ctypes.cast(ctypes.c_char_p(blob), ctypes.POINTER(ctypes.c_uint8))
    return ll.llama_state_seq_set_data(ctx, ptr, len(blob), seq_id) == len(blob)


def move_sequence(src, dst, seq_id: int, transposed: bool) -> bool:
    """Copy sequence `seq_id` of context `src` into the same sequence of `dst`, which it replaces,
    V laid out as `dst` keeps it (`transposed`: `dst` runs without flash attention). False when
    `dst` refused it."""
    return write_sequence(dst, seq_id, convert(read_sequence(src, seq_id), transposed))

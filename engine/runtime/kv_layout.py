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
`KVLayoutError`, and the caller decodes the plain way instead. numpy is imported on first use
only (a move happens for long prompts, where its import is a small share).
"""

from __future__ import annotations

import ctypes
import struct

from .backend import ll

MAGIC = 0xAF143CD8
ELEMENT_SIZES = {0: 4, 1: 2, 30: 2}  # ggml types V can be transposed in: F32, F16, BF16


class KVLayoutError(ValueError):
    """The serialized sequence is not in a layout this module can convert."""


def convert(blob: bytes, transposed: bool) -> bytes:
    """The same sequence state with V laid out transposed (`transposed`) or one row per cell."""
    import numpy as np

    view = memoryview(blob)
    size = len(blob)
    off = 0

    def take(fmt: str):
        nonlocal off
        n = struct.calcsize(fmt)
        if off + n > size:
            raise KVLayoutError("the sequence state ends early")
        values = struct.unpack_from(fmt, view, off)
        off += n
        return values

    magic, _seq = take("<Ii")
    if magic != MAGIC:
        raise KVLayoutError("not a llama.cpp sequence state")
    (n_stream,) = take("<I")
    out = [bytes(view[:off])]
    for _ in range(n_stream):
        start = off
        (cells,) = take("<I")
        if cells == 0:
            out.append(bytes(view[start:off]))
            continue
        for _ in range(cells):
            _pos, n_seq = take("<iI")
            off += 4 * n_seq
        v_trans, n_layer = take("<II")
        if bool(v_trans) == transposed:
            raise KVLayoutError("the state already has that layout")
        out.append(bytes(view[start : off - 8]))
        out.append(struct.pack("<II", int(transposed), n_layer))
        k_start = off
        for _ in range(n_layer):
            _type, row = take("<iQ")
            off += row * cells
        if off > size:
            raise KVLayoutError("the sequence state ends early")
        out.append(bytes(view[k_start:off]))
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
            n = cells * n_embd
            if off + n * elem > size:
                raise KVLayoutError("the sequence state ends early")
            dtype = np.dtype(f"u{elem}")
            data = np.frombuffer(blob, dtype=dtype, count=n, offset=off)
            off += n * elem
            if v_trans:
                out.append(struct.pack("<iQ", vtype, elem * n_embd))
                out.append(np.ascontiguousarray(data.reshape(n_embd, cells).T).tobytes())
            else:
                out.append(struct.pack("<iII", vtype, elem, n_embd))
                out.append(np.ascontiguousarray(data.reshape(cells, n_embd).T).tobytes())
    if off != size:
        raise KVLayoutError(f"{size - off} bytes of the sequence state were not understood")
    return b"".join(out)


def read_sequence(ctx, seq_id: int) -> bytes:
    """Sequence `seq_id` of `ctx`, serialized by llama.cpp."""
    n = ll.llama_state_seq_get_size(ctx, seq_id)
    if not n:
        raise KVLayoutError("llama.cpp could not size the sequence state")
    buf = (ctypes.c_uint8 * n)()
    if ll.llama_state_seq_get_data(ctx, buf, n, seq_id) != n:
        raise KVLayoutError("llama.cpp could not write the sequence state")
    return bytes(buf)


def write_sequence(ctx, seq_id: int, blob: bytes) -> bool:
    """Replace sequence `seq_id` of `ctx` with `blob`; False when llama.cpp refuses it (no room
    for the cells in one run, another layout), in which case the sequence is left empty."""
    buf = (ctypes.c_uint8 * len(blob)).from_buffer_copy(blob)
    return ll.llama_state_seq_set_data(ctx, buf, len(blob), seq_id) == len(blob)


def move_sequence(src, dst, seq_id: int, transposed: bool) -> bool:
    """Copy sequence `seq_id` from context `src` into `dst`, V laid out as `dst` keeps it
    (`transposed`: `dst` runs without flash attention). False when `dst` refused it."""
    return write_sequence(dst, seq_id, convert(read_sequence(src, seq_id), transposed))

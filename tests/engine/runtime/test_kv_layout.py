"""Turning a serialized sequence's V cache between llama.cpp's two layouts (no model needed; the
real contexts are in test_split_prefill.py)."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from engine.runtime.kv_layout import MAGIC, KVLayoutError, convert

CELLS, LAYERS, EMBD = 3, 2, 4


def blob(transposed: bool, vtype: int = 1, positions=range(CELLS)) -> bytes:
    """A one-stream state of sequence 0 at `positions` with LAYERS layers; each cell's K and V rows
    are distinct f16 bit patterns derived from its position (and layer)."""
    positions = list(positions)
    out = [struct.pack("<IiII", MAGIC, 0, 1, len(positions))]
    for pos in positions:
        out.append(struct.pack("<iIi", pos, 1, 0))
    out.append(struct.pack("<II", int(transposed), LAYERS))
    for layer in range(LAYERS):
        out.append(struct.pack("<iQ", 1, 2 * EMBD))
        out.append(np.array([np.arange(EMBD) + 10 * p + 1000 * layer for p in positions], dtype=np.uint16).tobytes())
    for layer in range(LAYERS):
        v = np.array([np.arange(EMBD) + 10 * p + 100 * (layer + 1) for p in positions], dtype=np.uint16)
        if transposed:
            out.append(struct.pack("<iII", vtype, 2, EMBD))
            out.append(np.ascontiguousarray(v.T).tobytes())
        else:
            out.append(struct.pack("<iQ", vtype, 2 * EMBD))
            out.append(v.tobytes())
    return b"".join(out)


def test_rows_to_transposed_and_back_is_exact():
    rows, trans = blob(False), blob(True)
    assert convert(rows, transposed=True) == trans
    assert convert(trans, transposed=False) == rows


def test_cells_in_any_order_keep_their_order():
    assert convert(blob(False, positions=[2, 0, 1]), transposed=True) == blob(True, positions=[2, 0, 1])


def test_empty_sequence_passes_unchanged():
    empty = struct.pack("<IiII", MAGIC, 0, 1, 0)
    assert convert(empty, transposed=True) == empty


@pytest.mark.parametrize("bad, why", [
    (lambda b: b[:-3], "ends early"),
    (lambda b: b + b"\0\0\0\0", "not understood"),
    (lambda b: struct.pack("<I", 1234) + b[4:], "not a llama.cpp"),
])
def test_anything_unexpected_is_refused(bad, why):
    rows = blob(False)
    with pytest.raises(KVLayoutError, match=why):
        convert(bad(rows), transposed=True)


def test_quantized_v_and_the_same_layout_are_refused():
    q8 = blob(False, vtype=8)
    with pytest.raises(KVLayoutError, match="cannot be transposed"):
        convert(q8, transposed=True)
    rows = blob(False)
    with pytest.raises(KVLayoutError, match="already has that layout"):
        convert(rows, transposed=False)

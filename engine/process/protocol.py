"""Frames between the app (or CLI) and its engine process: a 4-byte length, then a pickle.

Both ends are Hushwrite's own code started by Hushwrite, over an anonymous pipe (the child's
stdin/stdout), so pickle carries our dataclasses (stats, results, options) as they are.
"""

from __future__ import annotations

import pickle
import struct
from typing import Any, BinaryIO

_HEADER = struct.Struct("<I")


class ChannelClosed(EOFError):
    """The other end went away (closed its pipe or died)."""


def send(stream: BinaryIO, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exact(stream: BinaryIO, n: int) -> bytes:
    chunks = []
    while n:
        chunk = stream.read(n)
        if not chunk:
            raise ChannelClosed("the pipe closed")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def receive(stream: BinaryIO) -> Any:
    (size,) = _HEADER.unpack(_read_exact(stream, _HEADER.size))
    return pickle.loads(_read_exact(stream, size))


class Callback:
    """Stands for a callable argument of the parent (e.g. generate_many's on_done): the child
    calls it back by name, the parent runs it in the caller's thread."""

    def __init__(self, name: str):
        self.name = name

"""The one input reader of the command line: a FILE argument or standard input, with the same
checks (missing, a folder, too large, empty, binary) and the same decoder for every tool."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from engine.errors import InputError

MAX_INPUT_BYTES = 50 * 1024 * 1024  # larger stdin/file input is refused with a clear message
_MB = 1024 * 1024


def _stdin(hint: str, limit: int = MAX_INPUT_BYTES) -> bytes:
    if sys.stdin is None or (sys.stdin.isatty() and not os.environ.get("HUSHWRITE_ALLOW_TTY")):
        raise InputError(f"no input: pass a FILE, or pipe text in ({hint})")
    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"standard input is larger than {limit // _MB} MB; split it first")
    return data


def _file(source: str, limit: int = MAX_INPUT_BYTES) -> bytes:
    path = Path(source)
    if not path.exists():
        raise InputError(f"file not found: {source}")
    if path.is_dir():
        raise InputError(f"{source} is a folder, not a text file")
    if path.stat().st_size > limit:
        raise InputError(f"{source} is larger than {limit // _MB} MB; split it first")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror}") from None


def _decode(data: bytes, name: str) -> str:
    from engine.documents.decoding import decode_text

    return decode_text(data, name)


def read_text(source: str, command: str = "proofread") -> str:
    """The text of FILE (or stdin for "-"): for proofreading and rewriting."""
    if source == "-":
        data, name = _stdin(f"echo 'text' | hushwrite {command}"), "standard input"
    else:
        data, name = _file(source), source
    text = _decode(data, name)
    if not text.strip():
        raise InputError(f"{name} is empty: there is no text to work on")
    return text


def read_document(source: str):
    """A Document: a file is read by the isolated document loader (txt, md, docx, pdf, html);
    stdin is plain text."""
    from engine.documents import load_document
    from engine.documents.loader import MAX_FILE_BYTES, check
    from engine.documents.text import document_from_text

    if source != "-":
        return load_document(source)
    data = _stdin("cat notes.txt | hushwrite summarize", MAX_FILE_BYTES)
    doc = document_from_text(_decode(data, "standard input"), "standard input")
    doc.format = "txt"
    return check(doc, "standard input")

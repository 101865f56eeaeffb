"""Pick the reader for a file by its extension, enforce the document policy, wrap every failure.

`load_document(path)` reads in a short-lived child process with memory, CPU and wall-clock
limits (engine/documents/isolation.py): a hostile file cannot take the caller down with it.
`parse_file(path)` is the same reading in this process; only that child (and the fuzzer) calls it.
The policy and its figures are in engine/documents/policy.py and docs/documents.md.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import HushwriteError, InputError
from .document import Document
from .policy import MAX_FILE_BYTES, MAX_TEXT_CHARS, POLICY, Limits, size

__all__ = ["SUPPORTED", "MAX_FILE_BYTES", "MAX_TEXT_CHARS", "load_document", "parse_file", "parse_bytes",
           "inspect_path", "check"]

SUPPORTED = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
    ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html",
}

_OURS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the engine package


def _reader(fmt: str):
    if fmt in ("txt", "md"):
        from .text import read_text
        return read_text
    if fmt == "docx":
        from .word import read_docx
        return read_docx
    if fmt == "pdf":
        from .pdf import read_pdf
        return read_pdf
    from .webpage import read_html
    return read_html


def load_document(path: str | Path, *, cancel=None, limits: Limits | None = None) -> Document:
    """Read a document in an isolated child process. Raises InputError with a readable message
    for anything wrong with it (over a limit included), Cancelled when `cancel` (an Event) is set."""
    from .isolation import load_isolated

    return load_isolated(path, limits or POLICY, cancel=cancel)


def inspect_path(path: str | Path, limits: Limits = POLICY) -> tuple[Path, str, str]:
    """Everything that can be told about a file without opening it: (path, format, name)."""
    p = Path(path)
    name = p.name or str(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError(f"file not found: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path} is a folder, not a document")
    if not stat.S_ISREG(st.st_mode):
        kind = "a named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode) else \
            "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else \
            "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file"
        raise InputError(f"{name} is {kind}, not a document file")
    fmt = SUPPORTED.get(p.suffix.lower())
    if fmt is None:
        kinds = ", ".join(sorted({k for k in SUPPORTED}))
        what = f"'{p.suffix}' files" if p.suffix else "files without an extension"
        raise InputError(f"{name}: {what} are not supported; use one of {kinds}")
    if st.st_size > limits.file_bytes:
        raise InputError(f"{name} is {size(st.st_size)}; the limit is {size(limits.file_bytes)}. Split it first")
    if st.st_size == 0:
        raise InputError(f"{name} is empty: there is no text to summarize")
    return p, fmt, name


def parse_file(path: str | Path, limits: Limits = POLICY) -> Document:
    """Read a document in this process (no isolation): the child process's work."""
    p, fmt, name = inspect_path(path, limits)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # swapped since it was looked at
                raise InputError(f"{name} is not a regular file, not a document file")
            data = f.read(limits.file_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > limits.file_bytes:
        raise InputError(f"{name} is over {size(limits.file_bytes)}, the limit. Split it first")
    doc = parse_bytes(data, fmt, name, limits)
    doc.path = str(p)
    return doc


def parse_bytes(data: bytes, fmt: str, name: str, limits: Limits = POLICY) -> Document:
    """Bytes of a known format to a Document, under the policy. Failures inside a parsing library
    on a damaged file become InputError; a failure in Hushwrite's own code is not hidden."""
    if not data:
        raise InputError(f"{name} is empty: there is no text to summarize")
    if fmt == "docx":
        from .zipcheck import check_zip

        check_zip(data, name, limits)
    try:
        doc = _reader(fmt)(data, name, limits)
    except HushwriteError:
        raise
    except RecursionError:
        raise InputError(f"{name} nests its contents too deeply to read safely; it is damaged or built "
                         "to break readers") from None
    except MemoryError:
        raise
    except Exception as exc:  # the parsers raise many types for damaged files
        if _raised_by_us(exc):
            raise
        raise InputError(f"{name} is damaged or is not a real .{fmt} file ({type(exc).__name__}: {str(exc)[:120]})") from None
    doc.format = fmt
    return check(doc, name, limits)


def _raised_by_us(exc: BaseException) -> bool:
    """True when the innermost Python frame of the traceback is Hushwrite's, not a library's."""
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    return last is not None and os.path.abspath(last).startswith(_OURS + os.sep)


def check(doc: Document, name: str, limits: Limits = POLICY) -> Document:
    """Refuse empty and over-long documents (shared by files and standard input)."""
    if not doc.text.strip():
        raise InputError(f"{name} is empty: there is no text to summarize")
    if len(doc.text) > limits.text_chars:
        words = len(doc.text.split())
        raise InputError(
            f"{name} has {words:,} words of text ({len(doc.text):,} characters); the limit is "
            f"{limits.text_chars:,} characters (about a million words). Split it first"
        )
    return doc

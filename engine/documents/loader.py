"""Pick the reader for a file by its extension, enforce the size policy, wrap every failure.

Policy: files up to 50 MB, extracted text up to 6 million characters (about a million words,
five times Moby-Dick). Bigger inputs are refused up front with a message that says the limit.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import HushwriteError, InputError
from .model import Document

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TEXT_CHARS = 6_000_000

SUPPORTED = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
    ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html",
}


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


def load_document(path: str | Path) -> Document:
    """Read a document. Raises InputError with a readable message for anything wrong with it."""
    p = Path(path)
    name = p.name or str(path)
    if not p.exists():
        raise InputError(f"file not found: {path}")
    if p.is_dir():
        raise InputError(f"{path} is a folder, not a document")
    fmt = SUPPORTED.get(p.suffix.lower())
    if fmt is None:
        kinds = ", ".join(sorted({k for k in SUPPORTED}))
        what = f"'{p.suffix}' files" if p.suffix else "files without an extension"
        raise InputError(f"{name}: {what} are not supported; use one of {kinds}")
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"{name} is {size / 2**20:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB. Split it first")
        if size == 0:
            raise InputError(f"{name} is empty: there is no text to summarize")
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        doc = _reader(fmt)(data, name)
    except HushwriteError:
        raise
    except Exception as exc:  # the parsers raise many types for damaged files
        raise InputError(f"{name} is damaged or is not a real .{fmt} file ({type(exc).__name__}: {str(exc)[:120]})") from None
    doc.path, doc.format = str(p), fmt
    return check(doc, name)


def check(doc: Document, name: str) -> Document:
    """Refuse empty and over-long documents (shared by files and standard input)."""
    if not doc.text.strip():
        raise InputError(f"{name} is empty: there is no text to summarize")
    if len(doc.text) > MAX_TEXT_CHARS:
        words = len(doc.text.split())
        raise InputError(
            f"{name} has {words:,} words of text; the limit is {MAX_TEXT_CHARS:,} characters "
            "(about a million words). Split it first"
        )
    return doc

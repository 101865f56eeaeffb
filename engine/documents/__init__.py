"""Read documents for summarizing: `load_document(path) -> Document`.

Formats: .txt/.text/.md/.markdown (encoding detected), .docx (python-docx), .pdf (pypdf),
.html/.htm (stdlib parser). Every problem a person can cause (missing file, unsupported type,
password, scan without text, corrupt or empty file, too large) is an `InputError` with a plain
message; nothing else escapes.
"""

from __future__ import annotations

from .loader import MAX_FILE_BYTES, MAX_TEXT_CHARS, SUPPORTED, load_document
from .model import Document, Section
from .structure import detect_headings

__all__ = ["Document", "Section", "load_document", "detect_headings", "SUPPORTED", "MAX_FILE_BYTES", "MAX_TEXT_CHARS"]

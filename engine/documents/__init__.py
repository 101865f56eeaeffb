"""Read documents for summarizing: `load_document(path) -> Document`.

Formats: .txt/.text/.md/.markdown (encoding detected), .docx (python-docx), .pdf (pypdf),
.html/.htm (stdlib parser). Every problem a person can cause (missing file, unsupported type,
password, scan without text, corrupt or empty file, over the document policy) is an `InputError`
with a plain message; nothing else escapes. Reading happens in a short-lived child process with
memory, CPU and wall-clock limits (isolation.py); the policy is in policy.py and docs/documents.md.
"""

from __future__ import annotations

from .loader import MAX_FILE_BYTES, MAX_TEXT_CHARS, SUPPORTED, load_document
from .document import Document, Section
from .policy import POLICY, Limits
from .structure import detect_headings

__all__ = ["Document", "Section", "load_document", "detect_headings", "SUPPORTED", "MAX_FILE_BYTES", "MAX_TEXT_CHARS",
           "Limits", "POLICY"]

"""The document policy: how big a document may be, checked before and while it is parsed.

Every figure is in docs/documents.md. A document over a limit is refused with a message that
gives its figure and the limit; nothing is ever cut short silently.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 2**20


@dataclass(frozen=True)
class Limits:
    # any file
    file_bytes: int = 50 * MB          # size on disk
    text_chars: int = 6_000_000        # extracted text (about a million words)
    # plain text and Markdown
    line_chars: int = 1_000_000        # one line
    # zip-based formats (.docx), read from the central directory before anything is unpacked
    zip_members: int = 1_000
    zip_total_bytes: int = 256 * MB    # all parts unpacked
    zip_member_bytes: int = 64 * MB    # one part unpacked
    zip_ratio: int = 100               # unpacked/packed, for parts over zip_ratio_floor
    zip_ratio_floor: int = 1 * MB
    # PDFs
    pdf_pages: int = 10_000
    pdf_objects: int = 500_000
    pdf_depth: int = 64                # page tree and outline nesting
    # the reading process
    seconds: float = 120.0             # wall clock
    cpu_seconds: int = 120
    memory_bytes: int = 1536 * MB      # address space of the reader process


POLICY = Limits()

# The names the rest of the engine already uses.
MAX_FILE_BYTES = POLICY.file_bytes
MAX_TEXT_CHARS = POLICY.text_chars


def size(n: float) -> str:
    """Bytes as a person reads them: '1.5 GB', '200 MB', '12 KB'."""
    for unit, scale in (("GB", 2**30), ("MB", MB), ("KB", 2**10)):
        if n >= scale:
            value = n / scale
            return f"{value:.1f} {unit}" if value < 10 and value != int(value) else f"{value:.0f} {unit}"
    return f"{int(n)} bytes"

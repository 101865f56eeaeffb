"""Build hostile documents for real, fast: zip bombs, oversized parts, crowded archives, crafted
PDFs, a giant line, UTF-16 without a byte-order mark. Used by test_hostile.py and
benchmarks/hostile_documents.py.

A large deflate stream is written without compressing its whole length: one chunk is compressed
once and ends with a full flush, which resets the compressor, so the same bytes encode every copy
of that chunk. The CRC is computed over the real expanded bytes, so each archive is genuine.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib

from pdfmaker import _assemble, _stream, text_pdf

MB = 2**20
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _template_parts() -> list[tuple[str, bytes]]:
    """The three parts of a minimal real .docx (python-docx and Word open it)."""
    ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/'
          'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
          'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"'
          '/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '</Relationships>')
    body = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}"><w:body>'
            '<w:p><w:r><w:t>A real document body.</w:t></w:r></w:p></w:body></w:document>')
    return [("[Content_Types].xml", ct.encode()), ("_rels/.rels", rels.encode()), ("word/document.xml", body.encode())]


def _deflated(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _repeated(head: bytes, chunk: bytes, copies: int, tail: bytes, level: int = 9) -> tuple[bytes, int, int]:
    """Raw deflate of head + chunk*copies + tail, with its CRC-32 and expanded size."""
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    last = c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(copies):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return first + block * copies + last, crc & 0xFFFFFFFF, len(head) + len(chunk) * copies + len(tail)


def write_zip(path, members: list[tuple[str, bytes, int, int]]) -> None:
    """A zip of already-deflated members: (name, raw deflate, crc, expanded size)."""
    with open(path, "wb") as f:
        central = bytearray()
        for name, raw, crc, usize in members:
            offset = f.tell()
            n = name.encode()
            f.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(raw), usize, len(n), 0))
            f.write(n)
            f.write(raw)
            central += struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(raw), usize,
                                   len(n), 0, 0, 0, 0, 0, offset) + n
        start = f.tell()
        f.write(central)
        f.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), start, 0))


def _docx_with_body(path, chunk: bytes, copies: int, level: int = 9) -> None:
    head = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}"><w:body>').encode()
    tail = b"</w:body></w:document>"
    members = []
    for name, data in _template_parts():
        if name == "word/document.xml":
            members.append((name, *_repeated(head, chunk, copies, tail, level)))
        else:
            members.append((name, _deflated(data), zlib.crc32(data), len(data)))
    write_zip(path, members)


def docx_bomb(path, expanded: int = 1536 * MB) -> None:
    """word/document.xml expands to `expanded` bytes of paragraphs (1.5 GB by default)."""
    para = b"<w:p><w:r><w:t>All work and no play makes a dull document. </w:t></w:r></w:p>"
    chunk = para * (MB // len(para))
    _docx_with_body(path, chunk, expanded // len(chunk))


def docx_big_member(path, expanded: int = 200 * MB) -> None:
    """One part of `expanded` bytes that packs only ~6 to 1: no zip bomb, just too big."""
    r = random.Random(7)
    words = ["".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(r.randint(2, 9))) for _ in range(32)]
    text = " ".join(r.choice(words) for _ in range(180_000)).encode()[:MB - 40]
    chunk = b"<w:p><w:r><w:t>" + text + b"</w:t></w:r></w:p>"
    _docx_with_body(path, chunk, expanded // len(chunk), level=6)


def docx_many_members(path, count: int = 5000) -> None:
    """A real .docx plus `count` tiny extra parts."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in _template_parts():
            z.writestr(name, data)
        for i in range(count):
            z.writestr(f"word/media/image{i}.png", b"\x89PNG" + bytes([i % 256]) * 16)


def pdf_nested(depth: int = 200_000) -> bytes:
    """A page whose resources hold an array nested `depth` levels deep."""
    nest = b"[" * depth + b"1" + b"]" * depth
    return _assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> /Deep "
        + nest + b" >> /Contents 4 0 R >>",
        _stream(b"BT /F1 11 Tf 50 780 Td (Deep) Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def pdf_self_referencing() -> bytes:
    """The page tree lists itself as its own child, the page is its own parent, and the page's
    form XObject draws itself."""
    return _assemble([
        b"<< /Type /Catalog /Pages 2 0 R /Outlines 6 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 /Parent 2 0 R >>",
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /X 5 0 R >> >> /Contents 4 0 R >>",
        _stream(b"/X Do"),
        _stream(b"/X Do", "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X 5 0 R >> >> "),
        b"<< /Type /Outlines /First 7 0 R /Last 7 0 R >>",
        b"<< /Title (Loop) /Parent 6 0 R /First 7 0 R /Next 7 0 R /Dest [3 0 R /Fit] >>",
    ])


def pdf_outline_and_form_loops() -> bytes:
    """A sound page tree, but the outline item is its own child and sibling and the page's form
    XObject draws itself."""
    return _assemble([
        b"<< /Type /Catalog /Pages 2 0 R /Outlines 6 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 8 0 R >> "
        b"/XObject << /X 5 0 R >> >> /Contents 4 0 R >>",
        _stream(b"BT /F1 11 Tf 50 780 Td (Minutes of the meeting.) Tj ET /X Do"),
        _stream(b"/X Do BT /F1 11 Tf 50 700 Td (again) Tj ET",
                "/Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources << /Font << /F1 8 0 R >> "
                "/XObject << /X 5 0 R >> >> "),
        b"<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>",
        b"<< /Title (Loop) /Parent 6 0 R /First 7 0 R /Next 7 0 R /Dest [3 0 R /Fit] >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def pdf_ten_million_pages() -> bytes:
    """A page tree whose /Count claims 10,000,000 pages (it holds one)."""
    return _assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 10000000 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        _stream(b"BT /F1 11 Tf 50 780 Td (One page) Tj ET"),
    ])


def pdf_truncated() -> bytes:
    """A real three-page text PDF cut off in the middle of its second page."""
    full = text_pdf([[f"Page {n} of the minutes, line {i}." for i in range(30)] for n in (1, 2, 3)])
    return full[: len(full) // 2]


def one_line_text(path, length: int) -> None:
    with open(path, "wb") as f:
        block = b"word " * (MB // 5)
        left = length
        while left > 0:
            f.write(block[:left])
            left -= len(block)


UTF16_TEXT = "Chère Amélie,\n\nLe café était très bon. Nous avons goûté les crêpes près de la fenêtre.\n"


def utf16_without_bom() -> bytes:
    return UTF16_TEXT.encode("utf-16-le")


def html_unclosed_attributes(copies: int = 10_000) -> bytes:
    """60 KB of tags that never close their attribute: the stdlib parser rescans it quadratically."""
    return b'<html><body><p>Start.</p>' + b'<a b="' * copies


def markdown_spaced_heading(spaces: int = 900_000) -> bytes:
    """A heading line with 900,000 spaces inside its title (a backtracking regex's worst case)."""
    return b"# Title" + b" " * spaces + b"end\n\nBody text.\n"

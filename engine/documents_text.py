"""Decode bytes of unknown encoding into text (files, stdin, clipboard dumps)."""

from __future__ import annotations

from .errors import InputError


def utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the zero bytes sit in every other position the way text
    in UTF-16 without a byte-order mark has them (mostly Latin script), else None."""
    pairs = len(sample) // 2
    if pairs < 4:
        return None
    even = sample[0:pairs * 2:2].count(0)
    odd = sample[1:pairs * 2:2].count(0)
    if odd >= 0.4 * pairs and even <= 0.02 * pairs:
        return "utf-16-le"
    if even >= 0.4 * pairs and odd <= 0.02 * pairs:
        return "utf-16-be"
    return None


def decode_text(data: bytes, name: str = "the input") -> str:
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = utf16_without_bom(data[:8192])
        if enc is None:
            raise InputError(f"{name} looks like a binary file, not text")
        try:
            return data[: len(data) // 2 * 2].decode(enc)
        except UnicodeDecodeError:
            raise InputError(f"{name} looks like UTF-16 text without a byte-order mark but does not decode "
                             "as it; save it as UTF-8 and try again") from None
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None:
            return str(best)
    except Exception:
        pass
    return data.decode("latin-1")

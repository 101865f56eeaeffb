"""The one text decoder: bytes of unknown encoding (files, standard input, web pages) into text.
Every reader of text input uses it, so a file decodes the same way for every tool."""

from __future__ import annotations

from ..errors import InputError

# When charset detection ties, the encoding most Western documents really use wins
# (charset_normalizer otherwise may pick cp1250 for French text and turn "è" into "č").
_PREFERRED = ("cp1252", "iso8859_15", "latin_1")


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
    """`data` as text: by its byte-order mark, as UTF-16 without one, as UTF-8, else the most
    likely single-byte encoding (Western ones first on a tie), else Latin-1."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _utf16_without_bom(data, name)
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _guessed(data)


def _utf16_without_bom(data: bytes, name: str) -> str:
    enc = utf16_without_bom(data[:8192])
    if enc is None:
        raise InputError(f"{name} looks like a binary file, not text")
    try:
        return data[: len(data) // 2 * 2].decode(enc)
    except UnicodeDecodeError:
        raise InputError(f"{name} looks like UTF-16 text without a byte-order mark but does not decode "
                         "as it; save it as UTF-8 and try again") from None


def _guessed(data: bytes) -> str:
    from charset_normalizer import from_bytes

    try:
        matches = list(from_bytes(data))  # best first
    except Exception:  # noqa: BLE001 - a detector failure leaves the Latin-1 reading
        matches = []
    if matches:
        least = min(m.chaos for m in matches)
        tied = [m for m in matches if m.chaos <= least + 0.005]
        for enc in _PREFERRED:
            for m in tied:
                if m.encoding == enc:
                    return str(m)
        return str(matches[0])
    return data.decode("latin-1")

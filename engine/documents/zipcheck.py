"""Refuse a zip-based document (.docx) by its central directory, before any part is unpacked.

The end record gives the member count without building an entry per member; then the central
directory gives each part's packed and unpacked size. Those claims bound what the parser can
unpack: Python's zipfile stops at the claimed size and a part that lies fails its CRC check.
"""

from __future__ import annotations

import io
import struct
import zipfile

from ..errors import InputError
from .policy import Limits, size

_END = b"PK\x05\x06"
_END64_LOCATOR = b"PK\x06\x07"
_END64 = b"PK\x06\x06"


def member_count(data: bytes) -> int | None:
    """Members the end-of-central-directory record claims, or None when there is no such record."""
    at = data.rfind(_END, max(0, len(data) - 22 - 65535))
    if at < 0 or at + 22 > len(data):
        return None
    count = struct.unpack_from("<H", data, at + 10)[0]
    if count != 0xFFFF:
        return count
    loc = at - 20
    if loc < 0 or data[loc:loc + 4] != _END64_LOCATOR:
        return count
    rec = struct.unpack_from("<Q", data, loc + 8)[0]
    if rec + 56 > len(data) or data[rec:rec + 4] != _END64:
        return None
    return struct.unpack_from("<Q", data, rec + 32)[0]


def check_zip(data: bytes, name: str, limits: Limits) -> None:
    """Raise InputError when the archive is over the policy; say nothing otherwise."""
    count = member_count(data)
    if count is not None and count > limits.zip_members:
        raise InputError(f"{name} holds {count:,} parts; the limit is {limits.zip_members:,}. "
                         "It is not a document Hushwrite can open safely")
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, struct.error, OSError, EOFError) as exc:
        raise InputError(f"{name} is damaged or is not a real .docx file ({type(exc).__name__}: {str(exc)[:120]})") from None
    if len(infos) > limits.zip_members:
        raise InputError(f"{name} holds {len(infos):,} parts; the limit is {limits.zip_members:,}. "
                         "It is not a document Hushwrite can open safely")
    total = sum(i.file_size for i in infos)
    if total > limits.zip_total_bytes:
        raise InputError(f"{name} expands to {size(total)} when unpacked ({size(len(data))} on disk); "
                         f"the limit is {size(limits.zip_total_bytes)}. It is not a document Hushwrite can open safely")
    for i in infos:
        if i.file_size > limits.zip_member_bytes:
            raise InputError(f"{name}: its part {i.filename} unpacks to {size(i.file_size)}; "
                             f"the limit for one part is {size(limits.zip_member_bytes)}")
        ratio = i.file_size / max(i.compress_size, 1)
        if i.file_size > limits.zip_ratio_floor and ratio > limits.zip_ratio:
            raise InputError(f"{name}: its part {i.filename} is packed {ratio:,.0f} to 1 "
                             f"({size(i.compress_size)} unpacking to {size(i.file_size)}); the limit is "
                             f"{limits.zip_ratio} to 1, so it looks like a zip bomb")

"""The icons and the .desktop file in assets/ are well-formed (fast; no bundle needed)."""

from __future__ import annotations

import configparser
import struct
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "assets"


def png_size(blob: bytes) -> tuple[int, int]:
    assert blob[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert blob[12:16] == b"IHDR"
    return struct.unpack(">II", blob[16:24])


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256, 512, 1024])
def test_png_icons_have_the_size_in_their_name(size):
    w, h = png_size((ASSETS / f"hushwrite-{size}.png").read_bytes())
    assert (w, h) == (size, size)


def test_ico_holds_every_windows_size_as_png():
    blob = (ASSETS / "hushwrite.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", blob[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        w, h, _colors, _res, planes, bpp, length, offset = struct.unpack("<BBBBHHII", blob[6 + 16 * i: 22 + 16 * i])
        pw, ph = png_size(blob[offset:offset + length])
        assert (pw, ph) == (w or 256, h or 256)
        assert offset + length <= len(blob) and bpp == 32 and planes == 1
        sizes.append(pw)
    assert sorted(sizes) == [16, 24, 32, 48, 64, 128, 256]


def test_icns_entries_are_pngs_of_the_declared_sizes():
    blob = (ASSETS / "hushwrite.icns").read_bytes()
    assert blob[:4] == b"icns" and struct.unpack(">I", blob[4:8])[0] == len(blob)
    expected = {b"icp4": 16, b"icp5": 32, b"icp6": 64, b"ic07": 128, b"ic08": 256, b"ic09": 512, b"ic10": 1024,
                b"ic11": 32, b"ic12": 64, b"ic13": 256, b"ic14": 512}
    seen, pos = {}, 8
    while pos < len(blob):
        kind, length = blob[pos:pos + 4], struct.unpack(">I", blob[pos + 4:pos + 8])[0]
        seen[kind] = png_size(blob[pos + 8:pos + length])[0]
        pos += length
    assert pos == len(blob)
    assert seen == expected


def test_desktop_entry_starts_hushwrite_with_its_icon():
    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str
    cp.read(ASSETS / "hushwrite.desktop", encoding="utf-8")
    entry = cp["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "hushwrite" and entry["Icon"] == "hushwrite"
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    assert cp["Desktop Action Tray"]["Exec"] == "hushwrite --tray"

"""app/icons.py: the window and the tray find the same assets/ PNGs (source checkout or a
PyInstaller bundle's folder), and the tray still gets an icon where assets/ is missing."""

from __future__ import annotations

import sys
from pathlib import Path

from app import icons

ROOT = Path(__file__).resolve().parents[2]


def test_the_source_checkout_icons_are_found(qapp):
    assert icons.icon_path(256) == ROOT / "assets" / "hushwrite-256.png"
    icon = icons.app_icon()
    assert not icon.isNull() and icon.availableSizes()[0].width() == 64


def test_a_bundle_folder_comes_first(tmp_path, monkeypatch):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "hushwrite-256.png").write_bytes((ROOT / "assets" / "hushwrite-256.png").read_bytes())
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert icons.icon_path(256) == tmp_path / "assets" / "hushwrite-256.png"
    assert icons.icon_path(64) == ROOT / "assets" / "hushwrite-64.png"  # not in the bundle: the checkout's


def test_without_assets_the_tray_draws_its_icon(qapp, tmp_path, monkeypatch):
    monkeypatch.setattr(icons, "asset_roots", lambda: [tmp_path])
    assert icons.icon_path(256) is None
    icon = icons.app_icon()
    assert not icon.isNull() and icon.availableSizes()[0].width() == 32

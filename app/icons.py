"""Hushwrite's icon for the window and the tray: the PNGs in assets/ (drawn by
packaging/make_icons.py), found in a PyInstaller bundle or a source checkout.

    icon_path(256) -> Path | None     # assets/hushwrite-256.png, if this installation has it
    app_icon() -> QIcon               # for the tray; a drawn stand-in where assets/ is missing
"""

from __future__ import annotations

import sys
from pathlib import Path

TRAY_SIZES = (64, 32)


def asset_roots() -> list[Path]:
    """Where assets/ can be: the bundle's folder (frozen), then the source checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    return ([Path(bundle)] if bundle else []) + [Path(__file__).resolve().parents[1]]


def icon_path(size: int = 256) -> Path | None:
    for root in asset_roots():
        path = root / "assets" / f"hushwrite-{size}.png"
        if path.is_file():
            return path
    return None


def app_icon():
    """The icon as a QIcon: the first of TRAY_SIZES found, else a blue disc (an installed wheel
    has no assets/, and a tray entry without an icon is invisible)."""
    from .qt import QColor, QIcon, QPainter, QPixmap, Qt

    for size in TRAY_SIZES:
        if (path := icon_path(size)) is not None:
            return QIcon(str(path))
    pix = QPixmap(32, 32)
    pix.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pix)
    painter.setBrush(QColor("#3b5bdb"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(2, 2, 28, 28)
    painter.end()
    return QIcon(pix)

"""Draw Hushwrite's application icon with QPainter and write every format the platforms need.

    python packaging/make_icons.py            # writes into assets/
    python packaging/make_icons.py --check    # exit 1 when assets/ differs from a fresh drawing

Outputs (all drawn here, no third-party artwork):
  assets/hushwrite-{16,24,32,48,64,128,256,512,1024}.png   PNG at each size (tray, window, Linux)
  assets/hushwrite.ico    Windows icon: 16..256 px, PNG-compressed entries (Vista+ format)
  assets/hushwrite.icns   macOS icon: PNG entries (ic04..ic14), readable by iconutil and Finder
  assets/hushwrite.svg    the same design as a scalable SVG (Linux icon themes)

The design: a rounded indigo square, three lines of "text" and a pen nib; the lowest line is
shorter and ends in a dot (the quiet, local "hush"). Small sizes drop the nib for legibility.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, by pixel size (ic11..ic14 are the @2x "retina" slots)
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
    (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512),
)
TOP, BOTTOM = "#5b5bd6", "#2e2a7a"  # indigo gradient
INK = "#ffffff"
ACCENT = "#ffcf5c"


def draw(size: int) -> QImage:
    img = QImage(size, size, QImage.Format_ARGB32_Premultiplied)
    img.fill(Qt.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.Antialiasing, True)
    s = size / 100.0  # design on a 100x100 grid
    margin = 0 if size <= 24 else 4
    body = QRectF(margin * s, margin * s, (100 - 2 * margin) * s, (100 - 2 * margin) * s)
    grad = QLinearGradient(body.topLeft(), body.bottomLeft())
    grad.setColorAt(0.0, QColor(TOP))
    grad.setColorAt(1.0, QColor(BOTTOM))
    p.setPen(Qt.NoPen)
    p.setBrush(QBrush(grad))
    p.drawRoundedRect(body, 22 * s, 22 * s)

    # three lines of text; thicker at small sizes so they survive down-scaling
    stroke = (9 if size <= 24 else 7) * s
    pen = QPen(QColor(INK), stroke, Qt.SolidLine, Qt.RoundCap)
    p.setPen(pen)
    left = 22 * s
    small = size <= 32
    rights = (78, 78, 52) if small else (60, 66, 44)
    for i, y in enumerate((32, 50, 68)):
        p.drawLine(QPointF(left, y * s), QPointF(rights[i] * s, y * s))
    # the hush dot
    p.setPen(Qt.NoPen)
    p.setBrush(QColor(ACCENT))
    r = (7 if small else 5.5) * s
    p.drawEllipse(QPointF((rights[2] + (14 if small else 12)) * s, 68 * s), r, r)

    if not small:  # pen nib, tilted, at the right edge of the text
        nib = QPainterPath()
        nib.moveTo(0, -20)
        nib.lineTo(7, -4)
        nib.lineTo(0, 12)
        nib.lineTo(-7, -4)
        nib.closeSubpath()
        p.save()
        p.translate(74 * s, 44 * s)
        p.rotate(35)
        p.scale(s, s)
        p.setBrush(QColor(INK))
        p.drawPath(nib)
        p.setBrush(QColor(BOTTOM))
        p.drawEllipse(QPointF(0, -3), 2.2, 2.2)
        p.setPen(QPen(QColor(BOTTOM), 1.4))
        p.drawLine(QPointF(0, -1), QPointF(0, 12))
        p.restore()
    p.end()
    return img


def png_bytes(img: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.WriteOnly)
    if not img.save(buf, "PNG"):
        raise RuntimeError("PNG encoding failed")
    buf.close()
    return bytes(data)


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """ICONDIR + ICONDIRENTRY per size, each image stored as PNG (valid since Windows Vista)."""
    sizes = [s for s in ICO_SIZES if s in pngs]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = b"", b""
    for s in sizes:
        blob = pngs[s]
        dim = 0 if s >= 256 else s  # 0 means 256 in the ICO directory
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    body = b""
    for kind, size in ICNS_TYPES:
        blob = pngs[size]
        body += kind + struct.pack(">I", 8 + len(blob)) + blob
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="256" height="256">
  <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="{top}"/><stop offset="1" stop-color="{bottom}"/></linearGradient></defs>
  <rect x="4" y="4" width="92" height="92" rx="22" fill="url(#g)"/>
  <g stroke="{ink}" stroke-width="7" stroke-linecap="round">
    <line x1="22" y1="32" x2="60" y2="32"/><line x1="22" y1="50" x2="66" y2="50"/><line x1="22" y1="68" x2="44" y2="68"/>
  </g>
  <circle cx="56" cy="68" r="5.5" fill="{accent}"/>
  <g transform="translate(74 44) rotate(35)">
    <path d="M0 -20 L7 -4 L0 12 L-7 -4 Z" fill="{ink}"/>
    <circle cx="0" cy="-3" r="2.2" fill="{bottom}"/>
    <line x1="0" y1="-1" x2="0" y2="12" stroke="{bottom}" stroke-width="1.4"/>
  </g>
</svg>
""".format(top=TOP, bottom=BOTTOM, ink=INK, accent=ACCENT)


def render_all() -> dict[str, bytes]:
    pngs = {size: png_bytes(draw(size)) for size in PNG_SIZES}
    files = {f"hushwrite-{size}.png": blob for size, blob in pngs.items()}
    files["hushwrite.ico"] = ico_bytes(pngs)
    files["hushwrite.icns"] = icns_bytes(pngs)
    files["hushwrite.svg"] = SVG.encode()
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ASSETS)
    ap.add_argument("--check", action="store_true", help="compare with the files in --out instead of writing")
    args = ap.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    files = render_all()
    if args.check:
        stale = [n for n, b in files.items() if not (args.out / n).exists() or (args.out / n).read_bytes() != b]
        for n in stale:
            print(f"stale: {args.out / n}", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, blob in files.items():
        (args.out / name).write_bytes(blob)
        print(f"wrote {args.out / name} ({len(blob)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

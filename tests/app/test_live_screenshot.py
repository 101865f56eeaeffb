"""Live underlines and the hover card, drawn by a real X server (Xvfb), saved as docs/live-check.png."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app.test_screenshot import xvfb  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parents[2]
SHOT = ROOT / "docs" / "live-check.png"

pytestmark = [pytest.mark.x11, pytest.mark.slow]


def test_screenshot_of_live_underlines(xvfb, tmp_path):  # noqa: F811
    from PySide6.QtGui import QImage

    out = tmp_path / "live.png"
    env = {**os.environ, "DISPLAY": xvfb, "QT_QPA_PLATFORM": "xcb", "HUSHWRITE_DATA_DIR": str(tmp_path / "data")}
    run = subprocess.run([sys.executable, str(ROOT / "tests/app/scene_live.py"), str(out)], env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-2000:]
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    colours = {image.pixel(x, y) for x in range(0, 1280, 5) for y in range(0, 800, 5)}
    assert len(colours) > 50
    SHOT.parent.mkdir(exist_ok=True)
    shutil.copyfile(out, SHOT)

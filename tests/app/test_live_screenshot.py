"""Live underlines and the hover card, drawn under Xvfb when it is installed, else by Qt's offscreen
platform (widget.grab()); saved as docs/live-check.png."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOT = ROOT / "docs" / "live-check.png"

pytestmark = [pytest.mark.slow]


from tests.app.test_screenshot import xvfb  # noqa: E402,F401 - the Xvfb fixture


@pytest.fixture()
def display(request):
    """An Xvfb display when Xvfb is installed, else None (offscreen rendering)."""
    return request.getfixturevalue("xvfb") if shutil.which("Xvfb") else None


def test_screenshot_of_live_underlines(display, tmp_path):
    from PySide6.QtGui import QImage

    out = tmp_path / "live.png"
    env = {**os.environ, "HUSHWRITE_DATA_DIR": str(tmp_path / "data")}
    env.update({"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"} if display else {"QT_QPA_PLATFORM": "offscreen"})
    run = subprocess.run([sys.executable, str(ROOT / "tests/app/scene_live.py"), str(out)], env=env,
                         capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stderr[-2000:]
    image = QImage(str(out))
    assert image.width() >= 1000 and image.height() >= 600
    colours = {image.pixel(x, y) for x in range(0, image.width(), 5) for y in range(0, image.height(), 5)}
    assert len(colours) > 50
    SHOT.parent.mkdir(exist_ok=True)
    shutil.copyfile(out, SHOT)

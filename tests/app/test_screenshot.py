"""The window with a proofread review, drawn by a real X server (Xvfb) and saved as docs/screenshot.png."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOT = ROOT / "docs" / "screenshot.png"

pytestmark = [pytest.mark.x11, pytest.mark.slow]


@pytest.fixture()
def xvfb():
    if not shutil.which("Xvfb"):
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    display = next(n for n in range(91, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists()
                   and not Path(f"/tmp/.X{n}-lock").exists())
    proc = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sock = Path(f"/tmp/.X11-unix/X{display}")
    deadline = time.monotonic() + 10
    while not sock.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    if not sock.exists():
        proc.kill()
        pytest.fail(f"Xvfb did not start on :{display}")
    yield f":{display}"
    proc.terminate()
    proc.wait(10)


def test_screenshot_with_proofread_review(xvfb, tmp_path):
    from PySide6.QtGui import QImage

    out = tmp_path / "screenshot.png"
    env = {**os.environ, "DISPLAY": xvfb, "QT_QPA_PLATFORM": "xcb", "HUSHWRITE_DATA_DIR": str(tmp_path / "data")}
    run = subprocess.run([sys.executable, str(ROOT / "tests/app/scene_review.py"), str(out)], env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    # a real drawing, not a blank screen: many distinct colours, incl. the review's red and green marks
    colours = {image.pixel(x, y) for x in range(0, 1280, 7) for y in range(0, 800, 7)}
    assert len(colours) > 50
    SHOT.parent.mkdir(exist_ok=True)
    shutil.copyfile(out, SHOT)  # the artifact the README shows

"""`hushwrite` with no subcommand on a machine with no screen: a clear message, not a Qt abort."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hushwrite.cli.app import display_problem

ROOT = Path(__file__).resolve().parents[3]


def test_no_display_is_explained_with_exit_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(PYTHONPATH=str(ROOT), HUSHWRITE_DATA_DIR=str(tmp_path))
    p = subprocess.run([sys.executable, "-m", "hushwrite"], capture_output=True, text=True, env=env, timeout=60)
    if sys.platform.startswith("linux"):
        assert p.returncode == 2
        assert "no graphical display" in p.stderr and "Traceback" not in p.stderr


def test_display_detection_rules():
    assert display_problem({}, "linux")
    assert display_problem({"DISPLAY": ":1"}, "linux") is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({}, "darwin") is None and display_problem({}, "win32") is None

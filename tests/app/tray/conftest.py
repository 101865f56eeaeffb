"""Fixture `xserver`: a private Xvfb with a tray host (trayer), torn down after the module."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from xharness import XServer, missing_tools  # noqa: E402


@pytest.fixture(scope="module")
def xserver(tmp_path_factory):
    missing = missing_tools()
    if missing:
        pytest.fail(f"X11 test tools missing: {', '.join(missing)} (apt-get install xvfb trayer xdotool xclip)")
    server = XServer(tmp_path_factory.mktemp("x11"))
    yield server
    server.close()

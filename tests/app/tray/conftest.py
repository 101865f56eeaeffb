"""Fixtures: `xserver`, a private Xvfb with a tray host (trayer), torn down after the module; `flow`,
the tray's QuickFlow on the real engine (`ctx`) with a popup that waits for a choice."""

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


@pytest.fixture()
def flow(qtbot, ctx):
    from app.settings import TraySettings
    from app.tray.quick_flow import QuickFlow

    f = QuickFlow(ctx, TraySettings(start_last_tool=False))
    qtbot.addWidget(f.popup)
    yield f
    f.close()
    if f._job is not None:
        f._job.cancel()
        qtbot.waitUntil(lambda: f._job is None or f._job.done, timeout=10000)

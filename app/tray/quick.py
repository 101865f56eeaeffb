"""`hushwrite quick` (bind it to a desktop shortcut, e.g. on Wayland) and a tray-only runner.

    run_quick(args) -> int   # ask the running tray to start a quick rewrite; if none runs,
                             # do one here (load the model, capture, popup, paste) and exit
    run_tray(args) -> int    # the tray alone: `python -m app.tray` (what `hushwrite --tray` does
                             # when app/main.py has no window to show)
Exit codes: 0 done (or handed to the running tray), 3 the model could not load.
"""

from __future__ import annotations

import argparse

from ..event_loop import application, run_event_loop


def run_quick(args: argparse.Namespace | None = None) -> int:
    args = args or argparse.Namespace()
    app = application()
    from .ipc import hand_to_running_tray

    if hand_to_running_tray():
        return 0
    from app.context import AppContext
    from app.settings import TraySettings

    from . import events
    from .quick_flow import QuickFlow

    ctx = AppContext(args)
    ctx.start()
    flow = QuickFlow(ctx, TraySettings.load())
    flow.notice.connect(lambda message: events.log("notice", problem=message))
    flow.flow_ended.connect(app.quit)
    flow.quick("command")
    try:
        run_event_loop(app)
    finally:
        ctx.shutdown()
    return 0


def run_tray(args: argparse.Namespace | None = None) -> int:
    args = args or argparse.Namespace()
    app = application()
    from app.context import AppContext

    from .controller import install_tray

    ctx = AppContext(args)
    ctx.start()
    controller = install_tray(ctx)
    controller.open_main_requested.connect(
        lambda: controller.notify("Run `hushwrite` to open the main window; the tray keeps running.")
    )
    try:
        return run_event_loop(app)
    finally:
        controller.close()
        ctx.shutdown()

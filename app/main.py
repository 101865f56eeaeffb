"""`hushwrite` with no subcommand: open the window (or start in the tray with --tray).

Process start to window shown must stay under a second, so nothing here imports llama_cpp:
the model loads in the engine thread after the window is on screen.
"""

from __future__ import annotations

import json
import os
import sys
import time

PROBE_ENV = "HUSHWRITE_STARTUP_PROBE"  # benchmarks: report "window shown" + idle RSS, then quit


def rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
    except (ImportError, OSError):
        return 0.0


def _probe(app, window) -> None:
    """Print when the window is shown, and the resident memory once the event loop is idle."""
    from .qt import QTimer

    def shown() -> None:
        t = time.time()
        QTimer.singleShot(500, lambda: (print(json.dumps({"shown_at": t, "idle_rss_mb": round(rss_mb(), 1)}),
                                              flush=True), app.quit()))

    window.shown.connect(shown)


def install_tray(ctx, app):
    """The tray (app/tray), or None when it cannot start here."""
    from .tray import install_tray as install

    try:
        controller = install(ctx)
    except Exception as exc:  # noqa: BLE001 - a broken tray must not take the window down
        print(f"hushwrite: the tray could not start ({type(exc).__name__}: {exc})", file=sys.stderr)
        return None
    controller.open_main_requested.connect(ctx.show_window)
    controller.settings_requested.connect(lambda: ctx.show_window().open_settings())
    controller.quit_requested.connect(app.quit)
    return controller


def run(args) -> int:
    from .event_loop import application, run_event_loop
    from .qt import QTimer

    app = application()
    app.setApplicationName("Hushwrite")
    app.setOrganizationName("Hushwrite")
    app.setDesktopFileName("hushwrite")

    from . import theme
    from .context import AppContext
    from .main_window import MainWindow
    from .settings import Settings

    settings = Settings.load()
    active_theme = theme.install(app, settings.theme)
    ctx = AppContext(args, settings)
    ctx.window_factory = lambda: MainWindow(ctx, active_theme)
    probing = bool(os.environ.get(PROBE_ENV))

    if getattr(args, "tray", False) and not probing:
        ctx.tray = install_tray(ctx, app)
        if ctx.tray is None:  # the tray could not start on this desktop: the window is the way in
            ctx.show_window().statusBar().showMessage("The system tray is not available: showing the window.")
    else:
        ctx.window = ctx.window_factory()
        if probing:
            _probe(app, ctx.window)
        ctx.show_window()
        if not probing:  # the tray (global hotkey, quick actions) comes up once the window is shown
            QTimer.singleShot(0, lambda: setattr(ctx, "tray", install_tray(ctx, app)))
    if not probing:
        QTimer.singleShot(0, ctx.start)  # the model loads after the window is on screen

    try:
        return run_event_loop(app)
    finally:
        ctx.shutdown()

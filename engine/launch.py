"""Start the desktop app from the CLI entry point (kept out of cli.py so the CLI never imports Qt)."""

from __future__ import annotations

import os
import sys

from .errors import HushwriteError, InputError


def display_problem(env=os.environ, platform: str = sys.platform) -> str | None:
    """Why the window cannot open here, or None. Qt aborts the process (no exception) when it
    finds no display, so we look first and say it in plain words."""
    if not platform.startswith("linux") and "bsd" not in platform:
        return None
    if env.get("QT_QPA_PLATFORM") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return (
        "no graphical display found (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window cannot open. "
        "The tools work without one: echo 'some text' | hushwrite proofread (see hushwrite --help); "
        "QT_QPA_PLATFORM=offscreen runs the app without a screen"
    )


def launch_app(args) -> int:
    problem = display_problem()
    if problem:
        raise InputError(problem)
    try:
        from app.main import run
    except ImportError as exc:
        raise HushwriteError(f"the desktop app is not available ({exc}); use a subcommand, see `hushwrite --help`") from None
    return run(args)

"""The commands that hand over to the desktop app: no subcommand opens the window (or the tray with
--tray); `quick` runs the quick rewrite of the selected text. Qt is imported only when they run."""

from __future__ import annotations

import os
import sys

from engine.errors import InputError


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
    from app.main import run

    return run(args)


def register(subparsers) -> None:
    q = subparsers.add_parser(
        "quick",
        help="quick rewrite of the selected text (bind this to a desktop shortcut, e.g. on Wayland)",
    )
    q.set_defaults(func=_cmd_quick)


def _cmd_quick(args) -> int:
    from app.tray import run_quick

    return run_quick(args)

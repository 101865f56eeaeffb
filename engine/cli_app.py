"""CLI subcommands that hand over to the desktop app (imported lazily: the CLI never imports Qt)."""

from __future__ import annotations

from .errors import HushwriteError


def register(subparsers) -> None:
    q = subparsers.add_parser(
        "quick",
        help="quick rewrite of the selected text (bind this to a desktop shortcut, e.g. on Wayland)",
    )
    q.set_defaults(func=_cmd_quick)


def _cmd_quick(args) -> int:
    try:
        from app.tray import run_quick
    except ImportError as exc:
        raise HushwriteError(f"the desktop app is not available ({exc})") from None
    return run_quick(args)

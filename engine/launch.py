"""Start the desktop app from the CLI entry point (kept out of cli.py so the CLI never imports Qt)."""

from __future__ import annotations

from .errors import HushwriteError


def launch_app(args) -> int:
    try:
        from app.main import run
    except ImportError as exc:
        raise HushwriteError(f"the desktop app is not available ({exc}); use a subcommand, see `hushwrite --help`") from None
    return run(args)

"""System-tray quick rewrite: global hotkey, selection capture, preview popup, paste back.

Entry points: `install_tray(ctx) -> TrayController` (app/main.py), `run_quick(args)`
(`hushwrite quick`), `run_tray(args)` (`python -m app.tray`). See docs/tray.md.
"""

from __future__ import annotations


def install_tray(ctx, settings=None):
    from .controller import install_tray as _install

    return _install(ctx, settings)


def run_quick(args=None) -> int:
    from .quick import run_quick as _run

    return _run(args)

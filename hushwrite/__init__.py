"""Hushwrite's entry package: the `hushwrite` command (cli/) sits above the engine (headless) and
the desktop app (Qt), and is the only place that imports both. `python -m hushwrite` runs it."""

from engine import __version__

__all__ = ["__version__"]

"""The `hushwrite` command: every subcommand lives in this package (see main.py for the list)."""

from .main import build_parser, main

__all__ = ["build_parser", "main"]

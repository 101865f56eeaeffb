"""`python -m app.tray` runs Hushwrite in the tray only; `python -m app.tray quick` runs one quick rewrite."""

import argparse
import sys

from .quick import run_quick, run_tray


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.tray")
    p.add_argument("command", nargs="?", choices=["tray", "quick"], default="tray")
    p.add_argument("--data-dir")
    p.add_argument("--no-store", action="store_true")
    p.add_argument("--model")
    args = p.parse_args(argv)
    args.passphrase_fd = None
    return run_quick(args) if args.command == "quick" else run_tray(args)


if __name__ == "__main__":
    sys.exit(main())

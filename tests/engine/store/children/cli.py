"""Run the store CLI commands the way the main CLI does: `hushwrite: <message>` and the exit code."""

import argparse
import os
import sys

from hushwrite.cli.store import register
from engine.errors import HushwriteError
from engine.store import keys

if os.environ.get("STORE_TEST_FAST_KDF"):  # read by this test harness only, never by Hushwrite itself
    keys.DEFAULT_KDF = keys.Scrypt(n=2**12)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="hushwrite")
    parser.add_argument("--data-dir")
    parser.add_argument("--passphrase-fd", type=int)
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except HushwriteError as exc:
        print(f"hushwrite: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

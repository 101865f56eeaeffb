"""The `hushwrite` command. With no subcommand it opens the desktop app.

Exit codes: 0 success, 2 bad usage or unreadable input, 3 model problem, 4 unusable output,
130 cancelled. Messages go to stderr; results to stdout (streamed unless --json).

Subcommands, one module each: the tools (tasks.py, generated from engine/tools; summaries in
summarize.py), `tools` (tools.py), the store's history/dict/style/store/forget (store.py), `models`
(models.py), `doctor` (doctor.py), `engine` (server.py), `quick` and the window (app.py).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from engine import __version__
from engine.errors import HushwriteError, InputError

from . import app, interrupt, models, server, tasks, tools
from .loading import add_model_options


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep its format short
        self.print_usage(sys.stderr)
        raise InputError(message)


STORE_COMMANDS = {
    "history": "list past tool runs (newest first)",
    "dict": "personal dictionary: words proofreading never changes",
    "style": "your style profile, used in rewrite prompts",
    "store": "the encrypted store: key, export/import, checks",
    "forget": "delete all personal data and its key",
}
_VALUE_OPTIONS = {"--data-dir", "--passphrase-fd"}


def _command_of(argv: list[str] | None) -> str | None:
    """The subcommand named in argv (the first word that is not an option or an option's value)."""
    args = list(argv or [])
    i = 0
    while i < len(args):
        a = args[i]
        if a in _VALUE_OPTIONS:
            i += 2
            continue
        if not a.startswith("-"):
            return a
        i += 1
    return None


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    from engine.tools import registry

    p = _Parser(prog="hushwrite", description="Private, local writing tools: proofread, rewrite, summarize.")
    p.add_argument("--version", action="version", version=f"hushwrite {__version__}")
    p.add_argument("--data-dir", metavar="DIR", help="where the encrypted store lives (or HUSHWRITE_DATA_DIR)")
    p.add_argument("--passphrase-fd", type=int, metavar="N", help="read the store passphrase from file descriptor N")
    p.add_argument("--no-store", action="store_true", help="do not open the personal store (no history, dictionary, style)")
    p.add_argument("--tray", action="store_true", help="start in the system tray only")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    tasks.register(sub, registry())
    tools.register(sub)
    models.register(sub)
    from . import doctor

    doctor.register(sub, add_model_options, _cmd_doctor)
    if _command_of(argv) in STORE_COMMANDS:
        from .store import register

        register(sub)
    else:  # listed in --help without importing the store stack (0.5 s of start-up)
        for name, text in STORE_COMMANDS.items():
            sub.add_parser(name, help=text, add_help=False)
    app.register(sub)
    server.register(sub)
    return p


def _cmd_doctor(args) -> int:
    from . import doctor
    from .loading import load_for

    return doctor.run(args, load_for)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        parser = build_parser(argv)
        args = parser.parse_args(argv)
        if args.data_dir:
            os.environ["HUSHWRITE_DATA_DIR"] = str(Path(args.data_dir).expanduser().resolve())
        if not getattr(args, "func", None):
            return app.launch_app(args)
        interrupt.install()
        return int(args.func(args) or 0)
    except HushwriteError as exc:
        print(f"hushwrite: {exc}", file=sys.stderr)
        if hasattr(exc, "advice"):
            print(f"hushwrite: {exc.advice()}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("hushwrite: cancelled", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours: say so plainly; the traceback only on request
        if os.environ.get("HUSHWRITE_DEBUG"):
            raise
        print(f"hushwrite: internal error: {type(exc).__name__}: {exc} (set HUSHWRITE_DEBUG=1 for details)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

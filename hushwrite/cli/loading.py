"""What a tool command needs besides its input: the model (in its own engine process, or the
user's server), and the personal store (history, dictionary, style, the user's own tools)."""

from __future__ import annotations

import argparse
import sys
import threading

from engine.errors import InputError

UNOPENED = object()  # a command's personal store before it is opened (None: there is none)


def add_model_options(p: argparse.ArgumentParser) -> None:
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


def load_options_for(args: argparse.Namespace):
    from engine.options import LoadOptions

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
    """The model for a command, loaded in its own engine process (`engine`, or a new one): a
    native crash in llama.cpp ends that process, and this one says what happened (exit 3). With
    an engine URL configured (--engine-url, HUSHWRITE_ENGINE_URL) the model is the user's own
    server instead."""
    from engine.remote.config import from_args

    choice = from_args(args)
    if choice.remote:
        if engine is not None:
            engine.close()
        return _connect_remote(args, choice)
    from engine.process import open_model

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
        from engine.process import EngineProcess
        from engine.remote.config import from_args

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
    from engine.remote.config import load_api_key
    from engine.remote.probe import connect

    model = connect(choice.url, load_api_key(choice.url), choice.model or None, choice.slots)
    print(f"hushwrite: engine: {model.name} (not this computer)", file=sys.stderr)
    for note in model.notes:
        print(f"hushwrite: warning: {note}", file=sys.stderr)
    return model


def open_store_for(args: argparse.Namespace):
    """The personal store when it exists, else None. A store that cannot be opened (locked with no
    way to ask for the passphrase, damaged) does not stop the tool: we say so and go on without
    history, dictionary, style and the user's own tools."""
    if getattr(args, "no_store", False):
        return None
    from engine.store import Store, StoreError

    try:
        return Store.open_if_exists(data_dir=args.data_dir, passphrase_fd=args.passphrase_fd)
    except StoreError as exc:
        print(f"hushwrite: note: personal store not used ({exc}); no history, dictionary or style this time",
              file=sys.stderr)
        return None


def record(store, result) -> None:
    """Keep a finished run in history (when there is a store), and close the store."""
    if store is None:
        return
    try:
        store.add_history_from_result(result)
    finally:
        store.close()

"""`hushwrite engine test` and `hushwrite engine key`: check the user's engine server and keep its
API key (imported lazily; nothing here runs unless the user asks for it)."""

from __future__ import annotations

import json
import sys

from engine.errors import InputError


def register(subparsers) -> None:
    e = subparsers.add_parser("engine", help="your own engine server: test it, or keep its API key")
    esub = e.add_subparsers(dest="engine_command", metavar="ACTION")
    t = esub.add_parser("test", help="connect and show the server's model, context, slots and speed")
    k = esub.add_parser("key", help="read the server's API key from stdin and keep it in the keyring "
                                    "(or the encrypted store); empty input deletes it")
    for p in (t, k):
        p.add_argument("--engine-url", metavar="URL", help="the server (default: HUSHWRITE_ENGINE_URL)")
    t.add_argument("--engine-model", metavar="NAME")
    t.add_argument("--engine-slots", type=int, metavar="N")
    t.add_argument("--json", action="store_true")
    t.set_defaults(func=_cmd_test)
    k.set_defaults(func=_cmd_key)
    e.set_defaults(func=lambda args: (e.print_help(sys.stderr), 2)[1])


def _choice(args):
    from engine.remote.config import from_args

    choice = from_args(args)
    if not choice.remote:
        raise InputError("no engine server named: pass --engine-url URL or set HUSHWRITE_ENGINE_URL")
    return choice


def _cmd_test(args) -> int:
    from engine.remote import connect, measure
    from engine.remote.config import load_api_key

    choice = _choice(args)
    model = connect(choice.url, load_api_key(choice.url), choice.model or None, choice.slots)
    result = measure(model)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(f"model:   {result['model']} {result['where']} ({result['mode']} API)")
    print(f"context: {result['context']} tokens per request; slots: {result['slots']}")
    print(f"speed:   {result['tokens_per_second']} tokens/s; first token after {result['first_token_seconds']} s")
    for note in result["notes"]:
        print(f"note:    {note}")
    return 0


def _cmd_key(args) -> int:
    from .loading import open_store_for
    from engine.remote.config import save_api_key

    choice = _choice(args)
    key = (sys.stdin.readline() if sys.stdin is not None else "").strip()
    store = None
    try:
        where = save_api_key(choice.url, key, None)
    except InputError:
        store = open_store_for(args)
        if store is None:
            raise
        where = save_api_key(choice.url, key, store)
    finally:
        if store is not None:
            store.close()
    print({"keyring": "kept in the system keyring", "store": "kept in the encrypted store",
           "deleted": "deleted"}[where], file=sys.stderr)
    return 0

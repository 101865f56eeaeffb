"""`hushwrite tools`: list every tool (built-in and your own), add or remove your own.

    hushwrite tools list [--json]
    hushwrite tools add "Weekly report" --instruction "Rewrite this as a short weekly status report." \\
        [--does rewrite|summary|key-points] [--shortcut Ctrl+Alt+W]
    hushwrite tools remove "Weekly report"

Your tools live in the encrypted store (with history and dictionary) and appear in the window,
the tray popup and `hushwrite run NAME`."""

from __future__ import annotations

import json
import sys

from engine.errors import InputError


def register(sub) -> None:
    from engine.tools.user import KINDS

    t = sub.add_parser("tools", help="list the tools; add or remove your own")
    tsub = t.add_subparsers(dest="tools_command", metavar="ACTION")
    ls = tsub.add_parser("list", help="every tool: built-in and your own")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=_list)
    add = tsub.add_parser("add", help="add (or with --replace, change) one of your own tools")
    add.add_argument("name")
    add.add_argument("--instruction", required=True, help="what the tool does with the text")
    add.add_argument("--does", default="rewrite", choices=list(KINDS),
                     help="rewrite the text (default), summarize it, or list its key points")
    add.add_argument("--shortcut", default="", help="a keyboard shortcut in the window, e.g. Ctrl+Alt+W")
    add.add_argument("--replace", action="store_true", help="change the tool of that name if it exists")
    add.set_defaults(func=_add)
    rm = tsub.add_parser("remove", help="remove one of your own tools")
    rm.add_argument("name")
    rm.set_defaults(func=_remove)
    t.set_defaults(func=_list, json=False)


def _open(args):
    from .store import open_store

    return open_store(args)


def _list(args) -> int:
    from engine.tools import registry

    from .loading import open_store_for

    store = open_store_for(args)
    try:
        reg = registry(store)
    finally:
        if store is not None:
            store.close()
    rows = [{"name": t.name, "key": t.key, "task": t.task, "variant": t.variant, "shortcut": t.shortcut,
             "source": t.source, "instruction": t.params.get("instruction", "") if t.user else ""}
            for t in reg.tools()]
    for problem in reg.problems:
        print(f"hushwrite: note: {problem}", file=sys.stderr)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        extra = f" — {r['instruction']}" if r["instruction"] else ""
        print(f"{r['name']:<24} {r['task']:<10} {r['shortcut']:<14} {r['source']}{extra}")
    return 0


def _add(args) -> int:
    from engine.tools import registry
    from engine.tools.user import checked, taken_names, used_shortcuts

    store = _open(args)
    try:
        reg = registry(store)
        old = next((t for t in reg.tools(source="yours") if t.name.casefold() == args.name.strip().casefold()), None)
        if old is not None and not args.replace:
            raise InputError(f"you already have a tool called {old.name!r}; add --replace to change it")
        but = old.name if old is not None else ""
        tool = checked(args.name, args.instruction, args.does, args.shortcut,
                       taken=taken_names(reg, but), shortcuts=used_shortcuts(reg, but))
        store.save_user_tool(tool.name, tool.instruction, tool.kind, tool.shortcut,
                             replacing=old.name if old is not None else None)
    finally:
        store.close()
    print(f"hushwrite: {'changed' if old else 'added'} your tool {tool.name!r}; run it with: "
          f'hushwrite run "{tool.name}" FILE', file=sys.stderr)
    return 0


def _remove(args) -> int:
    from engine.tools import registry

    store = _open(args)
    try:
        mine = [t for t in registry(store).tools(source="yours") if t.name.casefold() == args.name.strip().casefold()]
        if not mine or not store.delete_user_tool(mine[0].name):
            raise InputError(f"you have no tool called {args.name!r} (built-in tools cannot be removed)")
    finally:
        store.close()
    print(f"hushwrite: removed your tool {mine[0].name!r}", file=sys.stderr)
    return 0

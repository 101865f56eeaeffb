"""Subcommands for the encrypted store: history, dict, style, store (passwd/export/import/info/check/
quarantine) and forget. `register(subparsers)` adds them; the main CLI supplies --data-dir and
--passphrase-fd and turns any HushwriteError into `hushwrite: <message>` with its exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from engine import paths
from engine.errors import InputError
from engine.store import Store, keys, meta

FILE_PASSPHRASE_ENV = "HUSHWRITE_FILE_PASSPHRASE"


def register(subparsers) -> None:
    _history(subparsers)
    _dict(subparsers)
    _style(subparsers)
    _store(subparsers)
    _forget(subparsers)


# --- shared helpers -------------------------------------------------------------------


def open_store(args) -> Store:
    """The store, opened with the global --data-dir / --passphrase-fd options (also for other commands)."""
    return Store.open(data_dir=getattr(args, "data_dir", None), passphrase_fd=getattr(args, "passphrase_fd", None))


def data_folder(args) -> Path:
    given = getattr(args, "data_dir", None)
    return Path(given) if given else paths.data_dir()


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def confirm(question: str, yes: bool) -> None:
    """Go on only after an explicit yes (--yes, or typing 'yes' at a terminal); else exit 2 without changes."""
    if yes:
        return
    if not keys.stdin_is_interactive():
        raise InputError(f"{question} Not confirmed: this run is not interactive; add --yes to confirm. Nothing was changed.")
    print(question, file=sys.stderr)
    answer = input("Type 'yes' to go on: ").strip().lower()
    if answer != "yes":
        raise InputError("Not confirmed. Nothing was changed.")


def file_passphrase(args, *, new: bool) -> str:
    fd = getattr(args, "file_passphrase_fd", None)
    given = keys.supplied_passphrase(None, fd, env=FILE_PASSPHRASE_ENV)
    if given:
        return given
    prompt = "Passphrase for the export file: " if new else "Passphrase of the export file: "
    return keys.ask_passphrase(prompt, new=new, interactive=None,
                               how_to_supply=f"Set {FILE_PASSPHRASE_ENV} or pass --file-passphrase-fd N.")


def one_line(text: str, width: int = 72) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


# --- history -------------------------------------------------------------------------------


def _history(subparsers) -> None:
    p = subparsers.add_parser("history", help="list past tool runs (newest first)")
    p.add_argument("--search", metavar="TEXT", help="only runs whose input or output contains TEXT")
    p.add_argument("--limit", metavar="N", type=positive_int, default=20, help="at most N runs (default 20)")
    p.add_argument("--json", action="store_true", help="print the runs as JSON")
    p.set_defaults(func=cmd_history)


def cmd_history(args) -> int:
    with open_store(args) as store:
        runs = store.history(limit=args.limit, search=args.search)
    if args.json:
        print(json.dumps(runs, ensure_ascii=False, indent=1))
        return 0
    if not runs:
        print("No matching runs." if args.search else "No history yet.")
        return 0
    for run in runs:
        label = run["tool"] + (f" ({run['kind']})" if run["kind"] else "")
        model = f"  [{run['model']}]" if run["model"] else ""
        print(f"#{run['id']}  {run['created_at'].replace('T', ' ')[:16]}  {label}{model}")
        print(f"    in:  {one_line(run['input'])}")
        print(f"    out: {one_line(run['output'])}")
    return 0


# --- dictionary ----------------------------------------------------------------------------


def _dict(subparsers) -> None:
    p = subparsers.add_parser("dict", help="personal dictionary: words proofreading never changes")
    sub = p.add_subparsers(dest="dict_action", required=True, metavar="add|remove|list")
    for action, text, func in (("add", "add words", cmd_dict_add), ("remove", "remove words", cmd_dict_remove)):
        a = sub.add_parser(action, help=text)
        a.add_argument("words", nargs="+", metavar="WORD")
        a.set_defaults(func=func)
    sub.add_parser("list", help="list the words").set_defaults(func=cmd_dict_list)


def cmd_dict_add(args) -> int:
    with open_store(args) as store:
        for word in args.words:
            print(f"added: {word.strip()}" if store.dict_add(word) else f"already there: {word.strip()}")
    return 0


def cmd_dict_remove(args) -> int:
    missing = 0
    with open_store(args) as store:
        for word in args.words:
            if store.dict_remove(word):
                print(f"removed: {word.strip()}")
            else:
                print(f"not in the dictionary: {word.strip()}", file=sys.stderr)
                missing += 1
    return 1 if missing else 0


def cmd_dict_list(args) -> int:
    with open_store(args) as store:
        for word in store.dictionary_words():
            print(word)
    return 0


# --- style profile -----------------------------------------------------------------------------


def _style(subparsers) -> None:
    p = subparsers.add_parser("style", help="your style profile, used in rewrite prompts")
    sub = p.add_subparsers(dest="style_action", required=True, metavar="show|set")
    sub.add_parser("show", help="print the profile").set_defaults(func=cmd_style_show)
    s = sub.add_parser("set", help="set the profile text and/or preferred tone")
    s.add_argument("--text", help="how you write, in your own words ('-' reads standard input)")
    s.add_argument("--file", type=Path, help="read the text from a UTF-8 file")
    s.add_argument("--tone", help="preferred tone, e.g. friendly, formal, concise")
    s.add_argument("--clear-tone", action="store_true", help="forget the preferred tone")
    s.set_defaults(func=cmd_style_set)


def cmd_style_show(args) -> int:
    with open_store(args) as store:
        profile = store.style_profile()
    print(f"tone: {profile['tone'] or '(none)'}")
    print(profile["text"] or "(no style description yet: hushwrite style set --text '...')")
    return 0


def cmd_style_set(args) -> int:
    if args.text is not None and args.file is not None:
        raise InputError("Give the style text with --text or --file, not both.")
    text = args.text
    if text == "-":
        text = sys.stdin.read()
    if args.file is not None:
        try:
            text = args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"Cannot read {args.file}: {exc}") from exc
    if text is None and args.tone is None and not args.clear_tone:
        raise InputError("Nothing to set: give --text, --file, --tone or --clear-tone.")
    with open_store(args) as store:
        profile = store.set_style_profile(text=text, tone=args.tone, clear_tone=args.clear_tone)
    print(f"Style profile saved (tone: {profile['tone'] or 'none'}, {len(profile['text'])} characters).")
    return 0


# --- store administration ---------------------------------------------------------------------


def _store(subparsers) -> None:
    p = subparsers.add_parser("store", help="the encrypted store: key, export/import, checks")
    sub = p.add_subparsers(dest="store_action", required=True, metavar="passwd|export|import|info|check|quarantine")
    pw = sub.add_parser("passwd", help="change the passphrase, or rotate the keyring key")
    pw.add_argument("--to", choices=meta.KEY_SOURCES, help="switch where the key comes from")
    pw.add_argument("--new-passphrase-fd", type=int, metavar="N", help="read the new passphrase from file descriptor N")
    pw.set_defaults(func=cmd_store_passwd)
    ex = sub.add_parser("export", help="write everything to FILE, encrypted with a passphrase")
    ex.add_argument("file", type=Path, metavar="FILE")
    ex.add_argument("--file-passphrase-fd", type=int, metavar="N", help="read the file's passphrase from descriptor N")
    ex.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    ex.set_defaults(func=cmd_store_export)
    im = sub.add_parser("import", help="merge an export FILE into the store")
    im.add_argument("file", type=Path, metavar="FILE")
    im.add_argument("--file-passphrase-fd", type=int, metavar="N", help="read the file's passphrase from descriptor N")
    im.add_argument("--replace", action="store_true", help="replace the store's contents instead of merging")
    im.add_argument("--yes", action="store_true", help="confirm --replace without asking")
    im.set_defaults(func=cmd_store_import)
    sub.add_parser("info", help="where the store is and how it is locked (does not unlock)").set_defaults(func=cmd_store_info)
    sub.add_parser("check", help="verify every page of the store").set_defaults(func=cmd_store_check)
    q = sub.add_parser("quarantine", help="move a damaged store aside (kept, never deleted) to start afresh")
    q.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    q.set_defaults(func=cmd_store_quarantine)


def cmd_store_passwd(args) -> int:
    with open_store(args) as store:
        source = store.change_key(to=args.to, new_passphrase_fd=args.new_passphrase_fd)
    print("New passphrase set." if source == "passphrase" else "New random key made and kept in the system keyring.")
    return 0


def cmd_store_export(args) -> int:
    with open_store(args) as store:
        if args.file.exists() and not args.force:
            raise InputError(f"{args.file} already exists; use --force to overwrite it.")
        target = store.export_to(args.file, file_passphrase(args, new=True), overwrite=args.force)
    print(f"Exported to {target} (encrypted with the passphrase you gave).")
    return 0


def cmd_store_import(args) -> int:
    if args.replace:
        confirm("This replaces your history, dictionary, style profile, settings and cache with the file's.", args.yes)
    with open_store(args) as store:
        added = store.import_from(args.file, file_passphrase(args, new=False), replace=args.replace)
    print("Imported: " + ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in added.items()))
    return 0


def cmd_store_info(args) -> int:
    folder = data_folder(args)
    path = folder / "store.db"
    print(f"store: {path}{'' if path.exists() else ' (not created yet)'}")
    info = meta.load(path) if path.exists() else None
    if info:
        where = (f"system keyring (service '{keys.SERVICE}', entry '{info.key.account}')"
                 if info.key.source == "keyring" else "passphrase (scrypt)")
        print(f"key: {where}")
    for p in Store.files(folder):
        print(f"file: {p} ({p.stat().st_size} bytes, mode {oct(p.stat().st_mode & 0o777)})")
    return 0


def cmd_store_check(args) -> int:
    with open_store(args) as store:
        problems = store.check()
    if problems:
        for line in problems:
            print(line)
        print("The store is damaged: `hushwrite store quarantine` moves it aside (nothing is deleted).", file=sys.stderr)
        return 1
    print("The store is healthy.")
    return 0


def cmd_store_quarantine(args) -> int:
    folder = data_folder(args)
    confirm(f"This moves the store in {folder} into {folder / 'quarantine'} and starts a fresh one next time.", args.yes)
    target = Store.quarantine(folder)
    print(f"Moved the store to {target}; nothing was deleted." if target else "There is no store to move.")
    return 0


# --- forget -------------------------------------------------------------------------------------


def _forget(subparsers) -> None:
    p = subparsers.add_parser("forget", help="delete all personal data and its key")
    p.add_argument("--all", action="store_true", required=True, help="everything: history, dictionary, style, cache, settings")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation (scripts)")
    p.set_defaults(func=cmd_forget)


def cmd_forget(args) -> int:
    folder = data_folder(args)
    files = Store.files(folder)
    if not files:
        print("Nothing to forget: there is no store.")
        return 0
    confirm(f"This deletes {len(files)} store file(s) in {folder} and the store's keyring entry, for good.", args.yes)
    removed = Store.forget_all(folder)
    print(f"Forgot everything ({len(removed)} items removed).")
    return 0


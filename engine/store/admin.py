"""Store-wide actions: change the key, export/import, integrity check, quarantine, forget.

Re-keying writes a complete new database file next to the old one (sqlcipher_export),
then swaps it in with an atomic rename. The new key is recorded as `pending` in the
metadata (and, for the keyring, under a new keyring entry) *before* the swap, so a
kill at any moment leaves a store that opens with either the old or the new key.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from datetime import datetime, timezone
from pathlib import Path

from engine.store import db as dbmod
from engine.store import keys, meta
from engine.store.errors import NotAStore, StoreError, StoreTooNew, WrongPassphrase
from engine.store.lock import StoreLock
from engine.store.migrations import TABLE, latest

NEW_PASSPHRASE_ENV = "HUSHWRITE_NEW_PASSPHRASE"
STORE_SUFFIXES = ("", "-wal", "-shm", "-journal", ".meta.json", ".rekey", ".rekey-journal", ".lock")
TABLES = ("history", "dictionary", "style_profile", "summary_cache", "settings", "tools")
REQUIRED = TABLES[:5]  # an export made before the user's own tools (schema 2) has no `tools` table


# --- re-key ------------------------------------------------------------------------------


def change_key(store, *, to: str | None = None, new_passphrase: str | None = None,
               new_passphrase_fd: int | None = None, interactive: bool | None = None) -> str:
    """Re-encrypt the store under a new key. `to` = "keyring" or "passphrase" (default: same source).

    In keyring mode this rotates the random key; in passphrase mode it sets a new passphrase
    (from `new_passphrase`, `new_passphrase_fd`, HUSHWRITE_NEW_PASSPHRASE, or a prompt).
    Returns the key source now in use.
    """
    target = to or store.key_source
    if target not in meta.KEY_SOURCES:
        raise StoreError(f"Unknown key source {target!r}; use 'keyring' or 'passphrase'.")
    store._lock.exclusive("change the store key")
    try:
        salt = keys.new_salt()
        if target == "keyring":
            if not keys.backend_is_secure():
                raise StoreError("There is no secure system keyring in this session, so the key cannot be kept there.")
            key = keys.new_random_key()
            account = f"{keys.keyring_account(store.meta.store_id)}-{secrets.token_hex(4)}"
            keys.keyring_write(account, key)
            spec = meta.KeySpec("keyring", keys.key_check(key), account=account)
        else:
            chosen = keys.supplied_passphrase(new_passphrase, new_passphrase_fd, env=NEW_PASSPHRASE_ENV) or \
                keys.ask_passphrase("New passphrase for the Hushwrite store: ", new=True, interactive=interactive,
                                    how_to_supply=f"Set {NEW_PASSPHRASE_ENV} or pass --new-passphrase-fd N.")
            keys.check_new_passphrase(chosen)
            key = keys.DEFAULT_KDF.derive(chosen, salt)
            spec = meta.KeySpec("passphrase", keys.key_check(key), kdf=keys.DEFAULT_KDF)
        meta.save(store.path, store.meta.with_key(store.meta.key, pending=spec))
        swap_in_rekeyed_copy(store, key, salt)
        store.meta = finish_rekey(store.path, store.meta, spec, key)
        with dbmod.translated(store.path):
            store.db = dbmod.connect(store.path, key)
        return target
    finally:
        store._lock.back_to_shared()


def swap_in_rekeyed_copy(store, key: bytes, salt: bytes) -> None:
    path = store.path
    tmp = path.with_name(path.name + ".rekey")
    remove_quietly(tmp, tmp.with_name(tmp.name + "-journal"))
    conn = store.db.conn
    with dbmod.translated(path):
        try:
            write_copy(conn, tmp, key, salt)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except BaseException:
            remove_quietly(tmp)
            raise
        store.db.close()
        store.db = None
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise StoreError("The store still had unsaved changes in its journal; the key was not changed. Try again.")
    remove_quietly(wal, path.with_name(path.name + "-shm"))
    os.replace(tmp, path)
    meta.fsync_dir(path.parent)


def write_copy(conn, target: Path, key: bytes, salt: bytes) -> None:
    """Copy the whole database into a new encrypted file `target` (mode 0600), fsynced."""
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    conn.execute("ATTACH DATABASE ? AS copy KEY ?", (str(target), keys.sqlcipher_key(key, salt)))
    try:
        conn.execute("SELECT sqlcipher_export('copy')").fetchall()
    finally:
        conn.execute("DETACH DATABASE copy")
    with open(target, "rb+") as handle:
        os.fsync(handle.fileno())


def finish_rekey(path: Path, info: meta.StoreMeta, spec: meta.KeySpec, key: bytes) -> meta.StoreMeta:
    """The database is under the new key: make it the store's key, then drop the old keyring entry."""
    old = info.key
    new = meta.StoreMeta(store_id=info.store_id, key=spec)
    meta.save(path, new)
    if old.source == "keyring" and old.account and old.account != spec.account:
        keys.keyring_delete(old.account)
    return new


# --- export / import ---------------------------------------------------------------------


def export_to(store, file: Path, passphrase: str, *, overwrite: bool = False) -> Path:
    """Write every table to `file`, an SQLCipher file keyed by scrypt(passphrase) (salt in its header)."""
    keys.check_new_passphrase(passphrase)
    if file.exists() and not overwrite:
        raise StoreError(f"{file} already exists; choose another name (nothing was written).")
    part = file.with_name(file.name + ".part")
    remove_quietly(part)
    salt = keys.new_salt()
    key = keys.EXPORT_KDF.derive(passphrase, salt)
    with dbmod.translated(file):
        try:
            write_copy(store.db.conn, part, key, salt)
            os.replace(part, file)
        except BaseException:
            remove_quietly(part, part.with_name(part.name + "-journal"))
            raise
    return file


def import_from(store, file: Path, passphrase: str, *, replace: bool = False) -> dict[str, int]:
    """Merge an export into this store (or, with `replace`, put its contents in place of ours).

    Merging keeps everything already here: history runs and cache entries are added if new,
    dictionary words are joined, settings and the style profile only fill what is unset.
    Returns how many rows each table gained.
    """
    if not file.is_file():
        raise StoreError(f"{file} does not exist or is not a file.")
    with open(file, "rb") as handle:
        salt = handle.read(16)
    if salt == b"SQLite format 3\x00" or len(salt) < 16:
        raise NotAStore(f"{file} is not a Hushwrite export (exports are encrypted). Nothing was imported.")
    key = keys.EXPORT_KDF.derive(passphrase, salt)
    conn = store.db.conn
    wrong = f"Wrong passphrase for {file}, or it is not a Hushwrite export. Nothing was imported."
    try:
        conn.execute("ATTACH DATABASE ? AS imported KEY ?", (str(file), keys.sqlcipher_key(key)))
    except dbmod.SQLITE_ERRORS as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise WrongPassphrase(wrong) from exc
        raise dbmod.explain(exc, file) from exc
    try:
        try:
            names = {row[0] for row in conn.execute("SELECT name FROM imported.sqlite_master WHERE type = 'table'")}
        except dbmod.SQLITE_ERRORS as exc:
            raise WrongPassphrase(wrong) from exc
        if TABLE not in names or not set(REQUIRED) <= names:
            raise NotAStore(f"{file} is not a Hushwrite export. Nothing was imported.")
        version = conn.execute(f"SELECT max(number) FROM imported.{TABLE}").fetchone()[0] or 0
        if version > latest():
            raise StoreTooNew(f"{file} was exported by a newer Hushwrite (schema {version}); update Hushwrite to import it.")
        return merge_imported(store, replace, has_tools="tools" in names)
    finally:
        with contextlib.suppress(*dbmod.SQLITE_ERRORS):
            conn.execute("DETACH DATABASE imported")


def merge_imported(store, replace: bool, has_tools: bool = True) -> dict[str, int]:
    history_cols = "uid, created_at, tool, kind, model, input, output, timings, accepted_edits"
    verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
    statements = {
        "history": f"INSERT OR IGNORE INTO main.history ({history_cols}) SELECT {history_cols} FROM imported.history ORDER BY id",
        "dictionary": "INSERT OR IGNORE INTO main.dictionary (word, added_at) SELECT word, added_at FROM imported.dictionary",
        "summary_cache": "INSERT OR IGNORE INTO main.summary_cache (key, value, created_at) "
                         "SELECT key, value, created_at FROM imported.summary_cache ORDER BY rowid",
        "settings": f"{verb} INTO main.settings (key, value) SELECT key, value FROM imported.settings",
        "style_profile": f"{verb} INTO main.style_profile (id, text, tone, updated_at) "
                         "SELECT id, text, tone, updated_at FROM imported.style_profile WHERE id = 1 AND "
                         "(text != '' OR tone IS NOT NULL)",
    }
    if has_tools:  # a tool of the same name already here is kept (merge) or replaced (replace)
        statements["tools"] = (f"{verb} INTO main.tools (name, instruction, kind, shortcut, created_at, updated_at) "
                               "SELECT name, instruction, kind, shortcut, created_at, updated_at FROM imported.tools "
                               "ORDER BY created_at, rowid")
    added: dict[str, int] = {}
    with store.writing() as db:
        if replace:
            for table in TABLES:
                db.execute(f"DELETE FROM main.{table}")
        for table, sql in statements.items():
            added[table] = db.execute(sql).rowcount
    return added


# --- check, quarantine, forget --------------------------------------------------------------


def check(store) -> list[str]:
    """Problems found by SQLCipher's page HMAC check and SQLite's integrity check; [] when healthy."""
    conn = store.db.conn
    with dbmod.translated(store.path):
        problems = [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check")]
        problems += [str(row[0]) for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
    return problems


def store_files(folder: Path) -> list[Path]:
    base = folder / "store.db"
    found = [base.with_name(base.name + suffix) for suffix in STORE_SUFFIXES]
    found = [p for p in found if p.exists()]
    quarantine_dir = folder / "quarantine"
    if quarantine_dir.is_dir():
        found += sorted(p for p in quarantine_dir.rglob("*") if p.is_file())
    return found


def exclusive_lock(folder: Path, action: str) -> StoreLock:
    lock = StoreLock(folder / "store.db.lock")
    try:
        lock.exclusive(action)
    except BaseException:
        lock.close()
        raise
    return lock


def quarantine(folder: Path) -> Path | None:
    """Move the store's files into quarantine/<time>/ (never deleting them); None if there is no store.

    The keyring entry stays, so a quarantined keyring-mode store can still be opened later
    with --data-dir pointing at its quarantine folder.
    """
    base = folder / "store.db"
    moving = [base.with_name(base.name + s) for s in ("", "-wal", "-shm", "-journal", ".meta.json")]
    moving = [p for p in moving if p.exists()]
    if not moving:
        return None
    lock = exclusive_lock(folder, "move the store aside")
    try:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = folder / "quarantine" / stamp
        n = 1
        while target.exists():
            n += 1
            target = folder / "quarantine" / f"{stamp}-{n}"
        target.mkdir(parents=True, mode=0o700)
        for p in moving:
            os.replace(p, target / p.name)
        meta.fsync_dir(folder)
        return target
    finally:
        lock.close()


def keyring_accounts(folder: Path) -> list[str]:
    """Keyring entries of the store and of every quarantined store in `folder`."""
    metas = [folder / "store.db"]
    quarantine_dir = folder / "quarantine"
    if quarantine_dir.is_dir():
        metas += [p.with_name("store.db") for p in quarantine_dir.rglob("store.db.meta.json")]
    accounts = []
    for db_path in metas:
        try:
            info = meta.load(db_path)
        except StoreError:
            continue
        for spec in filter(None, (info.key, info.pending) if info else ()):
            if spec.source == "keyring" and spec.account:
                accounts.append(spec.account)
    return accounts


def forget_all(folder: Path) -> list[str]:
    """Delete the store, its quarantined copies and their keyring entries. Returns what was removed."""
    if not folder.exists():
        return []
    lock = exclusive_lock(folder, "forget everything")
    removed: list[str] = []
    try:
        for account in keyring_accounts(folder):
            if keys.keyring_delete(account):
                removed.append(f"keyring entry {keys.SERVICE}/{account}")
        for p in store_files(folder):
            if p.name == "store.db.lock" and p.parent == folder:
                continue
            p.unlink()
            removed.append(str(p))
        shutil.rmtree(folder / "quarantine", ignore_errors=True)
    except OSError as exc:
        raise StoreError(f"Could not delete everything ({exc}); what is left is listed by `hushwrite store info`.") from exc
    finally:
        lock.close()
    remove_quietly(folder / "store.db.lock")
    return removed


def remove_quietly(*paths: Path) -> None:
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()

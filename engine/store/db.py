"""Opening an SQLCipher connection with the right pragmas, write transactions, and readable errors."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import sqlcipher3
import sqlite_utils

from engine.store.errors import CorruptStore, StoreBusy, StoreError
from engine.store.keys import sqlcipher_key

BUSY_TIMEOUT_MS = 15_000
SQLITE_ERRORS = (sqlcipher3.Error,)


def connect(path: Path, key: bytes, salt: bytes | None = None) -> sqlite_utils.Database:
    """Open `path` with `key` and return it wrapped by sqlite-utils. Raises sqlcipher3 errors as-is.

    `salt` is only given when the file is being created: SQLCipher then writes it
    as the file's plaintext salt, where the scrypt KDF finds it later.
    """
    # isolation_level=None: no hidden BEGINs from the driver; every write goes through write()
    # below, which uses BEGIN IMMEDIATE.
    # check_same_thread=False: one Store may serve the window and the engine's worker thread;
    # Store serializes every use of the connection with its own lock.
    conn = sqlcipher3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                              check_same_thread=False)
    try:
        # SQLCipher logs HMAC failures to stderr; our own errors already say what is wrong, in words.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f'PRAGMA key = "{sqlcipher_key(key, salt)}"')
        # Wipe memory SQLCipher frees and lock it against swapping, so decrypted pages and
        # key material do not linger in the heap or reach the swap file after use.
        conn.execute("PRAGMA cipher_memory_security = ON")
        # Wait (up to 15 s) instead of failing with "database is locked" when the window
        # and the tray (or two processes) write at the same moment.
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # First read: fails with SQLITE_NOTADB if the key is wrong or the file is not ours.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        # WAL: readers never block the writer and a killed writer leaves the database as of
        # its last commit. SQLCipher encrypts WAL frames like database pages.
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        # FULL: fsync the WAL at every commit, so a committed history row also survives a
        # power cut, not only a killed process. Our writes are small and rare; the cost is fine.
        conn.execute("PRAGMA synchronous = FULL")
        # Overwrite deleted content with zeros, so `dict remove`, `forget` and cache pruning
        # do not leave old (encrypted) records in free pages for someone who later gets the key.
        conn.execute("PRAGMA secure_delete = ON")
        # Sorts and temporary tables stay in RAM, never in temp files outside the encrypted database.
        conn.execute("PRAGMA temp_store = MEMORY")
    except BaseException:
        conn.close()
        raise
    return sqlite_utils.Database(conn)


@contextlib.contextmanager
def write(db: sqlite_utils.Database, place: Path) -> Iterator[sqlite_utils.Database]:
    """One write transaction. BEGIN IMMEDIATE takes the write lock up front (waiting up to the busy
    timeout), so two writers queue instead of one failing halfway with "database is locked"."""
    conn = db.conn
    with translated(place):
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")


@contextlib.contextmanager
def translated(place: Path) -> Iterator[None]:
    """Turn SQLite errors into StoreErrors a person can act on."""
    try:
        yield
    except SQLITE_ERRORS as exc:
        raise explain(exc, place) from exc


def explain(exc: Exception, place: Path) -> StoreError:
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    folder = place.parent
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return StoreError(f"The disk holding {folder} is full, so the last change was not saved. "
                          "Everything saved before is intact; free some space and try again.")
    if name.startswith("SQLITE_READONLY") or "readonly" in text or (
            name.startswith(("SQLITE_CANTOPEN", "SQLITE_IOERR")) and not writable(folder)):
        return read_only_error(folder)
    if name.startswith("SQLITE_BUSY") or "database is locked" in text:
        return StoreBusy(f"The store at {place} stayed busy for {BUSY_TIMEOUT_MS // 1000} s; nothing was changed. Try again.")
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")) or "malformed" in text or "not a database" in text:
        return CorruptStore(corrupt_message(place))
    if name.startswith("SQLITE_IOERR") or "I/O error" in text:
        return StoreError(f"Could not write the store at {place} ({text}); the disk may be full or failing. "
                          "Everything saved before is intact.")
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return StoreError(f"Cannot open the store at {place} ({text}). Check that the folder exists and is writable.")
    return StoreError(f"The store at {place} failed: {text}.")


def read_only_error(folder: Path) -> StoreError:
    return StoreError(f"The data folder {folder} is read-only, and Hushwrite needs to write there. "
                      "Make it writable or point HUSHWRITE_DATA_DIR (or --data-dir) elsewhere. Nothing was changed.")


def corrupt_message(place: Path) -> str:
    return (f"The store at {place} is damaged (the key is right but its contents do not check out). "
            "Nothing was deleted. Run `hushwrite store quarantine` to move it aside and start a fresh store; "
            "the damaged copy is kept in the quarantine folder.")


def writable(folder: Path) -> bool:
    """Can this process create files in `folder`? (os.access also sees read-only mounts, even as root.)"""
    return os.access(folder, os.W_OK | os.X_OK)

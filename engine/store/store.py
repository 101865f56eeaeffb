"""`Store`: opening (creating or unlocking) the encrypted store, and its lifetime. See engine/store/__init__.py."""

from __future__ import annotations

import contextlib
import os
import random
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from engine import paths
from engine.store import db as dbmod
from engine.store import keys, meta
from engine.store.errors import CorruptStore, KeyMissing, NotAStore, StoreBusy, StoreError, WrongPassphrase
from engine.store.lock import StoreLock
from engine.store.migrations import migrate
from engine.store.records import Records
from engine.store.user_tools import UserToolRecords

SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"
PROMPT = "Hushwrite store passphrase: "
PROMPT_ATTEMPTS = 3
CREATE_WAIT_S = 30.0  # how long a process waits for another one that is creating the store


class Store(Records, UserToolRecords):
    """An open, unlocked store. Make one with Store.open(); close it (or use `with`)."""

    def __init__(self, path: Path, db: sqlite_utils.Database, info: meta.StoreMeta, lock: StoreLock):
        self.path = path
        self.db = db
        self.meta = info
        self._lock = lock
        # One connection, many threads (the window, the engine worker summarizing with the
        # cache): every read, write, admin action and close holds this lock, so SQLite never
        # sees two threads on the connection at once. Calls are short; nobody waits long.
        self._mutex = threading.RLock()

    # --- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: str | os.PathLike | None = None, passphrase: str | None = None,
             interactive: bool | None = None, *, passphrase_fd: int | None = None) -> "Store":
        """Open the store in `data_dir` (default: HUSHWRITE_DATA_DIR or the platform data dir), creating it on first use.

        A passphrase, where one is needed, comes from `passphrase`, else `passphrase_fd`, else
        HUSHWRITE_PASSPHRASE, else a terminal prompt when `interactive` (default: stdin is a tty);
        otherwise NoPassphrase (exit code 2) is raised at once.
        """
        path = paths.store_path(data_dir)
        folder = path.parent
        prepare_folder(folder)
        try:
            lock = StoreLock(path.with_name(path.name + ".lock")).shared()
        except OSError as exc:
            raise dbmod.read_only_error(folder) if not dbmod.writable(folder) else StoreError(
                f"Cannot use the data folder {folder}: {exc.strerror}.") from exc
        db = None
        creating = False
        try:
            creating = claim_creation(path, lock)
            args = (path, passphrase, passphrase_fd, interactive)
            db, info = create(*args) if creating else unlock(*args)
            with dbmod.translated(path):
                migrate(db, path)
            tighten_modes(path)
        except BaseException:
            if db is not None:
                with contextlib.suppress(Exception):
                    db.close()
            lock.close()
            raise
        if creating:
            lock.back_to_shared()
        return cls(path, db, info, lock)

    @classmethod
    def open_if_exists(cls, data_dir: str | os.PathLike | None = None, passphrase_fd: int | None = None,
                       interactive: bool | None = None) -> "Store | None":
        """The store when one exists (never creates one: a first run of a CLI tool should not
        ask for a passphrase); None when there is none yet."""
        path = paths.store_path(data_dir)
        if is_new(path):
            return None
        return cls.open(path.parent, passphrase_fd=passphrase_fd, interactive=interactive)

    def add_history_from_result(self, result) -> int:
        """Record a tool run from an engine TaskResult (input, output, tool, variant, model, timings,
        and for proofreading the edits with whether each was accepted)."""
        edits = [e.as_dict() if hasattr(e, "as_dict") else e for e in (getattr(result, "edits", None) or [])]
        return self.add_run(result.tool, result.original, result.text, kind=result.variant or None,
                            model=result.model or None, timings=result.stats.as_dict(),
                            accepted_edits=edits or None)

    # --- lifetime ----------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self.path.parent

    @property
    def key_source(self) -> str:
        """"keyring" or "passphrase"."""
        return self.meta.key.source

    @property
    def closed(self) -> bool:
        return self.db is None

    def close(self) -> None:
        with self._mutex:
            if self.db is not None:
                with contextlib.suppress(Exception):
                    self.db.close()
                self.db = None
            self._lock.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {self.path} key={self.key_source} {'closed' if self.closed else 'open'}>"

    def _live(self) -> sqlite_utils.Database:
        if self.db is None:
            raise StoreError("The store is closed.")
        return self.db

    @contextlib.contextmanager
    def writing(self) -> Iterator[sqlite_utils.Database]:
        with self._mutex, dbmod.write(self._live(), self.path) as db:
            yield db

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        with self._mutex:
            self._live()
            with dbmod.translated(self.path):
                yield

    # admin actions live in engine/store/admin.py; these are their public doors
    def change_key(self, **kwargs) -> str:
        from engine.store import admin
        with self._mutex:
            return admin.change_key(self, **kwargs)

    def export_to(self, file: str | os.PathLike, passphrase: str, *, overwrite: bool = False) -> Path:
        from engine.store import admin
        with self._mutex:
            return admin.export_to(self, Path(file), passphrase, overwrite=overwrite)

    def import_from(self, file: str | os.PathLike, passphrase: str, *, replace: bool = False) -> dict[str, int]:
        from engine.store import admin
        with self._mutex:
            return admin.import_from(self, Path(file), passphrase, replace=replace)

    def check(self) -> list[str]:
        from engine.store import admin
        with self._mutex:
            return admin.check(self)

    @staticmethod
    def quarantine(data_dir: str | os.PathLike | None = None) -> Path | None:
        from engine.store import admin
        return admin.quarantine(Path(data_dir) if data_dir else paths.data_dir())

    @staticmethod
    def forget_all(data_dir: str | os.PathLike | None = None) -> list[str]:
        from engine.store import admin
        return admin.forget_all(Path(data_dir) if data_dir else paths.data_dir())

    @staticmethod
    def files(data_dir: str | os.PathLike | None = None) -> list[Path]:
        from engine.store import admin
        return admin.store_files(Path(data_dir) if data_dir else paths.data_dir())


# --- helpers for open() -------------------------------------------------------------------


def prepare_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        if not folder.is_dir() or not dbmod.writable(folder.parent if not folder.exists() else folder):
            raise dbmod.read_only_error(folder) from exc
        raise StoreError(f"Cannot create the data folder {folder}: {exc.strerror}.") from exc
    if not dbmod.writable(folder):
        raise dbmod.read_only_error(folder)


def is_new(path: Path) -> bool:
    """No store yet: no file, or an empty one left by a first run killed before its first write."""
    try:
        if path.stat().st_size > 0:
            return False
    except FileNotFoundError:
        return True
    wal = path.with_name(path.name + "-wal")
    return not (wal.exists() and wal.stat().st_size > 0)


def claim_creation(path: Path, lock: StoreLock) -> bool:
    """True when this process is the one to create the store, holding `lock` alone until it is made.

    The window, the tray and a CLI command started together on a fresh machine all find no store.
    Without this they would all create one (each its own key, metadata and file) and leave a store
    whose metadata and file disagree, which nobody can open. The first to take the lock alone looks
    again and creates; the others wait on the shared lock until it is done, then open the store."""
    deadline = time.monotonic() + CREATE_WAIT_S
    while is_new(path):
        if lock.try_alone():
            if is_new(path):
                return True
            lock.back_to_shared()
            return False
        # The failed attempt dropped our shared lock; pause a random moment so one of several
        # processes gets the lock alone, then wait (shared) until the store is made.
        time.sleep(random.uniform(0.01, 0.05))
        lock.shared()
        if time.monotonic() > deadline:
            raise StoreBusy(f"Another Hushwrite process has been creating the store at {path} for "
                            f"{CREATE_WAIT_S:.0f} s without finishing. Close other Hushwrite windows and try again.")
    return False


def create(path: Path, passphrase: str | None, fd: int | None, interactive: bool | None):
    # A metadata file without a database (a first run killed early, or a store file moved away by hand)
    # is replaced; its keyring entry, if any, is left alone: a moved copy may still need it.
    supplied = keys.supplied_passphrase(passphrase, fd)
    store_id = uuid.uuid4().hex
    salt = keys.new_salt()
    if supplied is None and keys.keyring_usable():
        key = keys.new_random_key()
        account = keys.keyring_account(store_id)
        keys.keyring_write(account, key)
        spec = meta.KeySpec("keyring", keys.key_check(key), account=account)
    else:
        why = "" if supplied else "There is no secure system keyring here, so the new store needs a passphrase. "
        chosen = supplied or keys.ask_passphrase("New passphrase for the Hushwrite store: ", new=True,
                                                 interactive=interactive, how_to_supply=why + keys.HOW_TO_SUPPLY)
        keys.check_new_passphrase(chosen)
        kdf = keys.DEFAULT_KDF
        key = kdf.derive(chosen, salt)
        spec = meta.KeySpec("passphrase", keys.key_check(key), kdf=kdf)
    info = meta.StoreMeta(store_id=store_id, key=spec)
    with dbmod.translated(path):
        meta.save(path, info)
        fd_ = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)  # exists at 0600 before SQLite touches it
        os.close(fd_)
        return dbmod.connect(path, key, salt), info


def read_header(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(16)
    except PermissionError as exc:
        raise StoreError(f"Cannot read the store at {path}: permission denied.") from exc


def unlock(path: Path, passphrase: str | None, fd: int | None, interactive: bool | None):
    salt = read_header(path)
    if salt == SQLITE_PLAIN_HEADER:
        raise NotAStore(f"{path} is an unencrypted SQLite database, not a Hushwrite store. It was left untouched; "
                        "move it away (or use --data-dir) and Hushwrite will make a new store.")
    info = meta.load(path)
    if info is None:
        raise NotAStore(f"{path} is not a Hushwrite store (its metadata file {meta.meta_path(path).name} is missing). "
                        "It was left untouched; move it away (or use --data-dir) to start a new store.")
    if len(salt) < keys.SALT_BYTES or path.stat().st_size % 512:
        raise CorruptStore(dbmod.corrupt_message(path))
    prompted = supplied = None
    if any(spec.source == "passphrase" for spec in filter(None, (info.key, info.pending))):
        supplied = keys.supplied_passphrase(passphrase, fd)
    for attempt in range(PROMPT_ATTEMPTS):
        if any(spec.source == "passphrase" for spec in filter(None, (info.key, info.pending))) and not supplied:
            prompted = keys.ask_passphrase(PROMPT, new=False, interactive=interactive, how_to_supply=keys.HOW_TO_SUPPLY)
        try:
            return try_keys(path, info, salt, supplied or prompted)
        except WrongPassphrase:
            if supplied or attempt == PROMPT_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def key_for(spec: meta.KeySpec, path: Path, salt: bytes, passphrase: str | None) -> bytes | None:
    if spec.source == "passphrase":
        return spec.kdf.derive(passphrase, salt) if spec.kdf and passphrase else None
    if not keys.backend_is_secure():
        raise KeyMissing(f"The key of the store at {path} is kept in the system keyring, but no secure keyring is "
                         "available in this session. Unlock or start your desktop keyring (Secret Service) and try "
                         "again. The store is untouched.")
    return keys.keyring_read(spec.account or "")


def try_keys(path: Path, info: meta.StoreMeta, salt: bytes, passphrase: str | None):
    """Try the store's key, then a pending one from an interrupted re-key. The database file decides."""
    key_was_right = False
    for spec in filter(None, (info.key, info.pending)):
        key = key_for(spec, path, salt, passphrase)
        if key is None:
            continue
        key_was_right |= keys.key_matches(key, spec.key_check)
        try:
            db = dbmod.connect(path, key)
        except dbmod.SQLITE_ERRORS as exc:
            if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB" or "not a database" in str(exc):
                continue
            raise dbmod.explain(exc, path) from exc
        return db, settle(path, info, spec, key)
    if key_was_right:
        raise CorruptStore(dbmod.corrupt_message(path))
    if info.key.source == "keyring":
        account = info.key.account
        raise KeyMissing(
            f"The key for the store at {path} is missing from the system keyring (service '{keys.SERVICE}', "
            f"entry '{account}'), or the keyring holds a different key. Restore the keyring (or its backup) "
            "and try again. The store is untouched; `hushwrite store quarantine` moves it aside to start afresh.")
    raise WrongPassphrase(f"Wrong passphrase for the store at {path}. The store is untouched.")


def settle(path: Path, info: meta.StoreMeta, used: meta.KeySpec, key: bytes) -> meta.StoreMeta:
    """After a successful unlock: finish an interrupted re-key, or drop its leftovers."""
    if used is info.pending:
        from engine.store.admin import finish_rekey
        return finish_rekey(path, info, used, key)
    if info.pending is not None:
        if info.pending.source == "keyring" and info.pending.account and info.pending.account != info.key.account:
            keys.keyring_delete(info.pending.account)
        info = info.with_key(info.key)
        with contextlib.suppress(OSError):
            meta.save(path, info)
        leftover = path.with_name(path.name + ".rekey")
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    return info


def tighten_modes(path: Path) -> None:
    """0600 on everything that holds store data, whatever the umask was (no-op on Windows)."""
    for suffix in ("", "-wal", "-shm", ".meta.json"):
        with contextlib.suppress(OSError):
            os.chmod(path.with_name(path.name + suffix), 0o600)

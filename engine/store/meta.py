"""The store's small plaintext metadata file (`store.db.meta.json`): how to get its key, nothing secret.

    {"format": "hushwrite-store", "version": 1, "store_id": "…",
     "key_source": "keyring" | "passphrase", "kdf": {"name": "scrypt", "n": …, "r": …, "p": …},
     "key_check": "…", "pending": null | {…same key fields…}}

`pending` is written before a re-key replaces the database file: if the process
dies between the file swap and the final metadata write, the next open tries the
pending key too, so a re-key can never leave a store nobody can open.
It is rewritten atomically (temp file, fsync, rename) with mode 0600.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from engine.store.errors import NotAStore
from engine.store.keys import Scrypt

FORMAT = "hushwrite-store"
VERSION = 1
KEY_SOURCES = ("keyring", "passphrase")


@dataclass(frozen=True)
class KeySpec:
    """How one key is obtained: from the keyring entry `account`, or from a passphrase through `kdf`."""

    source: str
    key_check: str
    kdf: Scrypt | None = None
    account: str | None = None

    def to_json(self) -> dict:
        data = {"key_source": self.source, "key_check": self.key_check}
        if self.kdf:
            data["kdf"] = self.kdf.to_json()
        if self.account:
            data["account"] = self.account
        return data

    @classmethod
    def from_json(cls, data: dict) -> "KeySpec":
        source = data.get("key_source")
        if source not in KEY_SOURCES:
            raise ValueError(f"unknown key source {source!r}")
        kdf = Scrypt.from_json(data["kdf"]) if source == "passphrase" else None
        return cls(source=source, key_check=str(data.get("key_check", "")), kdf=kdf, account=data.get("account"))


@dataclass(frozen=True)
class StoreMeta:
    store_id: str
    key: KeySpec
    pending: KeySpec | None = field(default=None)

    def with_key(self, key: KeySpec, pending: KeySpec | None = None) -> "StoreMeta":
        return replace(self, key=key, pending=pending)

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "version": VERSION,
            "store_id": self.store_id,
            **self.key.to_json(),
            "pending": self.pending.to_json() if self.pending else None,
        }


def meta_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".meta.json")


def load(db_path: Path) -> StoreMeta | None:
    path = meta_path(db_path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw)
        if data.get("format") != FORMAT:
            raise ValueError("not a Hushwrite metadata file")
        if int(data.get("version", 0)) > VERSION:
            raise ValueError("made by a newer Hushwrite")
        pending = KeySpec.from_json(data["pending"]) if data.get("pending") else None
        return StoreMeta(store_id=str(data["store_id"]), key=KeySpec.from_json(data), pending=pending)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise NotAStore(f"{path} is not a Hushwrite store metadata file ({exc}). The store was left untouched.") from exc


def save(db_path: Path, meta: StoreMeta) -> None:
    path = meta_path(db_path)
    write_atomically(path, (json.dumps(meta.to_json(), indent=1) + "\n").encode("utf-8"))


def write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    """Make a rename durable (POSIX); a no-op where directories cannot be opened (Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

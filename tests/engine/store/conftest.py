"""Fixtures for store tests: a private data dir, no real keyring unless a test brings one, a cheap KDF."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import keyring
import keyring.backends.fail
import keyring.errors
import pytest
from keyring.backend import KeyringBackend

from engine.store import keys

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
PASSPHRASE = "correct horse battery staple"
FAST_KDF = keys.Scrypt(n=2**12, r=8, p=1)  # same code path, 1/32 of the cost; one test uses the real default


class MemoryKeyring(KeyringBackend):
    """A secure-looking keyring kept in memory, for in-process tests of keyring mode."""

    priority = 10

    def __init__(self):
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        if self.items.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("not found")


@pytest.fixture()
def store_root(request, tmp_path):
    """Where the test's data dir lives: RAM (/dev/shm) for speed, since every commit fsyncs, unless the
    test module sets STORE_ON_DISK = True (crash safety and no-plaintext run on the real disk)."""
    shm = Path("/dev/shm")
    if getattr(request.module, "STORE_ON_DISK", False) or not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    root = Path(tempfile.mkdtemp(prefix="hushwrite-store-test-", dir=shm))
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(autouse=True)
def store_env(store_root, monkeypatch):
    """Every store test: its own HUSHWRITE_DATA_DIR, a passphrase in the env, keyring's fail backend."""
    data = store_root / "data"
    monkeypatch.setenv("HUSHWRITE_DATA_DIR", str(data))
    monkeypatch.setenv("HUSHWRITE_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    for name in ("HUSHWRITE_KEYRING", "HUSHWRITE_NEW_PASSPHRASE", "HUSHWRITE_FILE_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(keys, "DEFAULT_KDF", FAST_KDF)
    monkeypatch.setattr(keys, "EXPORT_KDF", FAST_KDF)
    monkeypatch.setattr(keys, "_fd_cache", {})
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield data
    keyring.set_keyring(previous)


@pytest.fixture()
def memory_keyring():
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


def child_env(**extra: str) -> dict[str, str]:
    """Environment for a child Python: this repo importable, plus `extra`."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


@pytest.fixture()
def child():
    """Run a helper script from tests/store/children/ with this Python; returns CompletedProcess."""
    import subprocess

    def run(script: str, *args: str, timeout: float = 60, env: dict | None = None, stdin=subprocess.DEVNULL):
        return subprocess.run([sys.executable, str(HERE / "children" / script), *map(str, args)],
                              capture_output=True, text=True, timeout=timeout, env=env or child_env(), stdin=stdin)

    return run


def all_store_bytes(folder: Path) -> dict[str, bytes]:
    """Raw bytes of every file under the data dir (database, -wal, -shm, -journal, metadata, lock...)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def passphrase() -> str:
    return PASSPHRASE


@pytest.fixture()
def snapshot():
    return all_store_bytes


@pytest.fixture(name="child_env")
def child_env_fixture():
    return child_env

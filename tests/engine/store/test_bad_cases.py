"""Wrong passphrase, missing keyring entry, foreign or damaged files, disk full, read-only folder:
each gives a clear message, exit code 2, and loses nothing."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import keyring.backends.fail
import pytest

from engine.store import CorruptStore, KeyMissing, NotAStore, Store, WrongPassphrase

HERE = os.path.dirname(__file__)


def stat_of(folder):
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


def make_store(rows=3):
    with Store.open() as store:
        for i in range(rows):
            store.add_run("proofread", f"input {i} " * 200, f"output {i}")
        return store.path


def test_wrong_passphrase_leaves_every_file_untouched(store_env, snapshot):
    make_store()
    before_bytes, before_stat = snapshot(store_env), stat_of(store_env)
    with pytest.raises(WrongPassphrase, match="Wrong passphrase") as caught:
        Store.open(passphrase="not the passphrase")
    assert caught.value.exit_code == 2
    assert snapshot(store_env) == before_bytes and stat_of(store_env) == before_stat
    with Store.open() as store:
        assert store.counts()["history"] == 3


def test_keyring_entry_missing(store_env, monkeypatch, memory_keyring, snapshot):
    monkeypatch.delenv("HUSHWRITE_PASSPHRASE")
    make_store()
    memory_keyring.items.clear()
    before = snapshot(store_env)
    with pytest.raises(KeyMissing, match="missing from the system keyring") as caught:
        Store.open()
    assert caught.value.exit_code == 2 and "untouched" in str(caught.value)
    assert snapshot(store_env) == before


def test_keyring_store_where_no_keyring_runs(store_env, monkeypatch, memory_keyring):
    monkeypatch.delenv("HUSHWRITE_PASSPHRASE")
    make_store()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    with pytest.raises(KeyMissing, match="no secure keyring is available"):
        Store.open()


def test_keyring_holding_another_key(store_env, monkeypatch, memory_keyring):
    monkeypatch.delenv("HUSHWRITE_PASSPHRASE")
    make_store()
    (entry,) = memory_keyring.items
    memory_keyring.items[entry] = os.urandom(32).hex()
    with pytest.raises(KeyMissing, match="different key"):
        Store.open()


def test_plain_sqlite_file_is_not_a_store(store_env, snapshot):
    store_env.mkdir()
    conn = sqlite3.connect(store_env / "store.db")
    conn.execute("CREATE TABLE notes (t)")
    conn.commit()
    conn.close()
    before = snapshot(store_env)
    with pytest.raises(NotAStore, match="unencrypted SQLite database"):
        Store.open()
    after = snapshot(store_env)
    assert after.pop("store.db.lock") == b""  # the (empty) lock file is the only thing added
    assert after == before


def test_random_file_without_metadata_is_not_a_store(store_env):
    store_env.mkdir()
    (store_env / "store.db").write_bytes(b"my novel, chapter one\n" * 500)
    with pytest.raises(NotAStore, match="not a Hushwrite store"):
        Store.open()
    assert (store_env / "store.db").read_bytes().startswith(b"my novel")


def test_damaged_metadata_is_reported(store_env):
    make_store()
    (store_env / "store.db.meta.json").write_text("{ not json")
    with pytest.raises(NotAStore, match="metadata"):
        Store.open()


def damage(path, page):
    with open(path, "r+b") as handle:
        handle.seek(4096 * page + 100)
        handle.write(os.urandom(512))


@pytest.mark.parametrize("page", [0, 2])
def test_damaged_store_is_reported_then_quarantined_never_deleted(store_env, page):
    path = make_store(rows=40)
    damage(path, page)
    damaged = path.read_bytes()
    with pytest.raises(CorruptStore, match="store quarantine") as caught:
        with Store.open() as store:
            store.history(limit=1000)
            assert store.check() == []  # unreachable: the damage must show up by here
    assert caught.value.exit_code == 2
    target = Store.quarantine()
    assert (target / "store.db").read_bytes() == damaged
    assert not path.exists()
    with Store.open() as store:
        assert store.counts()["history"] == 0


def test_check_finds_damage_that_reads_miss(store_env):
    path = make_store(rows=40)
    with Store.open() as store:
        assert store.check() == []
    damage(path, 5)
    with pytest.raises(CorruptStore):
        with Store.open() as store:
            assert store.check()
            raise CorruptStore("reported by check()")


def unshare_works() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


needs_mounts = pytest.mark.skipif(not unshare_works(), reason="needs root and `unshare -m` to mount a tiny tmpfs")


def in_mount_namespace(script: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["unshare", "-m", "sh", "-ec", script], capture_output=True, text=True, timeout=60, env=env)


@needs_mounts
def test_disk_full_loses_nothing_committed(tmp_path, child_env):
    folder = tmp_path / "tiny"
    folder.mkdir()
    result = in_mount_namespace(
        f"mount -t tmpfs -o size=600k tmpfs {folder}; {sys.executable} {HERE}/children/disk_full.py {folder}/data",
        child_env())
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["committed"] > 5
    assert "disk" in report["error"] and "full" in report["error"] and "intact" in report["error"]
    assert report["still_there"] == report["reopened"] == report["committed"]
    assert report["all_ids"] and report["problems"] == []


@needs_mounts
def test_read_only_data_dir(tmp_path, child_env):
    folder = tmp_path / "ro"
    folder.mkdir()
    script = HERE + "/children/read_only.py"
    result = in_mount_namespace(
        f"mount -t tmpfs -o size=4m tmpfs {folder}; {sys.executable} {script} create {folder}/data; "
        f"mount -o remount,ro {folder}; "
        f"{sys.executable} {script} open {folder}/data || echo exit=$?; "
        f"{sys.executable} {script} open {folder}/never-made || echo exit=$?; "
        f"ls {folder}/data",
        child_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("exit=2") == 2
    assert result.stderr.count("is read-only") == 2 and "Traceback" not in result.stderr
    assert "store.db" in result.stdout

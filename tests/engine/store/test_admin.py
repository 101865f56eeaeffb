"""Re-key (passphrase change, keyring rotation, switching source), export/import, forget, and the exclusive lock."""

from __future__ import annotations

import os

import pytest

from engine.store import NotAStore, Store, StoreBusy, StoreError, WrongPassphrase, admin, meta

NEW = "a brand new passphrase"


def fill(store) -> None:
    store.add_run("proofread", "alpha input", "alpha output", kind="formal")
    store.dict_add("Hushwrite")
    store.set_style_profile("Short and warm.", "friendly")
    store.cache_put("h1", "summary one")
    store.set_setting("hotkey", "ctrl+alt+h")


def test_change_passphrase(store_env, passphrase):
    with Store.open() as store:
        fill(store)
        old_salt = store.path.read_bytes()[:16]
        assert store.change_key(new_passphrase=NEW) == "passphrase"
        assert store.counts()["history"] == 1  # still usable after the swap
        store.add_run("rewrite", "after", "rekey")
    assert (store_env / "store.db").read_bytes()[:16] != old_salt  # a fresh salt with the new passphrase
    with pytest.raises(WrongPassphrase):
        Store.open(passphrase=passphrase)
    with Store.open(passphrase=NEW) as store:
        assert store.counts()["history"] == 2 and store.dictionary_words() == ["Hushwrite"]
    assert meta.load(store_env / "store.db").pending is None
    assert not (store_env / "store.db.rekey").exists()


def test_killed_before_the_swap_keeps_the_old_key(store_env, passphrase, monkeypatch):
    real_replace = os.replace

    def dies_at_the_swap(src, dst):
        if str(src).endswith(".rekey"):
            raise OSError("killed here")
        real_replace(src, dst)

    with Store.open() as store, monkeypatch.context() as patch:
        fill(store)
        patch.setattr(admin.os, "replace", dies_at_the_swap)
        with pytest.raises(OSError):
            store.change_key(new_passphrase=NEW)
    with Store.open(passphrase=passphrase) as store:  # the pending key is dropped on the next open
        assert store.counts()["history"] == 1
    assert meta.load(store_env / "store.db").pending is None


def test_killed_after_the_swap_opens_with_the_new_key(store_env, monkeypatch):
    with Store.open() as store, monkeypatch.context() as patch:
        fill(store)
        patch.setattr(admin, "finish_rekey", lambda *a: (_ for _ in ()).throw(OSError("killed here")))
        with pytest.raises(OSError):
            store.change_key(new_passphrase=NEW)
    assert meta.load(store_env / "store.db").pending is not None
    with Store.open(passphrase=NEW) as store:  # finds the pending key and finishes the re-key
        assert store.counts()["history"] == 1
    info = meta.load(store_env / "store.db")
    assert info.pending is None and info.key.source == "passphrase"


def test_keyring_rotation_and_switching_sources(store_env, monkeypatch, memory_keyring):
    with Store.open() as store:
        fill(store)
        assert store.change_key(to="keyring") == "keyring"
        first = store.meta.key.account
        assert list(memory_keyring.items) == [("hushwrite", first)]
        store.change_key()
        second = store.meta.key.account
        assert second != first and list(memory_keyring.items) == [("hushwrite", second)]
    monkeypatch.delenv("HUSHWRITE_PASSPHRASE")
    with Store.open() as store:
        assert store.key_source == "keyring" and store.counts()["history"] == 1
        store.change_key(to="passphrase", new_passphrase=NEW)
    assert memory_keyring.items == {}
    with Store.open(passphrase=NEW) as store:
        assert store.key_source == "passphrase"


def test_rekey_refused_while_another_process_has_the_store(store_env):
    with Store.open() as first, Store.open() as second:
        with pytest.raises(StoreBusy, match="Close it"):
            first.change_key(new_passphrase=NEW)
        second.add_run("still", "works", "fine")
    with Store.open() as store:  # nothing changed
        assert store.counts()["history"] == 1


def test_export_then_import_into_a_new_store(store_env, tmp_path):
    file = tmp_path / "backup.hwx"
    with Store.open() as store:
        fill(store)
        store.export_to(file, "export passphrase")
        with pytest.raises(StoreError, match="already exists"):
            store.export_to(file, "export passphrase")
    assert oct(file.stat().st_mode & 0o777) == "0o600"
    with Store.open(tmp_path / "other", passphrase="other store passphrase") as other:
        added = other.import_from(file, "export passphrase")
        assert added["history"] == 1 and added["dictionary"] == 1
        assert other.style_profile() == {"text": "Short and warm.", "tone": "friendly"}
        assert other.cache_get("h1") == "summary one" and other.get_setting("hotkey") == "ctrl+alt+h"
        again = other.import_from(file, "export passphrase")
        assert again["history"] == 0 and other.counts()["history"] == 1  # importing twice adds nothing twice


def test_import_merges_unless_replace(store_env, tmp_path):
    file = tmp_path / "backup.hwx"
    with Store.open() as store:
        fill(store)
        store.export_to(file, "export passphrase")
    with Store.open(tmp_path / "other", passphrase="other store passphrase") as other:
        other.add_run("rewrite", "mine", "mine")
        other.set_setting("hotkey", "mine")
        other.set_style_profile("My own style.")
        other.import_from(file, "export passphrase")
        assert other.counts()["history"] == 2
        assert other.get_setting("hotkey") == "mine" and other.style_profile()["text"] == "My own style."
        other.import_from(file, "export passphrase", replace=True)
        assert [r["input"] for r in other.history()] == ["alpha input"]
        assert other.get_setting("hotkey") == "ctrl+alt+h" and other.style_profile()["text"] == "Short and warm."


def test_import_wrong_passphrase_or_foreign_file(store_env, tmp_path):
    file = tmp_path / "backup.hwx"
    with Store.open() as store:
        fill(store)
        store.export_to(file, "export passphrase")
        with pytest.raises(WrongPassphrase):
            store.import_from(file, "wrong passphrase")
        plain = tmp_path / "plain.txt"
        plain.write_bytes(b"SQLite format 3\x00" + os.urandom(4000))
        with pytest.raises(NotAStore):
            store.import_from(plain, "whatever it is")
        with pytest.raises(StoreError, match="does not exist"):
            store.import_from(tmp_path / "nope", "whatever it is")
        assert store.counts()["history"] == 1


def test_forget_all_removes_files_and_keyring_entry(store_env, monkeypatch, memory_keyring):
    monkeypatch.delenv("HUSHWRITE_PASSPHRASE")
    with Store.open() as store:
        fill(store)
    with Store.open() as store:
        with pytest.raises(StoreBusy):
            Store.forget_all()
    removed = Store.forget_all()
    assert any(r.startswith("keyring entry hushwrite/") for r in removed)
    assert memory_keyring.items == {} and list(store_env.iterdir()) == []
    with Store.open(passphrase="a fresh start here") as store:
        assert store.counts()["history"] == 0


def test_quarantine_keeps_everything_and_forget_includes_it(store_env, snapshot):
    with Store.open() as store:
        fill(store)
    before = snapshot(store_env)
    target = Store.quarantine()
    moved = snapshot(target)
    assert moved == {k: v for k, v in before.items() if k != "store.db.lock"}
    with Store.open(target) as old:  # a quarantined store can still be opened where it is
        assert old.counts()["history"] == 1
    assert Store.quarantine() is None  # nothing left to move
    Store.forget_all()
    assert not (store_env / "quarantine").exists()

"""No personal text ever reaches the disk in the clear: scan the raw bytes of every file in the data dir."""

from __future__ import annotations

import sqlite3

from engine.store import Store

SECRETS = {
    "input": "Qwertz-INPUT-7f3a: my diagnosis letter to Dr Oyelaran",
    "output": "Qwertz-OUTPUT-91bc: rewritten diagnosis letter",
    "tool": "Qwertz-TOOL-proofread",
    "kind": "Qwertz-KIND-tone",
    "model": "Qwertz-MODEL-name",
    "timing": "Qwertz-TIMING-key",
    "edit": "Qwertz-EDIT-accepted",
    "word": "Qwertzwordlyxian",
    "style": "Qwertz-STYLE: I write like a tired lawyer",
    "tone": "Qwertz-TONE",
    "cache_key": "Qwertz-CACHEKEY-sha256",
    "cache_value": "Qwertz-CACHEVALUE: the chapter summary",
    "setting_key": "Qwertz-SETTINGKEY",
    "setting_value": "Qwertz-SETTINGVALUE",
}

STORE_ON_DISK = True  # real disk, real fsyncs (see conftest.store_root)


def write_everything(store) -> None:
    s = SECRETS
    store.add_run(s["tool"], s["input"], s["output"], kind=s["kind"], model=s["model"],
                  timings={s["timing"]: 1.5}, accepted_edits=[s["edit"]])
    store.dict_add(s["word"])
    store.set_style_profile(s["style"], s["tone"])
    store.cache_put(s["cache_key"], s["cache_value"])
    store.set_setting(s["setting_key"], s["setting_value"])


def leaks(files: dict[str, bytes], extra: tuple[str, ...] = ()) -> list[str]:
    needles = [*SECRETS.values(), *extra, "Qwertz"]
    return [f"{needle!r} in {name}" for name, data in files.items() for needle in needles
            if needle.encode("utf-8") in data or needle.encode("utf-16-le") in data]


def test_no_plaintext_in_any_file_while_open_and_after_close(store_env, snapshot, passphrase, tmp_path):
    with Store.open() as store:
        write_everything(store)
        while_open = snapshot(store_env)
        assert any(name.endswith("-wal") for name in while_open)  # the WAL is scanned too
        assert leaks(while_open, (passphrase,)) == []
        export = store.export_to(tmp_path / "backup.hwx", "export passphrase 1")
    assert leaks(snapshot(store_env), (passphrase,)) == []
    assert leaks({"export": export.read_bytes()}, ("export passphrase 1",)) == []


def test_no_plaintext_after_deletes_and_rewrites(store_env, snapshot):
    with Store.open() as store:
        write_everything(store)
        store.dict_remove(SECRETS["word"])
        store.set_style_profile("plain", "neutral")
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert leaks(snapshot(store_env)) == []


def test_the_scan_would_catch_plaintext(tmp_path, snapshot):
    """Control: the same strings in a plain sqlite3 file are found, so a clean scan means something."""
    folder = tmp_path / "plain"
    folder.mkdir()
    conn = sqlite3.connect(folder / "store.db")
    conn.execute("CREATE TABLE t (v TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", [(v,) for v in SECRETS.values()])
    conn.commit()
    conn.close()
    assert len(leaks(snapshot(folder))) >= len(SECRETS)

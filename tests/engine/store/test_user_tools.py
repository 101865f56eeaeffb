"""The user's own tools in the encrypted store (migration 3): kept, changed in place, removed, and
carried by export/import (also from an export made before tools existed)."""

from __future__ import annotations

from engine.store import Store, keys


def test_tools_are_kept_in_order_changed_in_place_and_removed(store_env):
    with Store.open() as store:
        store.save_user_tool("Weekly report", "Make it a weekly report.", "rewrite", "Ctrl+Alt+W")
        store.save_user_tool("Brief", "Two sentences for a manager.", "summary")
        store.save_user_tool("Weekly status", "Shorter.", "rewrite", "", replacing="Weekly report")
        assert store.user_tools() == [
            {"name": "Weekly status", "instruction": "Shorter.", "kind": "rewrite", "shortcut": ""},
            {"name": "Brief", "instruction": "Two sentences for a manager.", "kind": "summary", "shortcut": ""},
        ]
        assert store.counts()["tools"] == 2
        assert store.delete_user_tool("Brief") and not store.delete_user_tool("Brief")
    with Store.open() as store:  # survives a reopen
        assert [t["name"] for t in store.user_tools()] == ["Weekly status"]


def test_export_import_merges_or_replaces_tools(store_env, tmp_path):
    file = tmp_path / "backup.hwx"
    with Store.open() as store:
        store.save_user_tool("Weekly report", "Theirs.", "rewrite")
        store.save_user_tool("Brief", "Two sentences.", "summary")
        store.export_to(file, "export passphrase")
    with Store.open(tmp_path / "other", passphrase="other store passphrase") as other:
        other.save_user_tool("Weekly report", "Mine.", "rewrite")
        added = other.import_from(file, "export passphrase")
        assert added["tools"] == 1  # Brief; my Weekly report is kept
        assert {t["name"]: t["instruction"] for t in other.user_tools()} == {"Weekly report": "Mine.",
                                                                             "Brief": "Two sentences."}
        other.import_from(file, "export passphrase", replace=True)
        assert {t["name"]: t["instruction"] for t in other.user_tools()} == {"Weekly report": "Theirs.",
                                                                             "Brief": "Two sentences."}


def test_an_export_from_before_tools_still_imports(store_env, tmp_path):
    file = tmp_path / "old.hwx"
    with Store.open() as store:
        store.dict_add("Hushwrite")
        store.export_to(file, "export passphrase")
        # make it what schema 2 wrote: no tools table, no migration 3
        salt = file.read_bytes()[:16]
        key = keys.sqlcipher_key(keys.EXPORT_KDF.derive("export passphrase", salt))
        conn = store.db.conn
        conn.execute("ATTACH DATABASE ? AS old KEY ?", (str(file), key))
        conn.execute("DROP TABLE old.tools")
        conn.execute("DELETE FROM old.schema_migrations WHERE number = 3")
        conn.commit()
        conn.execute("DETACH DATABASE old")
    with Store.open(tmp_path / "other", passphrase="other store passphrase") as other:
        other.save_user_tool("Mine", "Keep me.", "rewrite")
        added = other.import_from(file, "export passphrase")
        assert added["dictionary"] == 1 and "tools" not in added
        assert [t["name"] for t in other.user_tools()] == ["Mine"]

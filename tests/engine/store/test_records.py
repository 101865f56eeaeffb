"""History, dictionary, style profile, summarize cache and settings: what goes in comes back out."""

from __future__ import annotations

import stat

import pytest

from engine.store import Store, StoreError, StoreTooNew
from engine.store import records


def test_history_round_trip_newest_first(store_env):
    with Store.open() as store:
        first = store.add_run("proofread", "teh cat", "the cat", kind="formal", model="smollm2",
                              timings={"load_s": 0.5, "generate_s": 1.25}, accepted_edits=[{"from": "teh", "to": "the"}])
        second = store.add_run("rewrite", "hi", "Hello there", kind="friendly")
        runs = store.history()
    assert [r["id"] for r in runs] == [second, first]
    assert runs[1]["timings"] == {"load_s": 0.5, "generate_s": 1.25}
    assert runs[1]["accepted_edits"] == [{"from": "teh", "to": "the"}]
    assert runs[1]["kind"] == "formal" and runs[1]["model"] == "smollm2"
    assert runs[0]["accepted_edits"] == [] and runs[0]["timings"] == {}
    assert runs[0]["created_at"].endswith("+00:00")


def test_history_search_limit_and_wildcards_are_literal(store_env):
    with Store.open() as store:
        for i in range(30):
            store.add_run("summarize", f"report number {i}", f"summary {i}")
        store.add_run("proofread", "50% off_sale", "fixed")
        store.add_run("proofread", "5000 offXsale", "fixed")
        assert len(store.history(limit=5)) == 5
        assert [r["input"] for r in store.history(search="NUMBER 29")] == ["report number 29"]
        assert len(store.history(search="report", limit=100)) == 30
        assert [r["input"] for r in store.history(search="50% off_")] == ["50% off_sale"]
        assert store.search_history("summary 7") == store.history(search="summary 7")
        assert len(store.history(tool="proofread", limit=100)) == 2
        with pytest.raises(StoreError):
            store.history(limit=0)


def test_accepted_edits_can_be_recorded_later(store_env):
    with Store.open() as store:
        run_id = store.add_run("proofread", "a", "b")
        assert store.set_accepted_edits(run_id, [0, 2])
        assert store.get_run(run_id)["accepted_edits"] == [0, 2]
        assert not store.set_accepted_edits(run_id + 100, [])
        assert store.get_run(run_id + 100) is None


def test_history_rejects_bad_entries(store_env):
    with Store.open() as store:
        with pytest.raises(StoreError):
            store.add_run("", "in", "out")
        with pytest.raises(StoreError, match="JSON"):
            store.add_run("proofread", "in", "out", timings={"t": object()})


def test_dictionary_add_remove_list(store_env):
    with Store.open() as store:
        assert store.dict_add("Hushwrite")
        assert store.dict_add("  zettelkasten ")
        assert not store.dict_add("Hushwrite")
        assert store.dict_add("hushwrite")  # case is kept: both spellings are the user's words
        assert store.dict_add("Kubernetes")
        assert store.dictionary_words() == ["Hushwrite", "hushwrite", "Kubernetes", "zettelkasten"]
        assert store.dict_remove("hushwrite") and not store.dict_remove("hushwrite")
        assert store.dict_list() == ["Hushwrite", "Kubernetes", "zettelkasten"]
        for bad in ("", "   ", "two\nlines", "x" * 101):
            with pytest.raises(StoreError):
                store.dict_add(bad)


def test_style_profile_partial_updates(store_env):
    with Store.open() as store:
        assert store.style_profile() == {"text": "", "tone": None}
        assert store.set_style_profile(text="Short sentences. British spelling.") == {
            "text": "Short sentences. British spelling.", "tone": None}
        store.set_style_profile(tone="friendly")
        assert store.style_profile() == {"text": "Short sentences. British spelling.", "tone": "friendly"}
        store.set_style_profile(clear_tone=True)
        assert store.style_profile()["tone"] is None
        with pytest.raises(StoreError):
            store.set_style_profile(tone="a\nb")


def test_summarize_cache_get_put_and_bound(store_env, monkeypatch):
    monkeypatch.setattr(records, "CACHE_MAX_ENTRIES", 5)
    with Store.open() as store:
        assert store.cache_get("abc") is None
        store.cache_put("abc", "first")
        store.cache_put("abc", "second")
        assert store.cache_get("abc") == "second"
        for i in range(10):
            store.cache_put(f"k{i}", f"v{i}")
        assert store.counts()["summary_cache"] == 5
        assert store.cache_get("k9") == "v9" and store.cache_get("k0") is None


def test_settings_are_json(store_env):
    with Store.open() as store:
        assert store.get_setting("hotkey", "ctrl+alt+h") == "ctrl+alt+h"
        store.set_setting("hotkey", "ctrl+shift+space")
        store.set_setting("window", {"w": 640, "h": 480, "pinned": True})
        assert store.settings() == {"hotkey": "ctrl+shift+space", "window": {"w": 640, "h": 480, "pinned": True}}
        assert store.delete_setting("hotkey") and store.get_setting("hotkey") is None


def test_everything_survives_reopen(store_env):
    with Store.open() as store:
        store.add_run("rewrite", "in", "out")
        store.dict_add("Quixotic")
        store.set_style_profile("Warm.", "friendly")
        store.cache_put("h", "s")
        store.set_setting("k", [1, 2])
        store.save_user_tool("Mine", "Do it.", "rewrite")
    with Store.open() as store:
        assert store.counts() == {"history": 1, "dictionary": 1, "summary_cache": 1, "settings": 1, "tools": 1}
        assert store.style_profile() == {"text": "Warm.", "tone": "friendly"}
        assert store.get_setting("k") == [1, 2]


def test_migrations_recorded_in_order_and_newer_store_refused(store_env):
    with Store.open() as store:
        rows = list(store.db.query("SELECT number, name FROM schema_migrations ORDER BY number"))
        assert [r["number"] for r in rows] == [1, 2, 3]  # initial, drafts, your tools
        with store.writing() as db:
            db.execute("INSERT INTO schema_migrations (number, name, applied_at) VALUES (99, 'future', 'x')")
    with pytest.raises(StoreTooNew, match="newer Hushwrite"):
        Store.open()


def test_drafts_are_kept_replaced_and_cleared(store_env):
    with Store.open() as store:
        assert store.draft() is None
        store.save_draft("first words", "/tmp/letter.md")
        store.save_draft("first words and more")
        kept = store.draft()
        assert kept["text"] == "first words and more" and kept["path"] is None and kept["updated_at"]
        store.clear_draft()
        assert store.draft() is None


def test_files_are_private(store_env):
    with Store.open() as store:
        store.add_run("proofread", "x", "y")
        for p in store_env.iterdir():
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    assert stat.S_IMODE(store_env.stat().st_mode) == 0o700


def test_closed_store_refuses_work(store_env):
    store = Store.open()
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.history()
    assert "closed" in repr(store)

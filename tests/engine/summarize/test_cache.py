"""The resume cache: keys that change with everything that changes an answer, and the store adapter."""

from __future__ import annotations

from engine.summarize import MemoryCache, as_cache, cache_key
from engine.summarize.cache import StoreCache, model_identity


def test_key_depends_on_model_kind_stage_version_params_and_text():
    base = cache_key("m|1|Q4", "summary", "map", "v1", "text", max_tokens=10)
    assert base == cache_key("m|1|Q4", "summary", "map", "v1", "text", max_tokens=10)
    others = [
        cache_key("m|2|Q4", "summary", "map", "v1", "text", max_tokens=10),
        cache_key("m|1|Q4", "points", "map", "v1", "text", max_tokens=10),
        cache_key("m|1|Q4", "summary", "merge", "v1", "text", max_tokens=10),
        cache_key("m|1|Q4", "summary", "map", "v2", "text", max_tokens=10),
        cache_key("m|1|Q4", "summary", "map", "v1", "text", max_tokens=11),
        cache_key("m|1|Q4", "summary", "map", "v1", "text.", max_tokens=10),
    ]
    assert len({base, *others}) == 7


def test_model_identity_includes_file_size_and_quantization(model):
    ident = model_identity(model)
    assert ident.startswith(model.name) and str(model.info.file_size) in ident and model.info.quantization in ident


class _Store:
    """The store's cache interface (cache_get / cache_put), as engine.store.Store exposes it."""

    def __init__(self):
        self.rows = {}

    def cache_get(self, key):
        return self.rows.get(key)

    def cache_put(self, key, value):
        self.rows[key] = value


def test_a_store_is_adapted_and_get_put_caches_pass_through():
    store = _Store()
    c = as_cache(store)
    assert isinstance(c, StoreCache)
    c.put("k", "v")
    assert store.rows == {"k": "v"} and c.get("k") == "v"
    mc = MemoryCache()
    assert as_cache(mc) is mc and as_cache(None) is None


def test_a_store_that_stops_working_mid_job_only_costs_the_resume(tmp_path, monkeypatch):
    """The user locks the store in the window while a summary runs: the cache goes quiet and
    says why; the summary itself is not failed by a cache it only speeds up."""
    from engine.store import Store

    monkeypatch.setenv("HUSHWRITE_KEYRING", "off")
    store = Store.open(data_dir=tmp_path, passphrase="a long enough passphrase", interactive=False)
    c = as_cache(store)
    c.put("k", "v")
    assert c.get("k") == "v" and c.problem == ""
    store.close()
    assert c.get("k") is None
    assert "closed" in c.problem
    c.put("k2", "v2")  # no raise

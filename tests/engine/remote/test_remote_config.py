"""Engine choice, URL rules, estimated tokens and the API key's home (no server needed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.errors import InputError
from engine.remote import address, config
from engine.remote.tokens import EstimatedTokens

ROOT = Path(__file__).resolve().parents[3]


def _no_lookup(host, port):
    raise AssertionError("no name lookup expected")


def test_https_is_allowed_anywhere_without_a_warning():
    ep = address.parse("https://gpu.example.org:8443/v1/chat/completions", resolve=_no_lookup)
    assert (ep.scheme, ep.host, ep.port, ep.base_path, ep.warning) == ("https", "gpu.example.org", 8443, "", "")
    assert ep.label == "on gpu.example.org"


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://[::1]:8080", "http://192.168.1.20:11434",
                                 "http://10.0.0.7", "http://100.101.102.103:8000"])
def test_plain_http_only_on_this_computer_or_a_private_network_and_warned(url):
    ep = address.parse(url, resolve=_no_lookup)
    assert "plain http" in ep.warning and "not encrypted" in ep.warning or "unencrypted" in ep.warning


def test_plain_http_to_a_public_address_is_refused():
    with pytest.raises(InputError, match="use https://"):
        address.parse("http://8.8.8.8:8080", resolve=_no_lookup)
    with pytest.raises(InputError, match="use https://"):  # a name that resolves to a public address
        address.parse("http://gpu.example.org", resolve=lambda h, p: ["93.184.216.34"])
    ep = address.parse("http://gpu.lan:8080", resolve=lambda h, p: ["192.168.0.9"])
    assert "local network" in ep.warning


@pytest.mark.parametrize("url,why", [("gpu:8080", "needs a scheme"), ("ftp://x", "must start with https"),
                                     ("https://user:key@x", "not in the URL"), ("https://x:99999", "invalid port")])
def test_bad_urls_say_what_is_wrong(url, why):
    with pytest.raises(InputError, match=why):
        address.parse(url, resolve=_no_lookup)


def test_estimated_tokens_round_trip_and_stand_for_messages(model):
    est = EstimatedTokens()
    text = "Naïve café owners in Zürich sold 1,234 croissants — internationalization_is hard!\n\tEnd."
    assert est.detokenize(est.tokenize(text)) == text
    msgs = [{"role": "system", "content": "Fix the text."}, {"role": "user", "content": text}]
    prompt = est.prompt(msgs) + est.tokenize("Corrected:")
    assert est.split(prompt) == (msgs, "Corrected:")
    # an estimate that errs high, never far below the real tokenizer (the budgets stay safe)
    sample = Path(ROOT / "README.md").read_text()[:6000]
    ratio = est.count(sample) / model.count_tokens(sample)
    assert 0.95 <= ratio <= 1.4, ratio


def test_choice_comes_only_from_the_user(monkeypatch):
    class Args:
        engine_url = None
        engine_model = None
        engine_slots = None

    monkeypatch.delenv("HUSHWRITE_ENGINE_URL", raising=False)
    assert not config.from_args(Args()).remote
    monkeypatch.setenv("HUSHWRITE_ENGINE_URL", "https://gpu.example.org")
    assert config.from_args(Args()).url == "https://gpu.example.org"


def test_api_key_from_env_then_store_never_a_settings_file(monkeypatch, tmp_path):
    class FakeStore:  # the encrypted store's settings API (get/set/delete)
        def __init__(self):
            self.values = {}

        def get_setting(self, k, default=None):
            return self.values.get(k, default)

        def set_setting(self, k, v):
            self.values[k] = v

        def delete_setting(self, k):
            return self.values.pop(k, None) is not None

    monkeypatch.setattr(config, "_keyring", lambda: None)  # no keyring on this machine
    store = FakeStore()
    assert config.save_api_key("https://gpu.example.org:8443/v1", "sk-1", store) == "store"
    assert store.values == {"engine.api_key:https://gpu.example.org:8443": "sk-1"}
    assert config.load_api_key("https://gpu.example.org:8443", store) == "sk-1"
    monkeypatch.setenv("HUSHWRITE_ENGINE_KEY", "from-env")
    assert config.load_api_key("https://gpu.example.org:8443", store) == "from-env"
    with pytest.raises(InputError, match="HUSHWRITE_ENGINE_KEY"):
        config.save_api_key("https://gpu.example.org", "sk-2", None)


def test_nothing_remote_is_loaded_without_a_url(tmp_path):
    """With the default configuration the CLI never imports the remote engine (or http.client)."""
    code = (
        "import sys, runpy\n"
        "from hushwrite.cli import main\n"
        "rc = main(['--no-store', 'proofread'])\n"
        "bad = [m for m in ('engine.remote.http', 'engine.remote.model', 'http.client', 'ssl') if m in sys.modules]\n"
        "print('LOADED', bad, file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), HUSHWRITE_DATA_DIR=str(tmp_path))
    env.pop("HUSHWRITE_ENGINE_URL", None)
    p = subprocess.run([sys.executable, "-c", code], input="i has went home.", capture_output=True, text=True,
                       timeout=300, env=env)
    assert p.returncode in (0, 4), p.stderr
    assert "LOADED []" in p.stderr, p.stderr

"""Settings ▸ Engine: "This computer" by default; "My server" checks the URL's rules, tests a real
llama-server (model and speed shown) and keeps the API key out of the settings file."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from app.dialogs.engine import EngineDialog, engine_location
from app.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine" / "remote"))
from remote_server import LlamaServer, server_binary  # noqa: E402


def test_default_is_this_computer(qtbot):
    d = EngineDialog(Settings())
    qtbot.addWidget(d)
    assert not d.page.remote and not d.page.url.isEnabled() and not d.page.test_button.isEnabled()
    assert engine_location(Settings()) == "on this computer"
    assert "never leaves this computer" in d.page.status.text()
    assert d.result_settings().engine_url == ""


def test_plain_http_to_a_public_address_cannot_be_saved(qtbot):
    d = EngineDialog(Settings())
    qtbot.addWidget(d)
    d.page.where.setCurrentIndex(1)
    d.page.url.setText("http://8.8.8.8:8080")
    assert "not encrypted" in d.page.warning.text()
    d.accept()
    assert d.result() != d.DialogCode.Accepted
    assert "use https://" in d.error.text()


def test_test_button_shows_the_servers_model_and_speed_and_key_goes_to_the_store(
        qtbot, tmp_path, monkeypatch, default_model_path):
    if server_binary() is None:
        if os.environ.get("HUSHWRITE_REQUIRE_LLAMA_SERVER") == "1":
            pytest.fail("no llama-server built")
        pytest.skip("no llama-server built (run packaging/llama_server)")
    from engine.remote import config
    from engine.store import Store

    monkeypatch.setattr(config, "_keyring", lambda: None)  # no keyring: the encrypted store keeps it
    monkeypatch.delenv("HUSHWRITE_ENGINE_KEY", raising=False)
    store = Store.open(tmp_path / "data", passphrase="correct horse")
    with LlamaServer(default_model_path, slots=2, api_key="k-123", log_dir=tmp_path) as srv:
        d = EngineDialog(Settings(), store)
        qtbot.addWidget(d)
        d.page.where.setCurrentIndex(1)
        d.page.url.setText(srv.url)
        d.page.key.setText("k-123")
        with qtbot.waitSignal(d.page.tested, timeout=60000) as got:
            d.page.test_button.click()
        ok, text = got.args
        assert ok, text
        assert f"{default_model_path.stem} on 127.0.0.1" in text and "Slots: 2" in text
        speed = float(text.split("Speed: ", 1)[1].split(" ", 1)[0])
        assert speed > 0
        d.page.key.setText("wrong")
        with qtbot.waitSignal(d.page.tested, timeout=60000) as got:
            d.page.test_button.click()
        assert got.args[0] is False and "refused the API key" in got.args[1]
        d.page.key.setText("k-123")
        d.accept()
        assert d.result() == d.DialogCode.Accepted
        settings = d.result_settings()
        settings.save(tmp_path / "settings.json")
    saved = (tmp_path / "settings.json").read_text()
    assert json.loads(saved)["engine_url"] == srv.url and "k-123" not in saved
    assert config.load_api_key(srv.url, store) == "k-123"
    assert engine_location(settings) == "on 127.0.0.1"
    store.close()

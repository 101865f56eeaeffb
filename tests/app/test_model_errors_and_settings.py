"""A bad model path shows an error in the window with a way forward; Settings shows GGUF metadata,
persists, and switches the model without restarting."""

from __future__ import annotations

import argparse

import pytest

from app.context import AppContext
from app.main_window import MainWindow
from app.settings import Settings


@pytest.fixture()
def bad_model_window(qtbot, app_data_dir, tmp_path):
    bogus = tmp_path / "broken.gguf"
    bogus.write_bytes(b"this is not a model file" * 10)
    ctx = AppContext(argparse.Namespace(no_store=True, model=None), Settings(model_path=str(bogus), threads=2))
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    ctx.start()
    qtbot.waitUntil(lambda: ctx.engine.state == "error", timeout=30_000)
    yield w
    ctx.shutdown()


def test_bad_model_path_shows_the_reason_and_a_way_forward(qtbot, bad_model_window):
    w = bad_model_window
    assert w.banner.isVisible()
    assert "could not be loaded" in w.banner.label.text()
    assert "GGUF" in w.banner.label.text() or "broken.gguf" in w.banner.label.text()
    assert w.banner.action.isVisible() and w.banner.action.text() == "Open Settings…"
    assert w.model_label.text() == "The model could not be loaded"

    # running a tool anyway: a readable message in the result pane, never a traceback
    w.editor.setPlainText("Some text to rewrite.")
    w.run_tool("rewrite", "concise")
    qtbot.waitUntil(lambda: w.job is None, timeout=10_000)
    message = w.result.banner.label.text()
    assert w.result.banner.isVisible() and "not loaded" in message and "Traceback" not in message
    assert w.result.banner.action.text() == "Open Settings…"


def test_settings_pick_default_model_recovers_without_restart(qtbot, bad_model_window, default_model_path):
    from app.dialogs.settings import SettingsDialog

    w = bad_model_window
    dlg = SettingsDialog(w.ctx.settings)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert "Cannot use this file" in dlg.info.text()  # the broken file's problem, before loading anything
    dlg.choose_model(str(default_model_path))
    info = dlg.info.text()
    for fact in ("Architecture: llama", "Parameters: 134.5M", "Quantization: Q4_1", "Size: 93.8 MB", "8,192"):
        assert fact in info
    dlg.threads.setValue(2)
    dlg.ctx.setValue(2048)
    dlg.flash.setCurrentIndex(dlg.flash.findData("off"))  # the user's explicit choice
    dlg.accept()
    assert dlg.result() == dlg.DialogCode.Accepted
    w.ctx.apply_settings(dlg.result_settings())

    qtbot.waitUntil(lambda: w.ctx.engine.state == "ready", timeout=60_000)
    assert not w.banner.isVisible()
    assert w.model_label.text().startswith("Ready")
    saved = Settings.load()
    assert (saved.model_path, saved.threads, saved.n_ctx, saved.flash_attn) == (str(default_model_path), 2, 2048, "off")
    assert w.ctx.engine._worker.model.n_ctx == 2048  # the new settings are in effect
    assert w.ctx.engine._worker.model.options.flash_attn is False  # the explicit choice reached the engine


def test_settings_refuses_gpu_layers_that_are_not_a_number(qtbot, ctx):
    from app.dialogs.settings import SettingsDialog

    dlg = SettingsDialog(ctx.settings)
    qtbot.addWidget(dlg)
    dlg.gpu.setText("lots")
    dlg.accept()
    assert dlg.result() != dlg.DialogCode.Accepted
    assert "whole number" in dlg.error.text()


def test_damaged_settings_file_gives_defaults(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    assert Settings.load(path) == Settings()
    Settings(threads=3, theme="dark").save(path)
    assert Settings.load(path) == Settings(threads=3, theme="dark")


def test_tray_settings_file_keeps_good_fields_and_drops_bad_ones(tmp_path):
    import json

    from app.settings import TraySettings

    path = tmp_path / "tray.json"
    path.write_text(json.dumps({"hotkey": "Ctrl+Alt+K", "paused": 1, "capture_timeout": 3, "last_tool": 5,
                                "unknown": "x"}), encoding="utf-8")
    loaded = TraySettings.load(path)
    assert loaded == TraySettings(hotkey="Ctrl+Alt+K", capture_timeout=3)  # 1 is not a bool, 5 not a tool name
    path.write_text("[]", encoding="utf-8")
    assert TraySettings.load(path) == TraySettings()
    path.write_text(json.dumps({"threads": True, "n_ctx": 2048}), encoding="utf-8")
    assert Settings.load(path) == Settings(n_ctx=2048)  # True is not a thread count

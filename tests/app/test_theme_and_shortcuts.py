"""Light/dark palettes follow the system colour scheme; every tool has its own keyboard shortcut."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtCore import Qt

from app import theme
from engine.tools import registry


@pytest.fixture()
def system_scheme(qapp):
    """Switch the desktop's colour scheme the way the platform announces it (the offscreen platform
    cannot change it for real, so the test sends Qt's own colorSchemeChanged signal)."""
    hints = QGuiApplication.styleHints()
    return hints.colorSchemeChanged.emit


def window_lightness(app) -> int:
    return app.palette().color(QPalette.ColorRole.Window).lightness()


def test_palette_follows_the_system_scheme(qapp, system_scheme):
    active = theme.install(qapp, "system")
    try:
        system_scheme(Qt.ColorScheme.Dark)
        qapp.processEvents()
        assert active.dark and window_lightness(qapp) < 80
        assert theme.colors() is theme.DARK
        system_scheme(Qt.ColorScheme.Light)
        qapp.processEvents()
        assert not active.dark and window_lightness(qapp) > 200
        active.set_mode("dark")  # an explicit choice in Settings wins over the system
        system_scheme(Qt.ColorScheme.Light)
        assert active.dark and window_lightness(qapp) < 80
    finally:
        active.set_mode("light")


def test_every_tool_has_a_distinct_shortcut_in_the_window(window):
    builtins = registry().tools()
    keys = [spec.shortcut for spec in builtins]
    assert len(set(keys)) == len(keys) == 10
    for spec in builtins:
        act = window.tool_actions[spec.key]
        assert act.shortcut().toString() == spec.shortcut
    assert window.stop_act.shortcut().toString() == "Esc"
    rewrite_labels = [a.text().replace("&", "") for a in window.menus.task_menus["rewrite"].actions()]
    assert rewrite_labels == ["Rewrite", "Friendly", "Professional", "Concise", "Custom instruction…"]
    summary_labels = [a.text().replace("&", "") for a in window.menus.task_menus["summarize"].actions()]
    assert summary_labels == ["Summary", "Key points", "List", "Table"]


def test_empty_editor_says_what_to_do(qtbot, window):
    window.editor.setPlainText("   ")
    window.run_tool("proofread")
    assert window.job is None
    assert window.result.banner.isVisible() and "write or paste" in window.result.banner.label.text()

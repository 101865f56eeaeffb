"""The encrypted store in the window: locked → unlock dialog (wrong, then right passphrase) →
history with search and reopen; dictionary and style profile editors. Real SQLCipher store."""

from __future__ import annotations

import argparse

import pytest
from PySide6.QtCore import Qt

from app.context import AppContext
from app.main_window import MainWindow
from app.settings import Settings

PASSPHRASE = "correct horse battery staple"


@pytest.fixture()
def locked_window(qtbot, tmp_path, monkeypatch):
    from engine.store import Store

    data = tmp_path / "data"
    monkeypatch.setenv("HUSHWRITE_DATA_DIR", str(data))
    monkeypatch.setenv("HUSHWRITE_KEYRING", "off")  # passphrase mode: the store must ask
    monkeypatch.delenv("HUSHWRITE_PASSPHRASE", raising=False)
    with Store.open(data_dir=data, passphrase=PASSPHRASE, interactive=False) as store:
        store.dict_add("Hushwrite")
    ctx = AppContext(argparse.Namespace(data_dir=str(data), passphrase_fd=None, no_store=False, model=None),
                     Settings(threads=2))
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    ctx.open_store()
    qtbot.waitUntil(lambda: ctx.store_state != "none" or ctx.store is not None, timeout=30_000)
    yield w
    ctx.shutdown()


def test_locked_store_unlock_then_history_search_and_reopen(qtbot, locked_window):
    from app.dialogs.history import HistoryDialog
    from app.dialogs.unlock import UnlockDialog
    from engine.tasks.base import TaskResult

    w = locked_window
    assert w.ctx.store_state == "locked"
    assert w.store_button.isVisible() and "Unlock" in w.store_button.text()
    assert not w.history_act.isEnabled()
    assert w.banner.isVisible() and "locked" in w.banner.label.text() and w.banner.action.text() == "Unlock…"

    dlg = UnlockDialog(w.ctx, w)
    qtbot.addWidget(dlg)
    dlg.passphrase.setText("not the passphrase")
    dlg.accept()
    qtbot.waitUntil(lambda: not dlg.busy, timeout=30_000)  # the key is derived off the UI thread
    assert dlg.result() != dlg.DialogCode.Accepted and w.ctx.store is None
    assert dlg.error.text() and "Try again" in dlg.error.text()
    dlg.passphrase.setText(PASSPHRASE)
    dlg.accept()
    qtbot.waitUntil(lambda: not dlg.busy, timeout=30_000)
    assert dlg.result() == dlg.DialogCode.Accepted
    assert w.ctx.store_state == "open" and w.history_act.isEnabled()
    assert not w.banner.isVisible()
    assert w.ctx.dictionary_words() == ["Hushwrite"]  # what proofreading gets

    w.ctx.record(TaskResult("rewrite", "hey send the report", "Hi! Could you send the report?", variant="friendly"))
    w.ctx.record(TaskResult("summarize", "a long text about parks", "Parks are good.", variant="summary"))
    history = HistoryDialog(w.ctx, w)
    qtbot.addWidget(history)
    assert history.runs.count() == 2
    history.search.setText("report")
    qtbot.waitUntil(lambda: history.runs.count() == 1, timeout=3000)
    assert "hey send the report" in history.detail.toPlainText()
    history.reopen.connect(w.show_history_entry)
    qtbot.mouseClick(history.reopen_btn, Qt.MouseButton.LeftButton)
    assert w.result.output.toPlainText() == "Hi! Could you send the report?"
    assert w.result.replace_btn.isEnabled()

    # what to do with a result: Copy, Insert below (one undo step)
    from PySide6.QtGui import QGuiApplication

    w.editor.setPlainText("First paragraph.")
    qtbot.mouseClick(w.result.copy_btn, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "Hi! Could you send the report?"
    qtbot.mouseClick(w.result.insert_btn, Qt.MouseButton.LeftButton)
    assert w.editor.text() == "First paragraph.\n\nHi! Could you send the report?"
    w.editor.undo()
    assert w.editor.text() == "First paragraph."


def test_dictionary_and_style_editors_write_to_the_store(qtbot, locked_window):
    from app.dialogs.dictionary import DictionaryDialog
    from app.dialogs.style import StyleDialog

    w = locked_window
    w.ctx.unlock_store(PASSPHRASE)
    dlg = DictionaryDialog(w.ctx, w)
    qtbot.addWidget(dlg)
    dlg.word.setText("Kubernetes")
    qtbot.keyClick(dlg.word, Qt.Key.Key_Return)
    assert sorted(w.ctx.dictionary_words()) == ["Hushwrite", "Kubernetes"]
    dlg.words.setCurrentRow([dlg.words.item(i).text() for i in range(dlg.words.count())].index("Hushwrite"))
    qtbot.mouseClick(dlg.remove_btn, Qt.MouseButton.LeftButton)
    assert w.ctx.dictionary_words() == ["Kubernetes"]

    style = StyleDialog(w.ctx, w)
    qtbot.addWidget(style)
    style.text.setPlainText("Short sentences. British spelling.")
    style.tone.setCurrentIndex(style.tone.findData("friendly"))
    style.accept()
    assert style.result() == style.DialogCode.Accepted
    assert w.ctx.style_text() == "Short sentences. British spelling."
    assert w.ctx.store.style_profile()["tone"] == "friendly"


def test_proofread_review_is_recorded_with_the_kept_edits(qtbot, locked_window):
    from tests.app.test_proofread_review import TEXT

    w = locked_window
    w.ctx.unlock_store(PASSPHRASE)
    w.ctx.load_model()  # the real default model, for this window's own engine
    w.editor.setPlainText(TEXT)
    w.run_tool("proofread")
    qtbot.waitUntil(lambda: w.side.currentWidget() is w.review, timeout=180_000)
    w.review.decide(0, True)
    qtbot.mouseClick(w.review.apply_btn, Qt.MouseButton.LeftButton)
    run = w.ctx.history()[0]
    assert run["tool"] == "proofread" and run["input"] == TEXT
    assert [e["original"] for e in run["accepted_edits"]] == [w.review.edits[0].original]

"""Tools ▸ Your tools…: a tool made through the dialog's real widgets runs from the window's menu
and from the tray's quick popup with the real model, through the same registry path as the
built-ins, and history names it; bad input is refused with a message and nothing is saved; without
a store the dialog says so and creates one."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from app.dialogs.tools import ToolsDialog

TEXT = "i has a apple and it are red"
INSTRUCTION = "Make it polite and formal."


def dialog(qtbot, ctx, window) -> ToolsDialog:
    dlg = ToolsDialog(ctx, window, reserved=window.menus.reserved_shortcuts())
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def fill(qtbot, dlg, name: str, instruction: str, kind_label: str = "Rewrites the text", key=None) -> None:
    """Type into the form the way a user does; `key`: (Qt key, modifiers) pressed in the shortcut field."""
    dlg.name.clear()
    qtbot.keyClicks(dlg.name, name)
    dlg.instruction.clear()
    qtbot.keyClicks(dlg.instruction, instruction)
    dlg.kind.setCurrentIndex(dlg.kind.findText(kind_label))
    dlg.shortcut.clear()
    if key is not None:
        dlg.shortcut.setFocus()
        qtbot.keyClick(dlg.shortcut, key[0], key[1])
        qtbot.waitUntil(lambda: not dlg.shortcut.keySequence().isEmpty(), timeout=3000)


def test_a_tool_made_in_the_dialog_runs_from_the_window_and_the_tray_and_history_names_it(qtbot, store_ctx, window):
    from app.tray.selection import Capture
    from app.tray.tray_icon import TrayController
    from app.tray.tray_settings import TraySettings

    from ..conftest import paste

    ctx = store_ctx
    dlg = dialog(qtbot, ctx, window)
    assert not dlg.no_store.isVisible() and dlg.save_btn.isEnabled()
    fill(qtbot, dlg, "Polite note", INSTRUCTION,
         key=(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier))
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    assert "Saved “Polite note”" in dlg.message.text() and "Rewrite menu" in dlg.message.text()
    assert ctx.store.user_tools() == [{"name": "Polite note", "instruction": INSTRUCTION, "kind": "rewrite",
                                       "shortcut": "Ctrl+Alt+N"}]
    assert [dlg.list.item(i).text() for i in range(dlg.list.count())] == ["Polite note"]
    dlg.close()

    # the window: its own entry in the Rewrite menu, with the shortcut chosen in the dialog
    act = window.tool_actions["user:polite-note"]
    assert act in window.menus.task_menus["rewrite"].actions() and act.shortcut().toString() == "Ctrl+Alt+N"
    paste(window, TEXT)
    act.trigger()
    job = window.job
    assert job is not None and job.variant == "Polite note"
    with qtbot.waitSignal(job.finished, timeout=240_000) as done:
        pass
    result = done.args[0]
    assert result.ok, result.problem
    assert result.tool == "rewrite" and result.variant == "Polite note"
    assert window.result.title.text() == "Polite note"
    assert window.result.output.toPlainText() == result.text != TEXT

    # the tray's quick popup: the same tool, by its button
    flow = TrayController(ctx, settings=TraySettings(last_tool="proofread"), with_tray=False)
    try:
        qtbot.waitUntil(lambda: flow._capture is None, timeout=10_000)  # its own capture found no selection
        flow._on_captured(Capture(TEXT, "primary", 0))  # a selection, as the hotkey captures it
        button = flow.popup.buttons["user:polite-note"]
        assert button.text() == "Polite note"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert button.isChecked() and flow.popup.tool.key == "user:polite-note"
        qtbot.waitUntil(lambda: flow._job is None, timeout=240_000)
        assert flow.popup.ready_text == result.text  # the same tool on the same text, the same answer
        assert flow.settings.last_tool == "user:polite-note"  # the tray remembers the tool's key
    finally:
        flow.popup.close_quietly()
        flow.close()

    runs = [r for r in ctx.history() if r["kind"] == "Polite note"]
    assert len(runs) == 2 and {r["tool"] for r in runs} == {"rewrite"}
    assert all(r["input"] == TEXT and r["output"] == result.text for r in runs)


def test_bad_input_shows_a_message_and_saves_nothing(qtbot, store_ctx, window):
    from engine.tools.user import UserTool

    ctx = store_ctx
    ctx.save_user_tool(UserTool("Polite note", INSTRUCTION, "rewrite", "Ctrl+Alt+N"))
    before = ctx.store.user_tools()
    dlg = dialog(qtbot, ctx, window)
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    cases = [
        ("", INSTRUCTION, None, "A tool needs a name."),
        ("   ", INSTRUCTION, None, "A tool needs a name."),
        ("Friendly", INSTRUCTION, None, "There is already a tool called 'Friendly'"),  # a built-in
        ("polite  NOTE", INSTRUCTION, None, "There is already a tool called 'polite NOTE'"),  # yours
        ("Status", "", None, "A tool needs an instruction"),
        ("Status", INSTRUCTION, (Qt.Key.Key_F, ctrl_shift), "The shortcut Ctrl+Shift+F is already used"),
        ("Status", INSTRUCTION, (Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier),
         "The shortcut Ctrl+Alt+N is already used"),
        ("Status", INSTRUCTION, (Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier),
         "The shortcut Ctrl+S is already used"),  # the window's Save
    ]
    for name, instruction, key, message in cases:
        dlg.new()
        fill(qtbot, dlg, name, instruction, key=key)
        dlg.message.clear()
        qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
        assert dlg.message.text().startswith(message), (name, dlg.message.text())
        assert "c0392b" in dlg.message.styleSheet()  # shown as a problem
        assert ctx.store.user_tools() == before, name
    assert "user:status" not in window.tool_actions

    # editing a tool may keep its own name and shortcut
    dlg.list.setCurrentRow(0)
    assert dlg.editing == "Polite note" and dlg.shortcut.keySequence().toString() == "Ctrl+Alt+N"
    dlg.instruction.setPlainText("Make it formal.")
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    assert ctx.store.user_tools()[0]["instruction"] == "Make it formal." and len(ctx.store.user_tools()) == 1
    qtbot.mouseClick(dlg.delete_btn, Qt.MouseButton.LeftButton)
    assert ctx.store.user_tools() == [] and "user:polite-note" not in window.tool_actions


def test_without_a_store_the_dialog_says_so_and_creates_one(qtbot, ctx, window, tmp_path, monkeypatch):
    monkeypatch.setenv("HUSHWRITE_KEYRING", "off")
    monkeypatch.setattr(ctx.args, "data_dir", str(tmp_path / "data"), raising=False)
    before = (ctx.store_state, ctx.store_detail)
    assert ctx.store is None
    dlg = dialog(qtbot, ctx, window)
    try:
        assert dlg.no_store.isVisible() and not dlg.name.isEnabled() and not dlg.save_btn.isEnabled()
        assert not dlg.save() and "Open your personal store first" in dlg.message.text()

        def create() -> None:  # the user types a passphrase twice in the store dialog it opens
            unlock = QApplication.activeModalWidget()
            assert unlock is not None and unlock.windowTitle() == "Create your personal store"
            unlock.passphrase.setText("correct horse battery staple")
            unlock.confirm.setText("correct horse battery staple")
            unlock.accept()

        QTimer.singleShot(0, create)
        qtbot.mouseClick(dlg.store_btn, Qt.MouseButton.LeftButton)  # returns once the store is made
        assert ctx.store_state == "open"
        assert not dlg.no_store.isVisible() and dlg.name.isEnabled() and dlg.save_btn.isEnabled()
    finally:
        ctx.close_store()
        ctx._set_store(*before)

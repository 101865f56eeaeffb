"""Every tool of the registry — the built-ins and the user's own — is reachable from the window's
menus (a QAction with its shortcut) and from the tray's quick popup (a button), and both follow
the user's tools as they change."""

from __future__ import annotations

from app.tray.quick_popup import QuickPopup


def menu_actions(menu) -> list:
    """Every action reachable from a menu, its submenus included."""
    out = []
    for act in menu.actions():
        if act.menu() is not None:
            out += menu_actions(act.menu())
        elif not act.isSeparator():
            out.append(act)
    return out


def reachable(window) -> list:
    return [a for top in window.menuBar().actions() for a in menu_actions(top.menu())]


def test_every_registry_tool_is_in_the_window_menus_and_the_tray_popup(qtbot, store_ctx, window):
    from engine.tools.user import UserTool

    ctx = store_ctx
    popup = QuickPopup(ctx)
    qtbot.addWidget(popup)
    assert len(popup.buttons) == len(window.tool_actions) == 10
    # what the Your tools dialog does once a tool is checked (dialogs/test_tools.py drives the dialog)
    ctx.save_user_tool(UserTool("Weekly report", "Turn my notes into a short status update", "rewrite", "Ctrl+Alt+W"))
    ctx.save_user_tool(UserTool("Decisions", "List only the decisions that were taken", "key-points"))
    tools = ctx.registry().tools()
    assert len(tools) == 12 and [t.name for t in tools if t.user] == ["Weekly report", "Decisions"]

    in_menus = reachable(window)
    for tool in tools:
        act = window.tool_actions[tool.key]
        assert act in in_menus, tool.key
        assert act.text() == tool.label and act.shortcut().toString() == tool.shortcut
        assert tool.key in popup.buttons, tool.key
    rewrite = [a.text() for a in window.menus.task_menus["rewrite"].actions()]
    assert rewrite == ["&Rewrite", "&Friendly", "&Professional", "&Concise", "Custom &instruction…", "",
                       "Weekly report"]  # the user's own after a separator
    summarize = [a.text() for a in window.menus.task_menus["summarize"].actions()]
    assert summarize == ["&Summary", "&Key points", "&List", "&Table", "", "Decisions"]
    assert window.tool_actions["user:weekly-report"].shortcut().toString() == "Ctrl+Alt+W"
    labels = [b.text() for b in popup.buttons.values()]
    assert labels[:3] == ["1 Proofread", "2 Rewrite", "3 Friendly"] and labels[9] == "0 Table"
    assert labels[10:] == ["Weekly report", "Decisions"]

    ctx.delete_user_tool("Decisions")  # gone from both as soon as it is deleted
    assert "user:decisions" not in window.tool_actions and "user:decisions" not in popup.buttons
    assert [a.text() for a in window.menus.task_menus["summarize"].actions()] == ["&Summary", "&Key points",
                                                                                "&List", "&Table"]
    assert "Check as you &type" in [a.text() for a in menu_actions(window.menus.tools_menu)]  # others' entries stay


def test_without_a_store_the_built_in_tools_are_all_there(qtbot, ctx, window):
    assert ctx.store is None
    popup = QuickPopup(ctx)
    qtbot.addWidget(popup)
    keys = [t.key for t in ctx.registry().tools()]
    assert len(keys) == 10 and list(popup.buttons) == keys
    assert set(window.tool_actions) == set(keys)
    assert all(a in reachable(window) for a in window.tool_actions.values())


def test_an_unknown_tray_tool_key_falls_back_to_proofread(ctx):
    assert ctx.tool("no-such-tool").key == "proofread"
    assert ctx.tool("key-points").key == "key-points"

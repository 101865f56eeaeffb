"""The window's menus and toolbar, made from the tool registry (engine.tools).

Each task gets its tools in registry order: a task with one tool is a plain action (Proofread),
one with several a menu (Rewrite ▾, Summarize ▾), the user's own tools after a separator in their
task's menu. `rebuild()` runs again whenever the user's tools change (AppContext.tools_changed).

    menus = WindowMenus(window)   # builds the menu bar and the toolbar
    menus.tool_actions["friendly"]    # QAction per tool key (user tools: "user:weekly-report")
    menus.task_menus["rewrite"]       # QMenu per task with several tools
"""

from __future__ import annotations

from .qt import QAction, QKeySequence, QMenu, QObject, Qt, QToolButton


class WindowMenus(QObject):
    """A child of the window: its connection to AppContext.tools_changed ends with the window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.tool_actions: dict[str, QAction] = {}
        self.task_menus: dict[str, QMenu] = {}
        self._made: list = []  # menus, actions and buttons of the last build, dropped on rebuild
        self._placed: list = []  # (menu or toolbar, entry) of the last build
        w = window
        self.open_doc_act = self.action("Summarize a &document…", w.open_document, "Ctrl+Shift+O",
                                        "Summarize a txt, md, docx or pdf file")
        self.open_text_act = self.action("&Open…", w.open_text_file, "Ctrl+O",
                                         "Open a text, markdown or Word file in the editor")
        self.save_act = self.action("&Save", w.save, "Ctrl+S", "Save the text")
        self.save_as_act = self.action("Save &As…", w.save_as, "Ctrl+Shift+S", "Save the text in a new file")
        self.quit_act = self.action("&Quit", w.close, "Ctrl+Q")
        self.undo_act = self.action("&Undo", w.editor.undo, "Ctrl+Z")
        self.redo_act = self.action("&Redo", w.editor.redo, "Ctrl+Shift+Z")
        self.stop_act = self.action("Stop", w.stop, "Esc", "Stop the running job")
        self.stop_act.setEnabled(False)
        self.your_tools_act = self.action("&Your tools…", w.open_user_tools, "",
                                          "Make tools of your own: a name and an instruction")
        self.settings_act = self.action("&Settings…", w.open_settings, "Ctrl+,", "Model, threads, context size")
        self.engine_act = self.action("&Engine…", w.open_engine_settings, "",
                                      "Run on this computer (default) or on a server of your own")
        self.history_act = self.action("&History…", w.open_history, "Ctrl+H", "Earlier results")
        self.dictionary_act = self.action("Personal &dictionary…", w.open_dictionary, "", "Words never to change")
        self.style_act = self.action("&Style profile…", w.open_style, "", "How you like to write")
        self.unlock_act = self.action("&Unlock store…", w.open_unlock, "", "Enter the store passphrase")

        self.toolbar = w.addToolBar("Tools")
        self.toolbar.setObjectName("tools")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        mb = w.menuBar()
        file_menu = mb.addMenu("&File")
        for a in (self.open_text_act, self.save_act, self.save_as_act):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(self.open_doc_act)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_act)
        edit_menu = mb.addMenu("&Edit")
        edit_menu.addAction(self.undo_act)
        edit_menu.addAction(self.redo_act)
        self.tools_menu = mb.addMenu("&Tools")
        self._tools_end = self.tools_menu.addSeparator()  # the tools go above; others may add below
        self.tools_menu.addAction(self.your_tools_act)
        self.tools_menu.addSeparator()
        self.tools_menu.addAction(self.stop_act)
        bar = self.toolbar
        bar.addAction(self.open_doc_act)
        bar.addSeparator()
        self._bar_end = bar.addSeparator()
        bar.addAction(self.stop_act)
        bar.addSeparator()
        bar.addAction(self.history_act)
        bar.addAction(self.settings_act)
        personal = mb.addMenu("&Personal")
        for a in (self.history_act, self.dictionary_act, self.style_act, self.unlock_act):
            personal.addAction(a)
        settings_menu = mb.addMenu("Se&ttings")
        settings_menu.addAction(self.settings_act)
        settings_menu.addAction(self.engine_act)
        self.rebuild()
        window.ctx.tools_changed.connect(self.rebuild)

    def action(self, text: str, slot, shortcut: str = "", tip: str = "") -> QAction:
        act = QAction(text, self.window)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        if tip:
            act.setStatusTip(tip)
            act.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
        act.triggered.connect(slot)
        self.window.addAction(act)
        return act

    def reserved_shortcuts(self) -> list[str]:
        """Shortcuts of the window's own commands (a user tool may not take them)."""
        return [a.shortcut().toString() for a in self.window.actions()
                if not a.shortcut().isEmpty() and a not in self.tool_actions.values()]

    # -- the tools ----------------------------------------------------------------------------------
    def rebuild(self) -> None:
        """(Re)make every tool's action, the task menus, the Tools menu and the toolbar."""
        for where, entry in self._placed:
            where.removeAction(entry)
        for obj in self._made:
            if isinstance(obj, QAction):
                self.window.removeAction(obj)
            obj.deleteLater()
        self._made, self._placed = [], []
        self.tool_actions, self.task_menus = {}, {}
        reg = self.window.ctx.registry()
        busy = self.window.ctx.engine.busy
        for task in reg.tasks():
            specs = reg.tools(task.name)
            for spec in specs:
                act = self.action(spec.label, lambda _=False, s=spec: self.window.run_tool(s), spec.shortcut, spec.tip)
                act.setObjectName(f"tool:{spec.key}")
                act.setEnabled(not busy)
                self.tool_actions[spec.key] = act
                self._made.append(act)
            if len(specs) == 1:
                self._place(self.toolbar, self._bar_end, self.tool_actions[specs[0].key])
                self._place(self.tools_menu, self._tools_end, self.tool_actions[specs[0].key])
            elif specs:
                self._add_task_menu(task, specs)

    def _place(self, where, before: QAction, entry: QAction) -> None:
        where.insertAction(before, entry)
        self._placed.append((where, entry))

    def _add_task_menu(self, task, specs) -> None:
        menu = QMenu(f"&{task.label}", self.window)
        menu.setObjectName(f"{task.name}Menu")
        menu.aboutToShow.connect(self.window.prefill_target)  # the model starts while the user chooses
        for n, spec in enumerate(specs):
            if spec.user and (n == 0 or not specs[n - 1].user):
                menu.addSeparator()  # the user's own tools after the built-ins
            menu.addAction(self.tool_actions[spec.key])
        self.task_menus[task.name] = menu
        self._place(self.tools_menu, self._tools_end, menu.menuAction())
        btn = QToolButton()
        btn.setObjectName(f"{task.name}Button")
        btn.setText(f"{task.label} ▾")
        btn.setToolTip(task.help[:1].upper() + task.help[1:])
        btn.setMenu(menu)
        btn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._placed.append((self.toolbar, self.toolbar.insertWidget(self._bar_end, btn)))
        self._made += [menu, btn]

    def set_busy(self, busy: bool) -> None:
        self.stop_act.setEnabled(busy)
        for act in self.tool_actions.values():
            act.setEnabled(not busy)
        self.open_doc_act.setEnabled(not busy)

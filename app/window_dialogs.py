"""The window's dialogs: settings, engine, history, dictionary, style profile, the user's own
tools, store unlock. Mixed into MainWindow (app/main_window.py); each dialog is imported when
opened, so start-up never pays for them."""

from __future__ import annotations


class DialogCommands:
    def open_settings(self) -> None:
        from .dialogs.settings import SettingsDialog

        dlg = SettingsDialog(self.ctx.settings, self)
        if dlg.exec():
            self.ctx.apply_settings(dlg.result_settings())
            if self.theme is not None:
                self.theme.set_mode(self.ctx.settings.theme)

    def open_engine_settings(self) -> None:
        from .dialogs.engine import EngineDialog

        dlg = EngineDialog(self.ctx.settings, self.ctx.store, self)
        if dlg.exec():
            self.ctx.apply_settings(dlg.result_settings())

    def use_this_computer(self) -> None:
        """After a server failure: back to the local engine (the server stays in Settings ▸ Engine
        history of the dialog only if the user saves it again)."""
        from dataclasses import replace

        self.banner.hide()
        self.ctx.apply_settings(replace(self.ctx.settings, engine_url=""))

    def open_history(self) -> None:
        from .dialogs.history import HistoryDialog

        dlg = HistoryDialog(self.ctx, self)
        dlg.reopen.connect(self.show_history_entry)
        dlg.exec()

    def show_history_entry(self, run: dict) -> None:
        self.job_range = None
        self.side.setCurrentWidget(self.result)
        self.result.start(f"From history: {run.get('tool', '')} {run.get('kind') or ''}".strip())
        self.result.finish(run.get("output", ""))

    def open_dictionary(self) -> None:
        from .dialogs.dictionary import DictionaryDialog

        DictionaryDialog(self.ctx, self).exec()

    def open_style(self) -> None:
        from .dialogs.style import StyleDialog

        StyleDialog(self.ctx, self).exec()

    def open_unlock(self) -> None:
        from .dialogs.unlock import UnlockDialog

        if self.ctx.store_state == "open":
            return
        if UnlockDialog(self.ctx, self).exec() and self.banner.kind == "store":
            self.banner.hide()

    def open_user_tools(self) -> None:
        from .dialogs.tools import ToolsDialog

        ToolsDialog(self.ctx, self, reserved=self.menus.reserved_shortcuts()).exec()

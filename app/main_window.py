"""The main window: editor on the left, results / proofread review on the right, tools on top.

The window never blocks: it submits jobs to ctx.engine and reacts to their signals.
"""

from __future__ import annotations

from pathlib import Path

from . import actions
from .banner import Banner
from .context import AppContext
from .drafts import DraftKeeper
from .editor import Editor
from .icons import icon_path
from .qt import (
    QAction,
    QFileDialog,
    QIcon,
    QInputDialog,
    QKeySequence,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    Qt,
    QTimer,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .result_pane import ResultPane
from .review_panel import ReviewPanel

DOC_FILTER = "Documents (*.txt *.md *.markdown *.docx *.pdf);;All files (*)"
EDIT_FILTER = "Text (*.txt);;Markdown (*.md *.markdown);;Word (*.docx);;All files (*)"
SAVE_FILTER = "Text (*.txt);;Markdown (*.md);;Word (*.docx)"


class MainWindow(QMainWindow):
    shown = Signal()  # first show (the startup benchmark listens to it)
    file_opened = Signal(bool)  # File ▸ Open finished (True: the text is in the editor)
    _file_read = Signal(str, object, str)  # path, text or None, problem (from the reading thread)

    def __init__(self, ctx: AppContext, theme=None):
        super().__init__()
        self.ctx = ctx
        self.theme = theme
        self.job = None
        self.job_range: tuple[int, int, str] | None = None  # (start, end, text) the running/last job read
        self._shown_once = False
        self.file_path = ""  # the file the editor text was opened from / saved to
        self.setWindowTitle("Hushwrite[*]")
        self.setObjectName("mainWindow")
        if (icon := icon_path()) is not None:
            self.setWindowIcon(QIcon(str(icon)))
        self.resize(1180, 720)

        self.editor = Editor()
        self.result = ResultPane()
        self.review = ReviewPanel()
        self.side = QStackedWidget()
        self.side.addWidget(self.result)
        self.side.addWidget(self.review)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.editor)
        split.addWidget(self.side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([640, 520])
        self.banner = Banner()
        central = QWidget()
        box = QVBoxLayout(central)
        box.setContentsMargins(8, 8, 8, 4)
        box.addWidget(self.banner)
        box.addWidget(split, 1)
        self.setCentralWidget(central)

        self._build_actions()
        self._build_status()
        from .live_check import attach  # live checking as you type (issue 17)

        self.live = attach(self)
        self.result.stop_requested.connect(self.stop)
        self.result.replace_requested.connect(self.replace_selection)
        self.result.insert_requested.connect(self.insert_below)
        self.review.applied.connect(self.apply_review)
        self.review.discarded.connect(lambda: self.side.setCurrentWidget(self.result))
        self.editor.document().modificationChanged.connect(self.setWindowModified)
        self.drafts = DraftKeeper(ctx, self.editor, self)
        self.drafts.restorable.connect(self._offer_draft)
        self.drafts.notice.connect(self._drafts_not_kept)
        self._file_read.connect(self._on_file_read)
        ctx.engine.model_state.connect(self._on_model_state)
        ctx.engine.busy_changed.connect(self._on_busy)
        ctx.store_changed.connect(self._on_store_state)
        self._speed_timer = QTimer(self)
        self._speed_timer.setInterval(500)
        self._speed_timer.timeout.connect(self._show_speed)
        self._on_model_state(ctx.engine.state, ctx.engine.detail)
        if theme is not None:
            theme.listeners.append(self.review.render)  # diff colours follow light/dark

    # -- building ---------------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut: str = "", tip: str = "") -> QAction:
        act = QAction(text, self)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        if tip:
            act.setStatusTip(tip)
            act.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def _tool_action(self, spec: actions.ToolSpec) -> QAction:
        act = self._action(spec.label, lambda: self.run_tool(spec.tool, spec.variant), spec.shortcut, spec.tip)
        self.tool_actions[(spec.tool, spec.variant)] = act
        return act

    def _build_actions(self) -> None:
        self.tool_actions: dict[tuple[str, str], QAction] = {}
        bar = self.addToolBar("Tools")
        bar.setObjectName("tools")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.open_doc_act = self._action("Summarize a &document…", self.open_document, "Ctrl+Shift+O",
                                         "Summarize a txt, md, docx or pdf file")
        self.open_text_act = self._action("&Open…", self.open_text_file, "Ctrl+O",
                                          "Open a text, markdown or Word file in the editor")
        self.save_act = self._action("&Save", self.save, "Ctrl+S", "Save the text")
        self.save_as_act = self._action("Save &As…", self.save_as, "Ctrl+Shift+S", "Save the text in a new file")
        self.proofread_act = self._tool_action(actions.PROOFREAD)
        self.rewrite_menu = QMenu("&Rewrite", self)
        for spec in actions.REWRITES:
            self.rewrite_menu.addAction(self._tool_action(spec))
        self.summarize_menu = QMenu("&Summarize", self)
        for spec in actions.SUMMARIES:
            self.summarize_menu.addAction(self._tool_action(spec))
        self.stop_act = self._action("Stop", self.stop, "Esc", "Stop the running job")
        self.stop_act.setEnabled(False)
        self.settings_act = self._action("&Settings…", self.open_settings, "Ctrl+,", "Model, threads, context size")
        self.engine_act = self._action("&Engine…", self.open_engine_settings, "",
                                       "Run on this computer (default) or on a server of your own")
        self.history_act = self._action("&History…", self.open_history, "Ctrl+H", "Earlier results")
        self.dictionary_act = self._action("Personal &dictionary…", self.open_dictionary, "", "Words never to change")
        self.style_act = self._action("&Style profile…", self.open_style, "", "How you like to write")
        self.unlock_act = self._action("&Unlock store…", self.open_unlock, "", "Enter the store passphrase")
        quit_act = self._action("&Quit", self.close, "Ctrl+Q")

        bar.addAction(self.open_doc_act)
        bar.addSeparator()
        bar.addAction(self.proofread_act)
        for menu, name in ((self.rewrite_menu, "rewriteButton"), (self.summarize_menu, "summarizeButton")):
            btn = QToolButton()
            btn.setObjectName(name)
            btn.setText(menu.title().replace("&", "") + " ▾")
            btn.setMenu(menu)
            btn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            bar.addWidget(btn)
        bar.addSeparator()
        bar.addAction(self.stop_act)
        bar.addSeparator()
        bar.addAction(self.history_act)
        bar.addAction(self.settings_act)

        mb = self.menuBar()
        file_menu = mb.addMenu("&File")
        for a in (self.open_text_act, self.save_act, self.save_as_act):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(self.open_doc_act)
        file_menu.addSeparator()
        file_menu.addAction(quit_act)
        edit_menu = mb.addMenu("&Edit")
        edit_menu.addAction(self._action("&Undo", self.editor.undo, "Ctrl+Z"))
        edit_menu.addAction(self._action("&Redo", self.editor.redo, "Ctrl+Shift+Z"))
        tools = mb.addMenu("&Tools")
        tools.addAction(self.proofread_act)
        tools.addMenu(self.rewrite_menu)
        tools.addMenu(self.summarize_menu)
        tools.addSeparator()
        tools.addAction(self.stop_act)
        personal = mb.addMenu("&Personal")
        for a in (self.history_act, self.dictionary_act, self.style_act, self.unlock_act):
            personal.addAction(a)
        settings_menu = mb.addMenu("Se&ttings")
        settings_menu.addAction(self.settings_act)
        settings_menu.addAction(self.engine_act)

    def _build_status(self) -> None:
        sb = self.statusBar()
        self.model_label = QLabel()
        self.model_label.setObjectName("modelStatus")
        self.speed_label = QLabel()
        self.store_button = QPushButton()
        self.store_button.setFlat(True)
        self.store_button.clicked.connect(self.open_unlock)
        self.store_button.hide()
        sb.addWidget(self.model_label, 1)
        sb.addPermanentWidget(self.speed_label)
        sb.addPermanentWidget(self.store_button)

    # -- window events ----------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.shown.emit()

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.isWindowModified() and self.editor.text().strip():
            choice = self.ask_unsaved()
            if choice == "cancel" or (choice == "save" and not self.save()):
                event.ignore()
                return
            if choice == "discard":
                self.drafts.discard()
        if self.job is not None:
            self.job.cancel()
        self.drafts.flush()
        self.live.shutdown()  # live checking (issue 17)
        super().closeEvent(event)

    def ask_unsaved(self) -> str:
        """"save" | "discard" | "cancel" for closing with unsaved text."""
        name = Path(self.file_path).name if self.file_path else "Your text"
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved text", f"{name} has changes that are not saved.",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setInformativeText("Save them before closing?")
        answer = box.exec()
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(QMessageBox.StandardButton(answer), "cancel")

    # -- model / store state ----------------------------------------------------------------------
    def _on_model_state(self, state: str, detail: str) -> None:
        if state == "loading":
            self.model_label.setText(f"Loading model ({Path(detail).name if '/' in detail else detail})…")
            if self.banner.kind == "model":
                self.banner.hide()
        elif state == "ready":
            self.model_label.setText(f"Ready · {detail} · {self.ctx.engine.location}")
            if self.banner.isVisible() and self.banner.kind == "model":
                self.banner.hide()
        elif state == "blocked":
            self.model_label.setText("No model loaded")
            self.banner.show_message(f"The model was not loaded: {detail}. Your text is safe.", kind="error",
                                     action="Load anyway", on_action=lambda: self.ctx.load_model(force=True))
            self.banner.kind = "model"
        elif state == "error" and self.ctx.settings.engine_url:
            self.model_label.setText("Your server could not be used")
            self.banner.show_message(f"Your server could not be used: {detail}. Your text is untouched.",
                                     kind="error", action="Use this computer instead", on_action=self.use_this_computer)
        elif state == "error":
            self.model_label.setText("The model could not be loaded")
            self.banner.show_message(f"The model could not be loaded: {detail}", kind="error",
                                     action="Open Settings…", on_action=self.open_settings)
            self.banner.kind = "model"
        else:
            self.model_label.setText("No model loaded")

    def _on_store_state(self, state: str, detail: str) -> None:
        labels = {"open": "History on", "locked": "Store locked — Unlock…", "error": "Store problem — details…",
                  "none": "No store — Create…"}
        self.store_button.setVisible(state in labels)
        self.store_button.setText(labels.get(state, ""))
        self.store_button.setToolTip(detail)
        self.store_button.setEnabled(state != "open")
        for a in (self.history_act, self.dictionary_act, self.style_act):
            a.setEnabled(state == "open")
        self.unlock_act.setEnabled(state in ("locked", "none", "error"))
        if state in ("error", "locked"):
            message = (f"Your personal store cannot be used: {detail}" if state == "error" else
                       "Your personal store is locked: history, dictionary and style are off until you unlock it.")
            self.banner.show_message(message, kind="warning", action="Unlock…", on_action=self.open_unlock)
            self.banner.kind = "store"
        elif state == "open" and self.banner.kind == "store":
            self.banner.hide()

    def _on_busy(self, busy: bool) -> None:
        self.stop_act.setEnabled(busy)
        for act in self.tool_actions.values():
            act.setEnabled(not busy)
        self.open_doc_act.setEnabled(not busy)
        if busy:
            self._speed_timer.start()
        else:
            self._speed_timer.stop()
            self.speed_label.setText("")
            if self.ctx.engine.ready:
                self.model_label.setText(f"Ready · {self.ctx.engine.detail} · {self.ctx.engine.location}")

    def _show_speed(self) -> None:
        tps = self.ctx.engine.tokens_per_second
        if self.ctx.engine.state == "loading":
            return
        self.model_label.setText("Generating…" if tps <= 0 else f"Generating at {tps:.0f} tokens/s")

    # -- running tools ----------------------------------------------------------------------------
    def run_tool(self, tool: str, variant: str = "", instruction: str = "", path: str = "") -> None:
        if self.job is not None:
            return
        params: dict = {}
        if tool == "rewrite":
            params["tone"] = variant or "rewrite"
            if variant == "custom":
                if not instruction:
                    instruction, ok = QInputDialog.getText(self, "Custom rewrite", "What should be done with the text?")
                    if not ok or not instruction.strip():
                        return
                params["instruction"] = instruction
        elif tool == "summarize":
            params["kind"] = variant or "summary"
            self.last_summary_kind = params["kind"]
        title = actions.title_for(tool, variant)
        if path:
            params["path"] = path
            title = f"{title} of {Path(path).name}"
            self.job_range = None
            text = ""
        else:
            text, start, end = self.editor.target()
            if not text.strip():
                self.result.fail("There is no text yet: write or paste some, or select the part to work on.")
                self.side.setCurrentWidget(self.result)
                return
            self.job_range = (start, end, text)
        self.side.setCurrentWidget(self.result)
        self.result.start(title + "…", with_progress=bool(path))
        self.drafts.save_now()  # the text is kept before the model touches anything
        job = self.ctx.run(tool, text, **params)
        job.text_streamed.connect(self.result.stream)
        job.progress.connect(self.result.set_progress)
        job.finished.connect(lambda result: self._on_finished(tool, title, result))
        retry = lambda: self.run_tool(tool, variant, params.get("instruction", ""), path)  # noqa: E731
        job.failed.connect(lambda message, j=job: self._on_failed(message, path, j, retry))
        job.cancelled.connect(self._on_cancelled)
        self.job = job
        if self.ctx.engine.state == "loading":
            self.model_label.setText("Waiting for the model to load…")

    def stop(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _on_finished(self, tool: str, title: str, result) -> None:
        self.job = None
        if tool == "proofread" and result.ok:
            self.result.finish("")
            self.result.title.setText(title)
            self.review.set_review(result.original, result.edits)
            self.review_result = result
            self.side.setCurrentWidget(self.review)
            return
        self.result.title.setText(title)
        self.result.finish(result.text, "" if result.ok else (result.problem or "no usable answer"),
                           parts=getattr(result, "parts", None))  # a rewrite marks what it kept
        if tool == "summarize":  # every point with its source: click highlights, hover shows it
            where = (self.editor, self.job_range[0]) if self.job_range is not None else ()
            self.result.show_sources(result, *where)

    def _on_failed(self, message: str, path: str, job=None, retry=None) -> None:
        self.job = None
        if job is not None and job.crashed:
            self.result.fail(f"{message} Your text is unchanged; the model runtime is restarting with "
                             "safe settings.", "Retry", retry)
        elif self.ctx.settings.engine_url:
            self.result.fail(f"{message} Your text is untouched.", "Use this computer instead",
                             self.use_this_computer)
        elif path:
            self.result.fail(f"Could not summarize {Path(path).name}: {message}", "Choose another file…",
                             self.open_document)
        elif self.ctx.engine.state != "ready":
            self.result.fail(message, "Open Settings…", self.open_settings)
        else:
            self.result.fail(message)

    def _on_cancelled(self) -> None:
        self.job = None
        self.result.cancelled()
        self.statusBar().showMessage("Stopped.", 3000)

    # -- putting results into the text ------------------------------------------------------------
    def _target_range(self) -> tuple[int, int]:
        """Where a result goes: the range the job read if it is unchanged, else the current selection."""
        if self.job_range is not None:
            start, end, text = self.job_range
            if self.editor.text()[start:end] == text:
                return start, end
        _, start, end = self.editor.target()
        return start, end

    def replace_selection(self, text: str) -> None:
        start, end = self._target_range()
        self.editor.replace_range(start, end, text)
        self.job_range = (start, start + len(text), text)
        self.statusBar().showMessage("Replaced. Ctrl+Z undoes it.", 4000)

    def insert_below(self, text: str) -> None:
        _, end = self._target_range()
        self.editor.insert_below(end, text)
        self.statusBar().showMessage("Inserted below. Ctrl+Z undoes it.", 4000)

    def apply_review(self, new_text: str) -> None:
        start, end, original = self.job_range or (0, 0, None)
        if original is None or self.editor.text()[start:end] != original:
            self.review.summary.setText("Your text changed since it was proofread: run Proofread again.")
            return
        n = len(self.review.accepted_edits())
        self.ctx.record_review(getattr(self, "review_result", None), self.review.accepted_edits())
        if new_text != original:
            self.editor.replace_range(start, end, new_text)
        self.job_range = (start, start + len(new_text), new_text)
        self.side.setCurrentWidget(self.result)
        self.result.title.setText(f"Proofread: applied {n} edit{'s' if n != 1 else ''} — Ctrl+Z restores the original")
        self.editor.setFocus()

    # -- files and dialogs ------------------------------------------------------------------------
    def open_document(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Summarize a document", "", DOC_FILTER)
        if path:
            self.summarize_document(path, getattr(self, "last_summary_kind", "key-points"))

    def summarize_document(self, path: str, kind: str = "key-points") -> None:
        self.run_tool("summarize", kind, path=path)

    def open_text_file(self) -> None:
        if self.isWindowModified() and self.editor.text().strip():
            choice = self.ask_unsaved()
            if choice == "cancel" or (choice == "save" and not self.save()):
                return
        path, _ = QFileDialog.getOpenFileName(self, "Open", "", EDIT_FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> None:
        """Read the file in a helper thread (a document is read in its own child process with
        limits; it can take a while) and put it in the editor; `file_opened(ok)` follows."""
        import threading

        self.open_text_act.setEnabled(False)
        self.statusBar().showMessage(f"Opening {Path(path).name}…")

        def work() -> None:
            from engine.editor_files import read_for_editor
            from engine.errors import HushwriteError

            try:
                self._file_read.emit(path, read_for_editor(path), "")
            except HushwriteError as exc:
                self._file_read.emit(path, None, str(exc))
            except Exception as exc:  # noqa: BLE001 - never a traceback in the window
                self._file_read.emit(path, None, f"{type(exc).__name__}: {exc}")

        threading.Thread(target=work, name="hushwrite-open", daemon=True).start()

    def _on_file_read(self, path: str, text, problem: str) -> None:
        self.open_text_act.setEnabled(True)
        self.statusBar().clearMessage()
        if text is None:
            self.banner.show_message(f"Could not open {Path(path).name}: {problem}", kind="error",
                                     action="Choose another file…", on_action=self.open_text_file)
            self.banner.kind = "file"
            self.file_opened.emit(False)
            return
        self.editor.set_text(text)
        self._set_file(path)
        self.file_opened.emit(True)

    def save(self) -> bool:
        if not self.file_path:
            return self.save_as()
        return self.save_to(self.file_path)

    def save_as(self) -> bool:
        path, chosen = QFileDialog.getSaveFileName(self, "Save as", self.file_path or "untitled.txt", SAVE_FILTER)
        if not path:
            return False
        if not Path(path).suffix:
            path += ".docx" if "docx" in chosen else ".md" if "Markdown" in chosen else ".txt"
        return self.save_to(path)

    def save_to(self, path: str) -> bool:
        from engine.editor_files import save_from_editor
        from engine.errors import HushwriteError

        try:
            save_from_editor(path, self.editor.text())
        except HushwriteError as exc:
            self.banner.show_message(f"Not saved: {exc}. Your text is still here.", kind="error",
                                     action="Save as…", on_action=self.save_as)
            self.banner.kind = "file"
            return False
        self._set_file(path)
        self.drafts.discard()
        self.statusBar().showMessage(f"Saved {Path(path).name}.", 3000)
        return True

    def _set_file(self, path: str) -> None:
        self.file_path = str(path)
        self.drafts.path = self.file_path
        self.editor.document().setModified(False)
        self.setWindowTitle(f"{Path(path).name}[*] — Hushwrite")

    def _offer_draft(self, text: str, path: str, when: str) -> None:
        def restore() -> None:
            self.editor.set_text(text)
            self.file_path = path
            self.drafts.path = path
            self.setWindowTitle(f"{Path(path).name if path else 'Restored draft'}[*] — Hushwrite")
            self.editor.document().setModified(True)
            self.banner.hide()

        stamp = when.replace("T", " ")[:16]
        self.banner.show_message(f"Text you had not saved ({len(text.split())} words, {stamp} UTC) was kept.",
                                 kind="info", action="Restore", on_action=restore)
        self.banner.kind = "draft"

    def _drafts_not_kept(self, message: str) -> None:
        if self.banner.isVisible():
            return
        self.banner.show_message(message, kind="info", action="Create or unlock the store…",
                                 on_action=self.open_unlock)
        self.banner.kind = "store"

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

"""The main window: editor on the left, results / proofread review on the right, tools on top.

The window never blocks: it submits jobs to ctx.engine and reacts to their signals.
"""

from __future__ import annotations

from pathlib import Path

from .banner import Banner
from .context import AppContext
from .drafts import DraftKeeper
from .editor import Editor
from .icons import icon_path
from .menus import WindowMenus
from .qt import (
    QFileDialog,
    QIcon,
    QInputDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .result_pane import ResultPane
from .review_panel import ReviewPanel
from .window_dialogs import DialogCommands
from .window_files import FileCommands

DOC_FILTER = "Documents (*.txt *.md *.markdown *.docx *.pdf);;All files (*)"
PREFILL_WHOLE_WORDS = 400  # with no selection, a tool menu prefills the whole text up to this long


class MainWindow(FileCommands, DialogCommands, QMainWindow):
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
        self.editor.textChanged.connect(ctx.engine.cancel_prefill)  # the prefilled text is not the text any more
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
    def _build_actions(self) -> None:
        """Menus and toolbar from the tool registry (app/menus.py); rebuilt when the user's tools change."""
        self.menus = m = WindowMenus(self)
        self.open_doc_act, self.open_text_act, self.save_act, self.save_as_act = (
            m.open_doc_act, m.open_text_act, m.save_act, m.save_as_act)
        self.stop_act, self.settings_act, self.engine_act, self.history_act = (
            m.stop_act, m.settings_act, m.engine_act, m.history_act)
        self.dictionary_act, self.style_act, self.unlock_act = m.dictionary_act, m.style_act, m.unlock_act

    @property
    def tool_actions(self) -> dict:
        """QAction per tool key ("proofread", "friendly", "user:weekly-report")."""
        return self.menus.tool_actions

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
        self.menus.set_busy(busy)
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
    def find_tool(self, tool, variant: str = ""):
        """A registry tool from a Tool, a tool key ("friendly", "user:…"), or a task and its
        variant ("rewrite", "professional"); a task alone gives its first tool."""
        if not isinstance(tool, str):
            return tool
        reg = self.ctx.registry()
        if not variant and reg.get(tool) is not None:
            return reg.get(tool)
        for spec in reg.tools(tool, source="built-in"):
            if not variant or spec.variant == variant:
                return spec
        raise ValueError(f"no tool {tool!r} {variant!r}")

    def prefill_target(self) -> None:
        """A tool menu opened: feed the text a tool would take (the selection, or the whole text
        when it is short) to the model meanwhile. Typing drops it (editor.textChanged)."""
        text, start, end = self.editor.target()
        if self.job is None and (end - start < len(self.editor.text()) or len(text.split()) <= PREFILL_WHOLE_WORDS):
            self.ctx.prefill(text)

    def run_tool(self, tool, variant: str = "", instruction: str = "", path: str = "") -> None:
        """Run a tool (see find_tool) on the editor's selection, or its whole text, or a document."""
        if self.job is not None:
            return
        spec = self.find_tool(tool, variant)
        params: dict = {}
        if spec.asks:
            if not instruction:
                instruction, ok = QInputDialog.getText(self, spec.name, "What should be done with the text?")
                if not ok or not instruction.strip():
                    return
            params["instruction"] = instruction
        if spec.task == "summarize" and not spec.user:
            self.last_summary_kind = spec.variant
        title = self.ctx.registry().title(spec)
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
        job = self.ctx.run_tool(spec, text, **params)
        job.text_streamed.connect(self.result.stream)
        job.draft_streamed.connect(self.result.show_draft)
        job.progress.connect(self.result.set_progress)
        job.finished.connect(lambda result: self._on_finished(spec.task, title, result))
        retry = lambda: self.run_tool(spec, "", params.get("instruction", ""), path)  # noqa: E731
        job.failed.connect(lambda message, j=job: self._on_failed(message, path, j, retry))
        job.cancelled.connect(self._on_cancelled)
        self.job = job
        if self.ctx.engine.state == "loading":
            self.model_label.setText("Waiting for the model to load…")

    def open_document(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Summarize a document", "", DOC_FILTER)
        if path:
            self.summarize_document(path, getattr(self, "last_summary_kind", "key-points"))

    def summarize_document(self, path: str, kind: str = "key-points") -> None:
        self.run_tool("summarize", kind, path=path)

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


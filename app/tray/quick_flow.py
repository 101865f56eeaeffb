"""The quick-rewrite flow: capture the selection → popup with a live preview → task → paste back.

    flow = QuickFlow(ctx, settings)   # ctx: app.context.AppContext; settings: app.settings.TraySettings
    flow.quick("hotkey")              # one flow at a time; a second press raises the open popup
    flow.notice.connect(show)         # a message for the user (a paste that could not be done)
    flow.flow_ended.connect(...)      # applied, cancelled, failed or dismissed

The tray (app/tray/controller.py) starts it from the hotkey, the menu and `hushwrite quick`;
`hushwrite quick` with no tray running uses it on its own (app/tray/quick.py).
"""

from __future__ import annotations

from . import events
from .paste_back import PasteBack
from .platform_keys import platform_keys
from ..qt import QObject, Signal
from .quick_popup import QuickPopup
from .selection import SelectionCapture


class QuickFlow(QObject):
    flow_ended = Signal()  # a quick action ended: applied, cancelled, failed or dismissed
    notice = Signal(str)  # something the user should read outside the popup

    def __init__(self, ctx, settings, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings
        self.keys = platform_keys()
        self._capture = None
        self._captured = None
        self._job = None
        self._paste = None
        self._first_token_logged = False
        self.popup = QuickPopup(ctx)
        self.popup.tool_chosen.connect(self._run_tool)
        self.popup.apply_requested.connect(self._apply)
        self.popup.cancel_requested.connect(self._cancel)
        self.popup.shown.connect(lambda: events.log("popup_shown", message=self.popup.message_only))

    def quick(self, source: str = "hotkey") -> None:
        events.log("hotkey", source=source)
        if self._capture is not None or self._paste is not None:
            return  # one at a time: a second press while capturing or pasting is ignored
        if self.popup.isVisible():
            self.popup.raise_()
            return
        self._capture = SelectionCapture(self.keys, timeout=self.settings.capture_timeout, parent=self)
        self._capture.done.connect(self._on_captured)
        self._capture.start()

    def close(self) -> None:
        if self._job is not None:
            self._job.cancel()
        self._end_prefill()

    def _end_prefill(self) -> None:
        """The popup closed: what was prefilled for its text is of no more use."""
        if self.ctx.engine.prefilling:
            self.ctx.engine.cancel_prefill()
            events.log("prefill_cancelled")

    def _on_captured(self, capture) -> None:
        self._capture = None
        events.log("captured", source=capture.source, seconds=capture.seconds, problem=capture.problem,
                   original=capture.text, restored=capture.clipboard_restored)
        if not capture.ok:
            self.popup.open_message(capture.problem)
            return
        self._captured = capture
        self.popup.open_for(capture.text)
        if self.settings.start_last_tool:
            self._run_tool(self._default_tool(), "")
        # the model starts on the text while the user chooses (after the last tool's job, when that
        # one runs): a tool picked then finds its prompts' shared start decoded (app/prefill.py)
        events.log("prefill", started=self.ctx.prefill(capture.text))

    def _default_tool(self) -> str:
        """The last tool used (an unknown key gives Proofread; one that asks for an instruction, Rewrite)."""
        t = self.ctx.tool(self.settings.last_tool)
        return "rewrite" if t.asks else t.key

    def _run_tool(self, key: str, instruction: str) -> None:
        if self._captured is None:
            return
        self._drop_job()
        t = self.ctx.tool(key)  # from the registry: built-in or the user's own
        self.popup.running(t)
        self.popup.status.setText(f"{t.name}: writing {self.ctx.engine.location}…")  # where the text goes
        self._first_token_logged = False
        try:
            job = self.ctx.run_tool(t, self._captured.text, **({"instruction": instruction} if t.asks else {}))
        except Exception as exc:
            self.popup.error(f"{t.name} could not start ({exc}).")
            return
        self._job = job
        job.started.connect(lambda j=job: events.log("job_started") if j is self._job else None)
        job.text_streamed.connect(lambda raw, j=job: self._on_stream(j, raw))
        job.draft_streamed.connect(lambda checked, draft, j=job: self._on_draft(j, checked, draft))
        job.finished.connect(lambda result, j=job: self._on_finished(j, result))
        job.failed.connect(lambda message, j=job: self._on_failed(j, message))
        events.log("tool", tool=t.key)
        if not t.asks and t.key != self.settings.last_tool:
            self.settings.last_tool = t.key
            self.settings.save_quietly()

    def _drop_job(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self._job = None

    def _on_stream(self, job, raw: str) -> None:
        if job is not self._job:
            return
        if not self._first_token_logged:
            self._first_token_logged = True
            events.log("first_token")
        self.popup.stream(raw)

    def _on_draft(self, job, checked: str, draft: str) -> None:
        if job is not self._job:
            return
        if not self._first_token_logged:
            self._first_token_logged = True
            events.log("first_token", draft=True)
        self.popup.draft(checked, draft)

    def _on_finished(self, job, result) -> None:
        if job is not self._job:
            return
        self._job = None
        ok = bool(getattr(result, "ok", False))
        events.log("result", ok=ok, text=getattr(result, "text", ""), problem=getattr(result, "problem", ""))
        self.popup.result(getattr(result, "text", ""), ok, getattr(result, "problem", ""),
                          getattr(result, "points", None) or ())

    def _on_failed(self, job, message: str) -> None:
        if job is not self._job:
            return
        self._job = None
        events.log("failed", problem=message, crashed=bool(getattr(job, "crashed", False)))
        if getattr(job, "crashed", False):
            message += " It is restarting with safe settings: press the tool's number again to retry."
        self.popup.error(message)

    def _apply(self) -> None:
        text, capture = self.popup.ready_text, self._captured
        if text is None or capture is None:
            return
        self.popup.close_quietly()
        self._captured = None
        self._end_prefill()
        events.log("apply")
        self._paste = PasteBack(self.keys, text, capture.window, parent=self)
        self._paste.done.connect(self._on_pasted)
        self._paste.start()

    def _on_pasted(self, ok: bool, problem: str) -> None:
        self._paste = None
        events.log("pasted" if ok else "paste_failed", problem=problem)
        if not ok:
            self.notice.emit(problem)
        self.flow_ended.emit()

    def _cancel(self) -> None:
        if self.popup.isVisible():
            self.popup.close_quietly()
        self._end_prefill()
        if self._captured is not None or self._job is not None:
            self._drop_job()
            self._captured = None
            events.log("cancelled")
        self.flow_ended.emit()

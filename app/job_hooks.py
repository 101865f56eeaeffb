"""The callbacks a running task reports through (engine.tools.Hooks), bound to one job of the
engine thread: the text so far, progress, and a rewrite's drafts, each sent on as a Qt signal
(throttled to what the UI repaints), and a stop request turned into `Cancelled` at the next call."""

from __future__ import annotations

import time

from engine.tools import Hooks

from .stream_meter import STREAM_INTERVAL, StreamMeter


def job_hooks(worker, req) -> Hooks:
    """`worker`: the engine thread's _Worker (its streamed / progressed / drafted signals);
    `req`: the job's request (job_id, stop)."""
    from engine.errors import Cancelled

    meter = StreamMeter()
    last_draft = [0.0]

    def stopped() -> None:
        if req.stop.is_set():
            raise Cancelled("cancelled")

    def on_text(raw: str) -> None:
        stopped()
        tps = meter.update(raw)
        if tps is not None:
            worker.streamed.emit(req.job_id, raw, tps)

    def on_progress(pr) -> None:
        stopped()
        eta = getattr(pr, "eta_seconds", None)
        stage = str(getattr(pr, "stage", ""))
        reused = int(getattr(pr, "reused", 0) or 0)
        if reused and stage != "done":
            stage += f" ({reused} kept from last time)"
        worker.progressed.emit(req.job_id, int(pr.done), int(pr.total), -1.0 if eta is None else float(eta), stage)

    def on_draft(checked: str, draft: str) -> None:
        stopped()
        now = time.perf_counter()
        if now - last_draft[0] >= STREAM_INTERVAL or not draft:  # the first at once, then ~30/s
            last_draft[0] = now
            worker.drafted.emit(req.job_id, checked, draft)

    return Hooks(on_text=on_text, on_progress=on_progress, cancel=req.stop, on_draft=on_draft)

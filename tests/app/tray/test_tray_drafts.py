"""The tray popup previews a rewrite while it is written: unchecked drafts greyed, nothing to apply
until the checked result arrives (real engine process, real default model, offscreen Qt)."""

from __future__ import annotations

from app.qt import Qt
from app.tray.selection import Capture

TEXT = "The meeting moved to Thursday at 3pm. I can't make it, sorry. Can you take notes for me?"


def test_drafts_show_greyed_before_the_result_and_cannot_be_applied(qtbot, ctx, flow):
    qtbot.waitUntil(lambda: ctx.engine.ready, timeout=120000)
    flow._on_captured(Capture(text=TEXT, source="clipboard"))
    popup, seen, applied = flow.popup, [], []
    popup.apply_requested.connect(lambda: applied.append(True))
    popup.choose("friendly")
    job = flow._job

    def on_draft(checked: str, draft: str) -> None:
        if draft:
            seen.append((checked, draft, popup.drafting, popup.ready_text, popup.preview.toHtml(), popup.status.text()))
            qtbot.keyClick(popup, Qt.Key.Key_Return)  # Enter while a draft shows does nothing

    job.draft_streamed.connect(on_draft)
    results = []
    job.finished.connect(results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=180000)
    assert seen, "no draft was previewed before the result"
    checked, draft, drafting, ready, html, status = seen[0]
    assert drafting and ready is None and not applied
    assert "italic" in html  # the unchecked part is set apart
    assert "draft" in status and "writing" in status
    assert not popup.drafting  # the result replaced every draft
    result = results[0]
    if result.ok and result.text != TEXT:
        assert popup.ready_text == result.text

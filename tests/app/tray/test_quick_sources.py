"""The quick popup's summaries carry their sources: hovering the preview shows, for each point,
the words of the selection it rests on (the real model, the real popup widgets)."""

from __future__ import annotations

from app.settings import TraySettings
from app.tray.quick_flow import QuickFlow
from app.tray.quick_sources import passage, sources_html
from app.tray.selection import Capture

TEXT = ("The parish council met on Tuesday to discuss the old library. It agreed to spend 42,000 pounds "
        "on a new roof, and the work will start in April. Residents asked for longer opening hours on "
        "Saturdays. The council will vote on the hours at its next meeting in May.")


def test_passage_is_the_selection_at_the_spans():
    assert passage("one two three four", [(4, 7), (14, 18)]) == "two … four"
    assert passage("abc", [(5, 9)]) == ""  # a span outside the text shows nothing
    long = "word " * 100
    assert len(passage(long, [(0, len(long))])) <= 220


def test_key_points_in_the_popup_show_where_each_point_comes_from(qtbot, ctx):
    flow = QuickFlow(ctx, TraySettings(last_tool="proofread"))
    try:
        qtbot.waitUntil(lambda: flow._capture is None, timeout=10_000)
        flow._on_captured(Capture(TEXT, "primary", 0))
        key = next(t.key for t in flow.popup.tools if t.task == "summarize" and "key" in t.key)
        qtbot.mouseClick(flow.popup.buttons[key], qtbot_left())
        qtbot.waitUntil(lambda: flow._job is None, timeout=240_000)
        assert flow.popup.ready_text, flow.popup.status.text()
        tip = flow.popup.preview.toolTip()
        assert "from your text" in tip and "Hover" in flow.popup.status.text()
        # every passage shown is the selection's own words
        quoted = [part.split("”")[0] for part in tip.split("from your text: “")[1:]]
        assert quoted and all(q.rstrip("…").split(" … ")[0] in " ".join(TEXT.split()) for q in quoted)
        flow.popup.result("x", True, "")  # a result without points (a rewrite) has no sources
        assert flow.popup.preview.toolTip() == ""
    finally:
        flow.popup.close_quietly()
        flow.close()


def qtbot_left():
    from app.qt import Qt

    return Qt.MouseButton.LeftButton


def test_sources_html_escapes_and_skips_points_without_spans():
    class P:
        def __init__(self, text, spans):
            self.text, self.spans = text, spans

    html = sources_html([P("<b>x</b>", [(0, 3)]), P("no source", [])], "Tom & Ann")
    assert "&lt;b&gt;" in html and "Tom" in html and "no source" not in html

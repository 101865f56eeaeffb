"""The summary's sources in the app: clicking a point highlights its passage, hovering shows it."""

from __future__ import annotations

from app.editor import Editor
from app.result_pane import ResultPane
from app.sources_view import SourcesView
from engine.summarize.core import SummaryResult
from engine.summarize.ground import Point

DOC = ("The council met on Monday.\n\nIt approved 1.2 million pounds for road repairs on Mill Lane. "
       "Work starts in April.\n\nThe pool opens on Sundays from June.")


def _points():
    a = DOC.index("It approved")
    b = DOC.index("The pool")
    return [Point("The council approved 1.2 million pounds for Mill Lane.", [(a, DOC.index(" Work"))]),
            Point("The pool opens on Sundays from June.", [(b, len(DOC))], how="extract")]


def test_clicking_a_point_highlights_its_source_in_the_document_view(qapp):
    view = SourcesView()
    view.set_points(_points(), DOC)
    assert view.document.isVisibleTo(view) and view.document.toPlainText() == DOC
    view.list.setCurrentRow(0)
    (s, e), = view.highlighted()
    assert DOC[s:e] == "It approved 1.2 million pounds for road repairs on Mill Lane."
    assert view.document.textCursor().position() == s  # scrolled to it
    view.list.setCurrentRow(1)
    assert [DOC[s:e] for s, e in view.highlighted()] == ["The pool opens on Sundays from June."]


def test_hovering_a_point_shows_its_passage(qapp):
    view = SourcesView()
    view.set_points(_points(), DOC)
    assert "It approved 1.2 million pounds" in view.list.item(0).toolTip()
    assert view.list.item(1).toolTip().startswith("[the source sentence]")


def test_sources_highlight_in_the_editor_when_the_summary_came_from_it(qapp):
    editor = Editor()
    prefix = "Notes first.\n\n"
    editor.setPlainText(prefix + DOC)
    pane = ResultPane()
    result = SummaryResult("summarize", DOC, "summary text", points=_points())
    pane.show_sources(result, editor, offset=len(prefix))
    assert pane.sources.isVisibleTo(pane) and not pane.sources.document.isVisibleTo(pane.sources)
    pane.sources.list.setCurrentRow(0)
    (s, e), = pane.sources.highlighted()
    assert editor.toPlainText()[s:e].startswith("It approved 1.2 million pounds")
    pane.start("Summary…")
    assert not pane.sources.isVisibleTo(pane)  # a new job clears the old sources

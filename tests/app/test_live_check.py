"""Live checking on the real editor with the real default model: typing underlines mistakes,
hovering shows the reason, accepting fixes them; unchanged sentences are not checked again;
names in the dev texts are never underlined; the switch turns it all off."""

from __future__ import annotations

import pytest

import json
from pathlib import Path

from PySide6.QtCore import Qt

from tests.app.conftest import paste

DEV = Path(__file__).resolve().parents[3] / "shared" / "eval" / "user-texts" / "dev.jsonl"



@pytest.fixture(autouse=True)
def live_checking_on(ctx):
    """The shared test context starts with live checking off (it would queue proofreading jobs
    behind every other test's); these tests are about it, so it is on for them."""
    ctx.settings.live_check = True
    yield
    ctx.settings.live_check = False


def point_of(editor, index: int):
    """The viewport point over the character at Python index `index`."""
    from app.editor import to_qt
    from app.qt import QTextCursor

    cursor = QTextCursor(editor.document())
    cursor.setPosition(to_qt(editor.toPlainText(), index) + 1)
    rect = editor.cursorRect(cursor)
    return rect.center()


def issue_for(live, word: str):
    return next((i for i in live.issues if i.original == word), None)


def test_typing_underlines_both_errors_hover_shows_reason_accept_fixes(qtbot, window):
    live = window.live
    assert live.enabled
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, "I has went to the libary")
    qtbot.waitUntil(lambda: bool(issue_for(live, "has") and issue_for(live, "libary")), timeout=15_000)
    has, libary = issue_for(live, "has"), issue_for(live, "libary")
    assert (has.category, has.replacement) == ("grammar", "have")
    assert (libary.category, libary.replacement) == ("spelling", "library")
    sels = window.editor.extraSelections()
    assert len(sels) == len(live.issues) >= 2  # drawn as underlines
    assert window.live_label.text() == f"{len(live.issues)} suggestions"

    window.editor.hover(point_of(window.editor, libary.start))
    card = window.editor.card
    assert card.isVisible() and card.issue == libary
    assert "libary" in card.reason.text() and libary.reason in card.reason.text()
    assert card.add_button.isVisible()
    qtbot.mouseClick(card.accept_button, Qt.MouseButton.LeftButton)
    assert window.editor.text() == "I has went to the library"

    qtbot.waitUntil(lambda: issue_for(live, "has") is not None and issue_for(live, "libary") is None, timeout=15_000)
    window.editor.hover(point_of(window.editor, issue_for(live, "has").start))
    assert "agrees" in card.reason.text()
    qtbot.mouseClick(card.accept_button, Qt.MouseButton.LeftButton)
    assert window.editor.text().startswith("I have")
    # the model's pass follows for the edited sentence
    qtbot.waitUntil(lambda: bool(live.units) and all(live.key(s) in live.model for s in live.units), timeout=600_000)
    assert all(i.stage == "model" for i in live.issues)
    went = issue_for(live, "went")  # "have went": the participle rule, confirmed by the model's pass
    assert went is not None and went.replacement == "gone" and "participle" in went.reason


def test_only_changed_sentences_are_checked_again(qtbot, window):
    live = window.live
    live.use_model = False
    batches = []
    live._signals.checked.connect(lambda gen, units, found, names: batches.append((gen, len(found))))
    paste(window, "The first sentence is fine. The secnd one has a typo. A third one here.")
    qtbot.waitUntil(lambda: issue_for(live, "secnd") is not None, timeout=15_000)
    pasted = live.generation  # a late check of the pasted text (a busy machine) is not the edit's
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    qtbot.keyClicks(window.editor, " Anothr one.")
    edits = lambda: [n for gen, n in batches if gen > pasted]  # noqa: E731
    qtbot.waitUntil(lambda: bool(edits()) and live.checked_generation == live.generation, timeout=15_000)
    assert max(edits()) <= 2  # the edited tail, not the three sentences before it
    live.use_model = True


def test_right_click_menu_offers_accept_ignore_and_dictionary(qtbot, window):
    from app.qt import QMenu

    live = window.live
    live.use_model = False
    paste(window, "We use the recieved form daily.")
    qtbot.waitUntil(lambda: bool(live.issues), timeout=15_000)
    issue = live.issues[0]
    menu = QMenu()
    window.editor.add_issue_actions(menu, issue)
    texts = [a.text() for a in menu.actions()]
    assert texts[0].startswith("Accept:") and issue.reason in texts and "Ignore" in texts
    assert any("to dictionary" in t for t in texts)
    ignore = next(a for a in menu.actions() if a.text() == "Ignore")
    ignore.trigger()
    assert issue_for(live, issue.original) is None
    live.use_model = True


def test_switch_off_clears_underlines(qtbot, window):
    live = window.live
    live.use_model = False
    paste(window, "This has a tpyo in it.")
    qtbot.waitUntil(lambda: bool(live.issues), timeout=15_000)
    window.live_switch.setChecked(False)
    assert live.issues == [] and window.editor.extraSelections() == []
    qtbot.keyClicks(window.editor, " Anothr")
    qtbot.wait(600)
    assert live.issues == []
    window.live_switch.setChecked(True)
    qtbot.waitUntil(lambda: bool(live.issues), timeout=15_000)
    live.use_model = True


@pytest.mark.skipif(not DEV.exists(), reason="../shared/eval/user-texts/dev.jsonl is not beside this checkout")
def test_names_in_dev_texts_are_never_underlined(qtbot, window):
    """A dev text full of names (the first): no underline touches a must_keep item, after the
    fast pass and after the model's pass over the sentences that hold them."""
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    live = window.live
    row = rows[0]
    paste(window, row["text"])
    qtbot.waitUntil(lambda: live.checked_generation == live.generation and bool(live.units), timeout=15_000)
    text = window.editor.text()
    spans = [(text.find(item), text.find(item) + len(item), item) for item in row["must_keep"]]
    assert all(a >= 0 for a, _, _ in spans)

    def touched():
        return [(item, i) for a, b, item in spans for i in live.issues if i.start < b and a < i.end and i.original]

    assert touched() == []
    holding = [s for s in live.units if any(s.start <= a < s.end for a, _, _ in spans) and len(s.text.split()) >= 2]
    # the model's pass goes sentence by sentence (nearest the cursor first); two of them suffice here
    qtbot.waitUntil(lambda: sum(live.key(s) in live.model for s in holding) >= min(2, len(holding)), timeout=900_000)
    assert touched() == []

"""app/layouts.py: column/row keep the order, stretch factors and margins they are given;
dialog_buttons wires the standard buttons to the dialog (or to the given slot)."""

from __future__ import annotations

from app.layouts import CANCEL, ERROR_STYLE, OK, STRETCH, column, dialog_buttons, note_label, row
from app.qt import QDialog, QDialogButtonBox, QLabel, QPushButton, QWidget


def test_column_and_row_keep_order_stretch_and_margin(qapp):
    parent = QWidget()
    first, second, third = QLabel("a"), QLabel("b"), QPushButton("c")
    inner = row(third, STRETCH)
    box = column(parent, first, (second, 3), inner, margin=0)
    assert parent.layout() is box
    assert [box.itemAt(i).widget() for i in range(2)] == [first, second]
    assert box.itemAt(2).layout() is inner
    assert [box.stretch(i) for i in range(3)] == [0, 3, 0]
    assert box.contentsMargins().left() == 0 and box.contentsMargins().bottom() == 0
    assert inner.itemAt(0).widget() is third and inner.itemAt(1).spacerItem() is not None


def test_dialog_buttons_accept_reject_and_a_custom_slot(qapp):
    dialog = QDialog()
    buttons = dialog_buttons(dialog, OK, CANCEL)
    assert len(buttons.buttons()) == 2
    buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    dialog.setResult(0)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert dialog.result() == QDialog.DialogCode.Rejected

    pressed = []
    other = QDialog()
    custom = dialog_buttons(other, OK, CANCEL, on_accept=lambda: pressed.append("ok"))
    custom.button(QDialogButtonBox.StandardButton.Ok).click()
    assert pressed == ["ok"] and other.result() == QDialog.DialogCode.Rejected  # not accepted by itself


def test_note_label(qapp):
    label = note_label("Wrong passphrase.", style=ERROR_STYLE, name="unlockError")
    assert label.text() == "Wrong passphrase." and label.wordWrap()
    assert label.styleSheet() == ERROR_STYLE and label.objectName() == "unlockError"

"""Small builders for the layouts the window's panels and the dialogs repeat.

    column(parent, header, (splitter, 1), buttons, margin=0)    # a QVBoxLayout on parent
    row(STRETCH, cancel_button, ok_button)                      # a QHBoxLayout
    dialog_buttons(dialog, SAVE, CANCEL)                        # wired to accept() / reject()
    note_label(style=ERROR_STYLE, name="unlockError")           # a wrapping QLabel for messages
"""

from __future__ import annotations

from .qt import QBoxLayout, QDialogButtonBox, QHBoxLayout, QLabel, QLayout, QVBoxLayout

ERROR_STYLE = "color: #c0392b"
OK = QDialogButtonBox.StandardButton.Ok
SAVE = QDialogButtonBox.StandardButton.Save
CANCEL = QDialogButtonBox.StandardButton.Cancel
CLOSE = QDialogButtonBox.StandardButton.Close
STRETCH = "stretch"  # in row() / column(): an empty space that takes what is left


def column(parent, *items, margin: int | None = None) -> QVBoxLayout:
    """A vertical layout on `parent` (None: not set on a widget yet) with `items` in order:
    widgets, layouts, STRETCH, or (item, stretch factor)."""
    return _fill(QVBoxLayout(parent) if parent is not None else QVBoxLayout(), items, margin)


def row(*items, margin: int | None = None) -> QHBoxLayout:
    """A horizontal layout with `items`, as in column()."""
    return _fill(QHBoxLayout(), items, margin)


def _fill(box: QBoxLayout, items, margin: int | None):
    if margin is not None:
        box.setContentsMargins(margin, margin, margin, margin)
    for item in items:
        item, stretch = item if isinstance(item, tuple) else (item, 0)
        if isinstance(item, str) and item == STRETCH:
            box.addStretch(1)
        elif isinstance(item, QLayout):
            box.addLayout(item, stretch)
        else:
            box.addWidget(item, stretch)
    return box


def dialog_buttons(dialog, *buttons, on_accept=None) -> QDialogButtonBox:
    """A button box with these standard buttons: accepting calls `on_accept` (default
    dialog.accept), rejecting calls dialog.reject."""
    flags = buttons[0]
    for b in buttons[1:]:
        flags |= b
    box = QDialogButtonBox(flags)
    box.accepted.connect(on_accept or dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def note_label(text: str = "", style: str = "", name: str = "") -> QLabel:
    """A word-wrapping label for a message, a warning or an error."""
    label = QLabel(text)
    label.setWordWrap(True)
    if style:
        label.setStyleSheet(style)
    if name:
        label.setObjectName(name)
    return label

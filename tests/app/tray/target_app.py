"""A stand-in for "any application": a Qt window with a QLineEdit (or QTextEdit) whose text
is mirrored to a file on every change, so tests can read what the user would see.

    python target_app.py STATE_FILE "initial text" [--multi] [--copy-delay SECONDS]

--copy-delay makes Ctrl+C slow (a busy app): the clipboard changes that many seconds later.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QTextEdit


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("state")
    p.add_argument("text")
    p.add_argument("--multi", action="store_true")
    p.add_argument("--copy-delay", type=float, default=0.0)
    args = p.parse_args()
    app = QApplication(sys.argv[:1])
    state = Path(args.state)
    box = QTextEdit() if args.multi else QLineEdit()
    box.setWindowTitle("Hushwrite test target")
    get = box.toPlainText if args.multi else box.text

    def mirror(*_):
        state.write_text(get(), encoding="utf-8")

    box.textChanged.connect(mirror)
    if args.multi:
        box.setPlainText(args.text)
    else:
        box.setText(args.text)
    mirror()

    if args.copy_delay:
        original = box.keyPressEvent

        def slow_copy(event):
            if event.matches(QKeySequence.StandardKey.Copy):
                selected = box.selectedText() if not args.multi else box.textCursor().selectedText()
                QTimer.singleShot(int(args.copy_delay * 1000), lambda: QGuiApplication.clipboard().setText(selected))
                return
            original(event)

        box.keyPressEvent = slow_copy
    box.resize(500, 80)
    box.move(100, 300)
    box.show()
    box.activateWindow()
    print("ready", int(box.winId()), flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())

"""Own the X11 clipboard with distinctive content in three formats (text, PNG bytes, a private
binary type) until killed — the "user's clipboard" the quick rewrite must give back intact.

    python clip_owner.py     # prints "ready" once it owns the clipboard
"""

import sys

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QApplication

TEXT = "user clipboard: keep me ✓"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
PRIVATE_TYPE = "application/x-hushwrite-test"
PRIVATE = b"\x00\x01\x02 private \xff"


def main() -> int:
    app = QApplication(sys.argv[:1])
    md = QMimeData()
    md.setText(TEXT)
    md.setData("image/png", PNG)
    md.setData(PRIVATE_TYPE, PRIVATE)
    app.clipboard().setMimeData(md)
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())

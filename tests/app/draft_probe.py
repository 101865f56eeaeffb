"""A real Hushwrite window in its own process, for the kill -9 draft test.

    draft_probe.py type TEXT      # open the app, type TEXT, print SAVED when the draft is kept, wait
    draft_probe.py restore        # open the app, print the offered draft after clicking Restore
Prints one JSON line per event on stdout. The data dir, passphrase and QT platform come from the
environment the test sets.
"""

from __future__ import annotations

import argparse
import json
import os
import sys


def say(**event) -> None:
    print(json.dumps(event), flush=True)


def main() -> int:
    from app.context import AppContext
    from app.main_window import MainWindow
    from app.qt import QApplication, QTimer
    from app.settings import Settings

    app = QApplication(sys.argv[:1])
    args = argparse.Namespace(data_dir=os.environ["HUSHWRITE_DATA_DIR"], passphrase_fd=None, no_store=False, model=None)
    ctx = AppContext(args, Settings(threads=2, n_ctx=1024))
    window = MainWindow(ctx)
    window.show()
    ctx.start()
    mode = sys.argv[1]
    if mode == "type":
        text = sys.argv[2]

        def typed() -> None:
            window.editor.insertPlainText(text)

        window.drafts.saved.connect(lambda: say(event="saved", engine_pid=ctx.engine.engine_pid))
        ctx.store_changed.connect(lambda state, _d: QTimer.singleShot(0, typed) if state == "open" else None)
        ctx.engine.model_state.connect(lambda state, _d: say(event="model", state=state, engine_pid=ctx.engine.engine_pid))
    else:
        def offered(*_a) -> None:
            window.banner.action.click()  # "Restore"
            say(event="restored", text=window.editor.text(), banner=window.banner.isVisible(),
                modified=window.isWindowModified())
            os._exit(0)  # a normal quit would (rightly) ask about the unsaved, restored text

        window.drafts.restorable.connect(offered)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())

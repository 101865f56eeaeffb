"""Draw the main window with a proofread review on the current X display and save a PNG.

Run by tests/app/test_screenshot.py under Xvfb:  python tests/app/scene_review.py OUT.png
Uses the real default model; exits 0 when the PNG is written, 1 (with a message) otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TEXT = (
    "# Team update\n\n"
    "Teh launch is planed for tuesday. We has recieved you're feedback on the draft and the design "
    "team are updating the screens this week.\n\n"
    "Please send any last comments before Friday so we can finalise the plan."
)


def main(out: str) -> int:
    from app import theme
    from app.context import AppContext
    from app.main_window import MainWindow
    from app.qt import QApplication, QGuiApplication, QTimer
    from app.settings import Settings

    app = QApplication(sys.argv[:1])
    active = theme.install(app, "light")
    ctx = AppContext(argparse.Namespace(no_store=True, model=None), Settings(threads=2))
    w = MainWindow(ctx, active)
    w.setGeometry(0, 0, 1280, 800)
    w.show()
    w.editor.setPlainText(TEXT)
    ctx.start()
    status = {"code": 1}

    def on_state(state: str, detail: str) -> None:
        if state == "error":
            print(f"model failed: {detail}", file=sys.stderr)
            app.quit()

    def review_ready() -> None:
        r = w.review
        if w.side.currentWidget() is not r:
            if w.job is None and ctx.engine.ready and not getattr(w, "_started", False):
                w._started = True
                w.run_tool("proofread")
            QTimer.singleShot(100, review_ready)
            return
        if len(r.edits) >= 3:
            r.decide(0, True)
            r.decide(1, False)
            r.edit_list.setCurrentRow(2)
        w.statusBar().showMessage("Proofread: hover a mark to see why it was suggested")
        QTimer.singleShot(500, shoot)

    def shoot() -> None:
        app.processEvents()
        shot = QGuiApplication.primaryScreen().grabWindow(0, 0, 0, 1280, 800)
        if shot.save(out):
            status["code"] = 0
        else:
            print(f"could not write {out}", file=sys.stderr)
        app.quit()

    ctx.engine.model_state.connect(on_state)
    QTimer.singleShot(100, review_ready)
    QTimer.singleShot(600_000, app.quit)  # never hang a test run
    app.exec()
    ctx.shutdown()
    return status["code"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

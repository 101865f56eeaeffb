"""Draw the main window with live-check underlines and the hover card open; save a PNG.

Run by tests/app/test_live_screenshot.py under Xvfb:  python tests/app/scene_live.py OUT.png
Uses the real default model; exits 0 when the PNG is written, 1 (with a message) otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TEXT = (
    "Notes from Tuesday\n\n"
    "Priya will lead the redesign with Tomasz. I has went to the libary to check the old plans, "
    "and the librarian were very helpfull.\n\n"
    "We should of asked for some book about the building before we started."
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
    ctx.start()
    w.editor.setPlainText(TEXT)
    live = w.live
    status = {"code": 1, "waited": 0}

    def ready() -> None:
        status["waited"] += 1
        done = live.units and live.job is None and all(
            live.key(s) in live.model for s in live.units if len(s.text.split()) >= 2)
        if not done and status["waited"] < 3000:
            QTimer.singleShot(100, ready)
            return
        issue = next((i for i in live.issues if i.original == "libary"), live.issues[0] if live.issues else None)
        if issue is None:
            print("no live suggestions to show", file=sys.stderr)
            app.quit()
            return
        from tests.app.test_live_check import point_of

        w.editor.hover(point_of(w.editor, issue.start))
        QTimer.singleShot(500, shoot)

    def shoot() -> None:
        app.processEvents()
        if QGuiApplication.platformName() == "offscreen":
            # no X server: draw the window, then the hover card (its own top-level) onto it
            from app.qt import QPainter

            shot = w.grab()
            card = w.editor.card
            if card.isVisible():
                painter = QPainter(shot)
                painter.drawPixmap(w.mapFromGlobal(card.pos()), card.grab())
                painter.end()
        else:
            shot = QGuiApplication.primaryScreen().grabWindow(0, 0, 0, 1280, 800)
        if shot.save(out):
            status["code"] = 0
        else:
            print(f"could not write {out}", file=sys.stderr)
        app.quit()

    QTimer.singleShot(300, ready)
    QTimer.singleShot(600_000, app.quit)  # never hang a test run
    app.exec()
    live.shutdown()
    ctx.shutdown()
    return status["code"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

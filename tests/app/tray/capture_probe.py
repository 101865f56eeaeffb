"""Run one selection capture (as the tray does after the hotkey) and print it as JSON.

    python capture_probe.py [--no-primary] [--timeout SECONDS] [--paste TEXT]

With --paste, the captured window then gets TEXT pasted back (paste_back.PasteBack).
Run under a real X server (DISPLAY set); used by the tests and handy for manual checks.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from app.tray.clipboard import read_formats  # noqa: E402
from app.tray.platform_keys import platform_keys  # noqa: E402
from app.tray.paste_back import PasteBack  # noqa: E402
from app.qt import QApplication  # noqa: E402
from app.tray.selection import SelectionCapture  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--no-primary", action="store_true")
    p.add_argument("--timeout", type=float, default=2.0)
    p.add_argument("--paste")
    args = p.parse_args()
    app = QApplication(sys.argv[:1])
    keys = platform_keys()
    out: dict = {}
    cap = SelectionCapture(keys, timeout=args.timeout, use_primary=not args.no_primary)

    def captured(c):
        out.update(text=c.text, source=c.source, problem=c.problem, seconds=c.seconds, restored=c.clipboard_restored)
        if args.paste is None or not c.ok:
            app.quit()
            return
        pb = PasteBack(keys, args.paste, c.window)
        pb.done.connect(lambda ok, problem: (out.update(pasted=ok, paste_problem=problem), app.quit()))
        out["_pb"] = pb
        pb.start()

    cap.done.connect(captured)
    cap.start()
    app.exec()
    out.pop("_pb", None)
    # what the clipboard holds now, as this process sees it (a restored snapshot is ours)
    out["clipboard_after"] = {k: hashlib.sha256(v).hexdigest() for k, v in read_formats().items()}
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Register a global hotkey the way the tray does and report: "ready ok" or "ready conflict <message>".
Then prints "activated" each time the hotkey is pressed, until killed.

    python hotkey_probe.py [HOTKEY]      # default Ctrl+Alt+Space
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from app.tray.hotkey import Hotkey, HotkeyConflict, create_hotkey  # noqa: E402
from app.qt import QApplication  # noqa: E402


def main() -> int:
    app = QApplication(sys.argv[:1])
    hk = create_hotkey()
    try:
        hk.register(Hotkey.parse(sys.argv[1] if len(sys.argv) > 1 else "Ctrl+Alt+Space"))
    except HotkeyConflict as exc:
        print("ready conflict", exc, flush=True)
        return 0
    hk.activated.connect(lambda: print("activated", flush=True))
    print("ready ok", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())

"""A timestamped trace of quick actions, written only when HUSHWRITE_TRAY_LOG names a file.

One JSON object per line: {"t": time.monotonic(), "event": ..., ...}. The end-to-end test and
the latency benchmark read it (monotonic time is shared by all processes on the machine).
It never contains the user's text unless HUSHWRITE_TRAY_LOG_TEXT=1 (tests only).
"""

from __future__ import annotations

import json
import os
import time

TEXT_FIELDS = ("text", "original")


def log(event: str, **fields) -> None:
    path = os.environ.get("HUSHWRITE_TRAY_LOG")
    if not path:
        return
    if not os.environ.get("HUSHWRITE_TRAY_LOG_TEXT"):
        fields = {k: (len(v) if k in TEXT_FIELDS and isinstance(v, str) else v) for k, v in fields.items()}
    line = json.dumps({"t": time.monotonic(), "event": event, **fields}, ensure_ascii=False)
    try:
        with open(path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
    except OSError:
        pass

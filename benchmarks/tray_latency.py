"""Quick-rewrite latency under a real X server with the warm default model (medians).

    python benchmarks/tray_latency.py [--runs 7]

Starts Xvfb + trayer, the tray app (`python -m app.tray --no-store`) and a target window,
warms the model with one full rewrite, then per run: select the target's text, press the
hotkey with xdotool, and read the app's event trace (HUSHWRITE_TRAY_LOG, monotonic clock):
  hotkey → popup visible      (target ≤ 150 ms): popup mapped, exposed and holding the keyboard
  hotkey → first previewed token (target ≤ 400 ms): last-used tool (Rewrite) starts at once
Both are measured from the xdotool call (includes starting xdotool, ~a few ms) and from the
app receiving the key. Needs: Xvfb, trayer, xdotool, xclip.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "app" / "tray"))

from xharness import XServer, read_events, wait_event, wait_ready  # noqa: E402

TEXT = "i has a apple and it are red, but we was going to eat it tomorow."


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=7)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        x = XServer(tmp)
        try:
            return bench(x, tmp, args.runs)
        finally:
            x.close()


def bench(x: XServer, tmp: Path, runs: int) -> int:
    (tmp / "data").mkdir()
    (tmp / "data" / "tray.json").write_text(json.dumps({"last_tool": "rewrite"}))
    trace = tmp / "events.jsonl"
    x.spawn([sys.executable, "-m", "app.tray", "--no-store"], env={**x.env, "HUSHWRITE_TRAY_LOG": str(trace)}, cwd=str(ROOT))
    wait_event(trace, "tray_ready", 60)
    target = x.python("target_app.py", str(tmp / "target.txt"), TEXT)
    win = wait_ready(target)

    def one(warm: bool) -> dict:
        x.run("xdotool", "windowfocus", "--sync", win)
        x.key("ctrl+a")
        time.sleep(0.2)
        mark = len(read_events(trace))
        t0 = time.monotonic()
        x.key("ctrl+alt+space")
        got = wait_event(trace, "hotkey", 10, mark)["t"]
        shown = wait_event(trace, "popup_shown", 10, mark)["t"]
        started = wait_event(trace, "job_started", 300, mark)["t"]
        first = wait_event(trace, "first_token", 300, mark)["t"]
        if warm:
            wait_event(trace, "result", 300, mark)
        x.key("Escape")
        wait_event(trace, "cancelled", 10, mark)
        time.sleep(0.3)
        return {"popup": shown - t0, "popup_app": shown - got, "token": first - t0, "token_app": first - got,
                "queue": started - got}

    one(warm=True)  # loads the model and fills the prompt cache
    samples = [one(warm=False) for _ in range(runs)]
    ms = {k: statistics.median(s[k] for s in samples) * 1000 for k in samples[0]}
    print(f"runs: {runs} (warm default model)")
    print(f"hotkey -> popup visible:       median {ms['popup']:.0f} ms from xdotool, {ms['popup_app']:.0f} ms from key receipt (target 150)")
    print(f"hotkey -> first preview token: median {ms['token']:.0f} ms from xdotool, {ms['token_app']:.0f} ms from key receipt (target 400)")
    print(f"  of which waiting for the engine thread to start the job: median {ms['queue']:.0f} ms")
    print(json.dumps({k: round(v, 1) for k, v in ms.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

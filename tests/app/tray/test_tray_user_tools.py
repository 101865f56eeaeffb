"""Under a real X server: a tool of the user's own, kept in the encrypted store, is in the tray's
quick popup; its shortcut picks it there, the real model runs it, Enter pastes the result into
another application, and the store's history names the tool."""

from __future__ import annotations

import json
import time

import pytest
from xharness import read_events, wait_event, wait_ready

pytestmark = [pytest.mark.x11, pytest.mark.slow]

PASSPHRASE = "correct horse battery staple"
ORIGINAL = "i has a apple and it are red"


def test_a_user_tool_runs_from_the_quick_popup_by_its_shortcut(xserver, tmp_path):
    from engine.store import Store

    data = tmp_path / "data"
    with Store.open(data_dir=data, passphrase=PASSPHRASE, interactive=False) as store:
        store.save_user_tool("Polite note", "Make it polite and formal.", "rewrite", "Ctrl+Alt+N")
    trace = tmp_path / "events.jsonl"
    env = {**xserver.env, "HUSHWRITE_DATA_DIR": str(data), "HUSHWRITE_KEYRING": "off",
           "HUSHWRITE_PASSPHRASE": PASSPHRASE, "HUSHWRITE_TRAY_LOG": str(trace), "HUSHWRITE_TRAY_LOG_TEXT": "1"}
    app = xserver.spawn(["python", "-m", "app.tray"], env=env)
    target = None
    try:
        wait_event(trace, "tray_ready", 60)
        end = time.monotonic() + 60  # the store opens after the tray is up: the popup gains the tool
        while not [e for e in read_events(trace) if e["event"] == "tools" and e["count"] == 11]:
            assert time.monotonic() < end, read_events(trace)
            time.sleep(0.1)

        state = tmp_path / "target.txt"
        target = xserver.python("target_app.py", str(state), ORIGINAL)
        win = wait_ready(target)
        xserver.run("xdotool", "windowfocus", "--sync", win)
        xserver.key("ctrl+a")
        time.sleep(0.3)
        mark = len(read_events(trace))
        xserver.key("ctrl+alt+space")
        wait_event(trace, "popup_shown", 20, mark)
        first = wait_event(trace, "tool", 10, mark)
        assert first["tool"] == "proofread"  # the default: no tool used yet
        mark = len(read_events(trace))
        xserver.key("ctrl+alt+n")  # the shortcut given to the user's tool
        chosen = wait_event(trace, "tool", 10, mark)
        assert chosen["tool"] == "user:polite-note"
        result = wait_event(trace, "result", 240, mark)
        assert result["ok"] and result["text"] != ORIGINAL, result
        xserver.key("Return")
        wait_event(trace, "pasted", 20, mark)
        deadline = time.monotonic() + 10
        while state.read_text() != result["text"] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert state.read_text() == result["text"]
    finally:
        if target is not None:
            target.terminate()
        app.terminate()
        app.wait(10)

    with Store.open(data_dir=data, passphrase=PASSPHRASE, interactive=False) as store:
        runs = [r for r in store.history() if r["kind"] == "Polite note"]
        assert [(r["tool"], r["input"], r["output"]) for r in runs] == [("rewrite", ORIGINAL, result["text"])]
    assert json.loads((data / "tray.json").read_text())["last_tool"] == "user:polite-note"  # its key is kept


"""Under a real X server (Xvfb + trayer): the hotkey grab, capture from a slow app, and the
whole quick rewrite driven by xdotool against a separate target window, with the real model."""

from __future__ import annotations

import hashlib
import json
import time

import pytest
from clip_owner import PNG, PRIVATE, PRIVATE_TYPE, TEXT
from xharness import read_events, wait_event, wait_ready

pytestmark = [pytest.mark.x11, pytest.mark.slow]

USER_FORMATS = {"text/plain": TEXT.encode(), "image/png": PNG, PRIVATE_TYPE: PRIVATE}


def sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def assert_user_clipboard_intact(x) -> None:
    assert {"image/png", PRIVATE_TYPE} <= x.clipboard_targets()
    assert x.clipboard("UTF8_STRING").decode() == TEXT
    assert x.clipboard("image/png") == PNG
    assert x.clipboard(PRIVATE_TYPE) == PRIVATE


@pytest.fixture()
def user_clipboard(xserver):
    """The user's clipboard, freshly owned by a separate process for each test."""
    owner = xserver.python("clip_owner.py")
    wait_ready(owner)
    yield owner
    owner.terminate()
    owner.wait(5)


def start_target(x, tmp_path, text, *extra):
    state = tmp_path / "target.txt"
    proc = x.python("target_app.py", str(state), text, *extra)
    win = wait_ready(proc)
    x.run("xdotool", "windowfocus", "--sync", win)
    x.key("ctrl+a")  # select all the text
    time.sleep(0.3)
    return proc, state, win


def test_hotkey_grab_fires_on_key_codes_and_reports_conflicts(xserver):
    holder = xserver.python("hotkey_probe.py", "Ctrl+Alt+Space")
    assert wait_ready(holder) == "ok"
    xserver.key("ctrl+alt+space")
    assert holder.stdout.readline().strip() == "activated"
    second = xserver.python("hotkey_probe.py", "Ctrl+Alt+Space")
    line = second.stdout.readline()
    assert line.startswith("ready conflict") and "already used by another application" in line
    holder.terminate()
    holder.wait(5)


def test_copy_capture_waits_for_a_slow_app_and_restores_the_clipboard(xserver, user_clipboard, tmp_path):
    target, state, _ = start_target(xserver, tmp_path, "slow app text", "--copy-delay", "0.8")
    out = json.loads(xserver.run("python", str(xserver_path("capture_probe.py")), "--no-primary", "--timeout", "3"))
    target.terminate()
    assert out["problem"] == "" and out["text"] == "slow app text" and out["source"] == "clipboard"
    assert out["seconds"] >= 0.75  # it waited for the app (0.8 s, timed from a moment before ours) instead of racing it
    assert out["restored"] is True
    assert {k: out["clipboard_after"].get(k) for k in USER_FORMATS} == {k: sha(v) for k, v in USER_FORMATS.items()}


def test_capture_that_gets_no_answer_says_no_text_and_leaves_the_clipboard(xserver, user_clipboard, tmp_path):
    target, state, _ = start_target(xserver, tmp_path, "too slow", "--copy-delay", "6")
    out = json.loads(xserver.run("python", str(xserver_path("capture_probe.py")), "--no-primary", "--timeout", "1"))
    target.terminate()
    target.wait(5)
    assert out["text"] == "" and out["problem"].startswith("No text selected")
    assert_user_clipboard_intact(xserver)


def xserver_path(name):
    from xharness import HERE

    return HERE / name


# -- end to end: the tray app with the real default model -------------------------------------------
@pytest.fixture(scope="module")
def tray_app(xserver, tmp_path_factory):
    trace = tmp_path_factory.mktemp("trace") / "events.jsonl"
    env = {**xserver.env, "HUSHWRITE_TRAY_LOG": str(trace), "HUSHWRITE_TRAY_LOG_TEXT": "1"}
    app = xserver.spawn(["python", "-m", "app.tray", "--no-store"], env=env, cwd=str(xserver_path("").parents[2]))
    wait_event(trace, "tray_ready", 60)
    yield app, trace
    app.terminate()
    app.wait(10)


def test_quick_rewrite_replaces_the_selection_and_gives_the_clipboard_back(xserver, user_clipboard, tray_app, tmp_path):
    app, trace = tray_app
    events = read_events(trace)
    assert not [e for e in events if e["event"] in ("no_tray_host", "notice")], events
    original = "i has a apple and it are red"
    target, state, _ = start_target(xserver, tmp_path, original)
    mark = len(read_events(trace))
    xserver.key("ctrl+alt+space")
    captured = wait_event(trace, "captured", 20, mark)
    assert captured["original"] == original and captured["source"] == "primary"
    wait_event(trace, "popup_shown", 10, mark)
    xserver.key("2")  # choose Rewrite
    wait_event(trace, "tool", 10, mark)
    mark = len(read_events(trace)) - 1
    result = wait_event(trace, "result", 240, mark)
    assert result["ok"], result
    xserver.key("Return")
    wait_event(trace, "pasted", 20, mark)
    deadline = time.monotonic() + 10
    while state.read_text() != result["text"] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert state.read_text() == result["text"] != original
    assert_user_clipboard_intact(xserver)
    target.terminate()


def test_cancel_leaves_target_and_clipboard_untouched(xserver, user_clipboard, tray_app, tmp_path):
    app, trace = tray_app
    original = "Please send me the reports by friday."
    target, state, _ = start_target(xserver, tmp_path, original)
    mark = len(read_events(trace))
    xserver.key("ctrl+alt+space")
    wait_event(trace, "popup_shown", 20, mark)
    wait_event(trace, "tool", 10, mark)
    xserver.key("Escape")
    wait_event(trace, "cancelled", 10, mark)
    time.sleep(1.0)  # anything that would still paste would have done so by now
    assert not [e for e in read_events(trace)[mark:] if e["event"] in ("apply", "pasted")]
    assert state.read_text() == original
    assert_user_clipboard_intact(xserver)
    target.terminate()

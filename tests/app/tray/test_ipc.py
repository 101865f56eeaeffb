"""app/tray/ipc.py across two real processes: `hushwrite quick` hands its request to the running
tray over the local socket (the tray hears it, the sender gets True); with no tray listening the
sender gets False at once."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

from app.tray import ipc

ROOT = Path(__file__).resolve().parents[3]
SENDER = (
    "import sys\n"
    "from app.event_loop import application\n"
    "from app.tray import ipc\n"
    "app = application()\n"
    "ipc.IPC_NAME = sys.argv[1]\n"
    "print(ipc.hand_to_running_tray(), flush=True)\n"
)


def send(name: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen([sys.executable, "-c", SENDER, name], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_the_running_tray_takes_the_quick_request(qtbot, monkeypatch):
    name = f"hushwrite-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setattr(ipc, "IPC_NAME", name)
    server = ipc.QuickCommandServer()
    assert server.listen()
    heard = []
    server.quick_requested.connect(lambda: heard.append(True))
    try:
        sender = send(name)
        qtbot.waitUntil(lambda: sender.poll() is not None and bool(heard), timeout=60_000)
        out, err = sender.communicate()
        assert sender.returncode == 0, err
        assert out.split() == ["True"] and heard == [True]
    finally:
        server.close()


def test_no_tray_listening_means_the_request_is_not_taken(qapp):
    sender = send(f"hushwrite-test-{uuid.uuid4().hex[:12]}")
    out, err = sender.communicate(timeout=60)
    assert sender.returncode == 0, err
    assert out.split() == ["False"]

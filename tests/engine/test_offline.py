"""Privacy: proofread, rewrite and summarize never open a network socket.

Two independent proofs: (1) the CLI runs with every socket creation refused by a Python audit
hook (catches Python code, any library); (2) where the kernel allows it, the CLI runs in a
network namespace with no interfaces at all (`unshare -n`), which also covers native code.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEXT = "i has went to the libary yesterday and it were closed, so we goes home."

BLOCK_SOCKETS = r"""
import sys
def hook(event, args):
    if event in ("socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo", "socket.sendto"):
        sys.stderr.write("NETWORK ATTEMPT: %s\n" % event)
        sys.stderr.flush()
        import os; os._exit(99)
sys.addaudithook(hook)
from engine.cli import main
sys.exit(main(sys.argv[1:]))
"""

COMMANDS = [
    ["proofread"],
    ["rewrite", "--tone", "friendly"],
    ["summarize", "--kind", "key-points", "--no-progress"],
]


def _env(data_dir: Path) -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT)
    e["HUSHWRITE_DATA_DIR"] = str(data_dir)
    for name in ("HUSHWRITE_ENGINE_URL", "HUSHWRITE_ENGINE_KEY", "HUSHWRITE_ENGINE_MODEL"):
        e.pop(name, None)  # the default configuration: the engine on this computer
    return e


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: c[0])
def test_no_socket_is_ever_created(cmd, tmp_path):
    p = subprocess.run(
        [sys.executable, "-c", BLOCK_SOCKETS, "--no-store", *cmd],
        input=TEXT, capture_output=True, text=True, timeout=300, env=_env(tmp_path),
    )
    assert "NETWORK ATTEMPT" not in p.stderr
    assert p.returncode in (0, 4), p.stderr  # 4: output judged unusable, still offline
    assert p.stdout.strip()


def _can_unshare() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _can_unshare(), reason="this kernel/user cannot create a network namespace (needs root or user namespaces)")
@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: c[0])
def test_works_with_no_network_interfaces(cmd, tmp_path):
    p = subprocess.run(
        ["unshare", "-n", sys.executable, "-m", "engine.cli", "--no-store", *cmd],
        input=TEXT, capture_output=True, text=True, timeout=300, env=_env(tmp_path),
    )
    assert p.returncode in (0, 4), p.stderr
    assert p.stdout.strip()

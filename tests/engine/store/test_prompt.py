"""At a terminal the passphrase is asked for (twice for a new store, three tries to unlock)."""

from __future__ import annotations

import os
import pty
import select
import sys
import time
from pathlib import Path

CLI = Path(__file__).parent / "children" / "cli.py"


def converse(argv: list[str], env: dict, replies: list[tuple[str, str]], timeout: float = 30) -> tuple[int, str]:
    """Run the CLI on a pseudo-terminal; answer each expected prompt; return (exit code, everything shown)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, str(CLI), *argv], env)
    shown, deadline = b"", time.monotonic() + timeout
    pending = list(replies)
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
        if pending and pending[0][0].encode() in shown.split(b"\n")[-1]:
            os.write(fd, (pending.pop(0)[1] + "\n").encode())
    else:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode(errors="replace")


def test_new_store_asks_twice_then_unlock_allows_retries(store_env, child_env, tmp_path):
    env = child_env(HUSHWRITE_DATA_DIR=str(tmp_path / "tty"), STORE_TEST_FAST_KDF="1")
    env.pop("HUSHWRITE_PASSPHRASE")
    code, shown = converse(["dict", "add", "Typed"], env,
                           [("New passphrase", "typed at a terminal"), ("Repeat it", "typed at a terminal")])
    assert code == 0, shown
    assert "added: Typed" in shown and "typed at a terminal" not in shown  # never echoed
    code, shown = converse(["dict", "list"], env,
                           [("store passphrase", "a wrong guess"), ("store passphrase", "typed at a terminal")])
    assert code == 0, shown
    assert shown.count("store passphrase") == 2 and "Typed" in shown

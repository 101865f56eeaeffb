"""On a terminal, `hushwrite proofread` prints the first checked sentence before the rest are
checked; what ends up on the screen is exactly what a pipe gets (real model, real pty)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

EMAIL = ("Hi Sam,\n\nI recieve the invoice yesterday and the total were wrong. Their going to send a new one "
         "on Friday. I has asked them to add the 12 % discount.\n\nThanks,\nMaria\n")


def env() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def on_a_terminal(args: list[str]) -> tuple[list[tuple[float, bytes]], int]:
    """(chunks of stdout with the time each arrived, exit code) of the CLI with stdout on a pty."""
    master, slave = pty.openpty()
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "hushwrite", *args], stdout=slave, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, env=env())
    os.close(slave)
    chunks = []
    while time.monotonic() - t0 < 120:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append((time.monotonic() - t0, data))
        elif proc.poll() is not None:
            break
    os.close(master)
    return chunks, proc.wait(timeout=30)


def test_proofread_streams_its_first_sentence_on_a_terminal(tmp_path, data_dir):
    f = tmp_path / "email.txt"
    f.write_text(EMAIL, encoding="utf-8")
    piped = subprocess.run([sys.executable, "-m", "hushwrite", "--no-store", "proofread", str(f)],
                           capture_output=True, text=True, timeout=120, env=env())
    assert piped.returncode == 0, piped.stderr
    chunks, code = on_a_terminal(["--no-store", "proofread", str(f)])
    assert code == 0
    screen = b"".join(c for _, c in chunks).decode().replace("\r\n", "\n")
    assert screen == piped.stdout and "receive" in screen and "They're going" in screen
    first = chunks[0][1].decode().replace("\r\n", "\n")
    assert first.startswith("Hi Sam,") and "Friday" not in first  # shown before the rest was checked
    assert len(chunks) >= 2

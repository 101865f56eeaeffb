"""A private X server for tests: Xvfb + trayer, helpers to run processes on it and read the X clipboard."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
TOOLS = ("Xvfb", "trayer", "xdotool", "xclip")


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


class XServer:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.procs: list[subprocess.Popen] = []
        r, w = os.pipe()
        self.xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                                     pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(w)
        with os.fdopen(r) as f:
            number = f.readline().strip()
        self.display = f":{number}"
        self.env = {
            **os.environ, "DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb", "HUSHWRITE_DATA_DIR": str(tmp / "data"),
            "XDG_CONFIG_HOME": str(tmp / "config"), "PYTHONPATH": str(ROOT),
        }
        self.env.pop("WAYLAND_DISPLAY", None)
        self.env.pop("XDG_SESSION_TYPE", None)
        self.spawn(["trayer", "--edge", "top", "--align", "right", "--widthtype", "request", "--height", "24"])

    def spawn(self, argv, **kw) -> subprocess.Popen:
        p = subprocess.Popen(argv, env=kw.pop("env", self.env), stdout=kw.pop("stdout", subprocess.DEVNULL),
                             stderr=kw.pop("stderr", subprocess.DEVNULL), text=True, **kw)
        self.procs.append(p)
        return p

    def python(self, script: str, *args, **kw) -> subprocess.Popen:
        return self.spawn([sys.executable, str(HERE / script), *args], stdout=subprocess.PIPE, **kw)

    def run(self, *argv, timeout=20, check=True) -> str:
        return subprocess.run(list(argv), env=self.env, capture_output=True, text=True, timeout=timeout, check=check).stdout

    def key(self, *keys) -> None:
        self.run("xdotool", "key", "--clearmodifiers", *keys)

    def clipboard(self, target: str = "text/plain") -> bytes:
        return subprocess.run(["xclip", "-o", "-selection", "clipboard", "-t", target], env=self.env,
                              capture_output=True, timeout=10).stdout

    def clipboard_targets(self) -> set[str]:
        return set(self.clipboard("TARGETS").decode().split())

    def wait_window(self, name: str, timeout: float = 20) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            out = self.run("xdotool", "search", "--onlyvisible", "--name", name, check=False).split()
            if out:
                return out[0]
            time.sleep(0.1)
        raise AssertionError(f"no window named {name!r} appeared")

    def close(self) -> None:
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
        self.xvfb.terminate()
        self.xvfb.wait(5)


def wait_ready(proc: subprocess.Popen, timeout: float = 30) -> str:
    """The first stdout line of a helper ("ready ..."), or fail with its exit status."""
    import select

    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    if not ready:
        raise AssertionError("helper did not start in time")
    line = proc.stdout.readline()
    assert line.startswith("ready"), f"helper failed: {line!r} (exit {proc.poll()})"
    return line.split()[1] if len(line.split()) > 1 else ""


def read_events(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def wait_event(path: Path, name: str, timeout: float, after: int = 0) -> dict:
    """The first event `name` in the app's trace at index >= after; fail after timeout."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for e in read_events(path)[after:]:
            if e["event"] == name:
                return e
        time.sleep(0.05)
    raise AssertionError(f"no {name!r} event within {timeout}s; trace: {read_events(path)[after:]}")

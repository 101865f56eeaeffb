"""A real llama-server on 127.0.0.1 for the remote-engine tests and benchmark.

The binary is the one `packaging/llama_server` builds from the llama.cpp that llama-cpp-python
vendors and caches (tests/run builds it once); HUSHWRITE_LLAMA_SERVER names another one.
"""

from __future__ import annotations

import http.client
import importlib.machinery
import importlib.util
import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _build_script():
    path = ROOT / "packaging" / "llama_server"
    loader = importlib.machinery.SourceFileLoader("hushwrite_llama_server_build", str(path))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def server_binary() -> Path | None:
    """The llama-server to test against, or None when none is built (the tests then skip)."""
    named = os.environ.get("HUSHWRITE_LLAMA_SERVER")
    if named:
        return Path(named) if Path(named).is_file() else None
    return _build_script().cached()


def has_amx() -> bool:
    try:
        return "amx_tile" in Path("/proc/cpuinfo").read_text()
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LlamaServer:
    """`with LlamaServer(model_path, slots=4) as srv:` ... `srv.url`; `srv.stop()` ends it early."""

    def __init__(self, model_path: Path, slots: int = 4, ctx_per_slot: int = 4096, api_key: str | None = None,
                 threads: int | None = None, log_dir: Path | None = None, binary: Path | None = None):
        self.binary = binary or server_binary()
        if self.binary is None:
            raise FileNotFoundError("no llama-server built: run packaging/llama_server")
        self.model_path = Path(model_path)
        self.slots = slots
        self.ctx = ctx_per_slot * slots
        self.api_key = api_key
        # One thread unless told: with 2 threads on 2 cores busy with other work, ggml's spinning
        # workers made a token take 9 s instead of 0.08 s here.
        self.threads = threads or int(os.environ.get("HUSHWRITE_LLAMA_SERVER_THREADS", "1"))
        self.port = free_port()
        self.log_path = (log_dir or Path("/tmp")) / f"llama-server-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        cmd = [str(self.binary), "-m", str(self.model_path), "--host", "127.0.0.1", "--port", str(self.port),
               "-c", str(self.ctx), "-np", str(self.slots), "-t", str(self.threads), "--no-webui", "--no-warmup", "--slots"]
        if has_amx():
            cmd.append("--no-repack")  # llama.cpp's AMX path crashes on this CPU (see runtime.LoadOptions)
        if self.api_key:
            cmd += ["--api-key", self.api_key]
        return cmd

    def start(self, timeout: float = 120.0) -> "LlamaServer":
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"llama-server exited with {self.proc.returncode}: {self.log_tail()}")
            if self._healthy():
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"llama-server did not become ready in {timeout:.0f} s: {self.log_tail()}")

    def _healthy(self) -> bool:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            conn.request("GET", "/health")
            resp = conn.getresponse()
            body = resp.read()
            conn.close()
            return resp.status == 200 and json.loads(body or b"{}").get("status") == "ok"
        except (OSError, ValueError, http.client.HTTPException):
            return False

    def log_tail(self, n: int = 2000) -> str:
        try:
            return self.log_path.read_bytes()[-n:].decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self, kill: bool = False) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=15)

    def __enter__(self) -> "LlamaServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

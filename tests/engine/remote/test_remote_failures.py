"""Every way the user's server can fail gives a plain ModelError (exit 3), never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from engine.errors import ModelError
from engine.model import SamplingOptions
from engine.remote import connect

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(Path(__file__).parent))
from remote_server import free_port  # noqa: E402

MESSAGES = [{"role": "user", "content": "Write a long story about a lighthouse keeper."}]


def test_server_down():
    port = free_port()
    with pytest.raises(ModelError, match=rf"not answering: nothing listens on 127.0.0.1 port {port}"):
        connect(f"http://127.0.0.1:{port}")


def test_wrong_url_path(llama_server):
    with pytest.raises(ModelError, match="wrong engine URL.*HTTP 404"):
        connect(llama_server.url + "/not/an/api")


def test_tls_to_a_plain_http_server(llama_server):
    with pytest.raises(ModelError, match=r"secure \(TLS\) (connection|handshake).*https:// server"):
        connect(llama_server.url.replace("http://", "https://"))


def test_tls_certificate_is_checked():
    """A server whose certificate this machine does not trust is refused before anything is sent."""
    import ssl
    import tempfile

    from engine.remote.address import Endpoint
    from engine.remote.http import Client

    if not _has_openssl():
        pytest.skip("openssl command not available to make a self-signed certificate")
    with tempfile.TemporaryDirectory() as d:
        cert, key = Path(d, "c.pem"), Path(d, "k.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                        "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        import socket

        srv = socket.socket()
        srv.bind(("127.0.0.1", 0))
        srv.listen(1)
        port = srv.getsockname()[1]
        got: list[bytes] = []

        def serve():
            conn, _ = srv.accept()
            try:
                with ctx.wrap_socket(conn, server_side=True) as tls:
                    got.append(tls.recv(100))
            except (ssl.SSLError, OSError):
                pass

        t = threading.Thread(target=serve, daemon=True)
        t.start()
        client = Client(Endpoint("https", "localhost", port, ""), api_key="secret")
        with pytest.raises(ModelError, match="TLS certificate check"):
            client.request("GET", "/v1/models")
        t.join(5)
        srv.close()
        assert got == []  # not one byte (and not the key) reached the untrusted server


def _has_openssl() -> bool:
    from shutil import which

    return which("openssl") is not None


def test_wrong_or_missing_api_key(start_server):
    srv = start_server(slots=1, api_key="right-key")
    for key in ("wrong-key", None):
        with pytest.raises(ModelError, match=r"refused the API key \(HTTP 401"):
            connect(srv.url, api_key=key)
    m = connect(srv.url, api_key="right-key")
    assert "".join(m.stream(MESSAGES, max_tokens=4))


@pytest.mark.parametrize("kill", [False, True], ids=["stopped", "killed"])
def test_server_stopped_mid_stream(start_server, kill):
    srv = start_server(slots=1)
    m = connect(srv.url)
    gen = m.stream(MESSAGES, max_tokens=3000, stop=[], sampling=SamplingOptions(temperature=0.8))
    assert next(gen)
    srv.stop(kill=kill)
    t0 = time.perf_counter()
    with pytest.raises(ModelError, match="closed the connection in the middle of the answer"):
        for _ in gen:
            pass
    assert time.perf_counter() - t0 < 5
    with pytest.raises(ModelError, match="not answering"):  # and the next call says it is down
        "".join(m.stream(MESSAGES, max_tokens=3))


def test_context_too_small_is_refused_when_connecting(start_server):
    srv = start_server(slots=2, ctx_per_slot=512)
    with pytest.raises(ModelError, match="takes only 512 tokens per request; Hushwrite needs at least 1024"):
        connect(srv.url)


def _cli(args, text="i has went to the libary.", env_extra=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("HUSHWRITE_ENGINE_URL", None)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "hushwrite", "--no-store", *args], input=text,
                          capture_output=True, text=True, timeout=120, env=env)


def test_cli_server_down_exits_3_with_a_plain_message():
    port = free_port()
    p = _cli(["proofread", "--engine-url", f"http://127.0.0.1:{port}"])
    assert p.returncode == 3, p.stderr
    assert "not answering" in p.stderr and "Traceback" not in p.stderr


def test_cli_refuses_plain_http_to_a_public_address():
    p = _cli(["rewrite"], env_extra={"HUSHWRITE_ENGINE_URL": "http://8.8.8.8:8080"})
    assert p.returncode == 2, p.stderr
    assert "use https://" in p.stderr and "Traceback" not in p.stderr

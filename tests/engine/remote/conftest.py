"""Fixtures for the remote engine: a real llama-server (built by packaging/llama_server) on
127.0.0.1 serving the default model with 4 slots, and a RemoteModel connected to it.

Without a built server these tests skip, except when HUSHWRITE_REQUIRE_LLAMA_SERVER=1
(tests/run sets it after building one), where a missing server is a failure.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from remote_server import LlamaServer, server_binary  # noqa: E402


def _need_server() -> None:
    if server_binary() is None:
        msg = "no llama-server built (run packaging/llama_server)"
        if os.environ.get("HUSHWRITE_REQUIRE_LLAMA_SERVER") == "1":
            pytest.fail(msg)
        pytest.skip(msg)


@pytest.fixture(scope="session")
def llama_server(default_model_path, tmp_path_factory):
    """One llama-server for the session: default model, 4 slots of 4096 tokens each."""
    _need_server()
    srv = LlamaServer(default_model_path, slots=4, log_dir=tmp_path_factory.mktemp("llama-server"))
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture()
def start_server(default_model_path, tmp_path):
    """Start extra servers (own ports) for one test; all are stopped after it."""
    _need_server()
    started = []

    def start(**kw) -> LlamaServer:
        srv = LlamaServer(default_model_path, log_dir=tmp_path, **kw).start()
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.stop(kill=True)


@pytest.fixture()
def remote(llama_server):
    from engine.remote import connect

    m = connect(llama_server.url)
    yield m
    m.close()

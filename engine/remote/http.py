"""The HTTP side of the remote engine: JSON requests and server-sent-event streams over the
standard library (http.client + ssl with the system's certificate checks), with bounded timeouts
and every failure turned into a ModelError in plain words.

`Stream.close()` may be called from any thread: it shuts the socket down, so a reader blocked in
`recv` returns at once (that is how a cancel stops a generation within milliseconds) and the
server sees the connection go and stops decoding for it.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import threading
from typing import Iterator

from ..errors import Cancelled, ModelError
from .address import Endpoint

CONNECT_TIMEOUT = 10.0  # seconds to open the connection (and TLS handshake)
READ_TIMEOUT = 300.0  # longest silence while waiting for a reply or the next streamed token
USER_AGENT = "Hushwrite"
MAX_IDLE = 4  # keep-alive connections kept for short requests


class HTTPStatusError(ModelError):
    """The server answered with an error status (kept with its code and the server's message)."""

    def __init__(self, message: str, status: int, detail: str = "", kind: str = ""):
        super().__init__(message)
        self.status = status
        self.detail = detail
        self.kind = kind


def _server_message(body: bytes) -> tuple[str, str]:
    """The error text and type the server put in its JSON body (OpenAI style or llama-server's)."""
    try:
        data = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        return body.decode("utf-8", "replace").strip()[:300], ""
    err = data.get("error", data) if isinstance(data, dict) else data
    if isinstance(err, dict):
        return str(err.get("message") or err.get("detail") or "")[:300], str(err.get("type") or err.get("code") or "")
    return str(err)[:300], ""


class Client:
    """Requests to one engine server. Thread-safe: each request uses its own connection."""

    def __init__(self, endpoint: Endpoint, api_key: str | None = None,
                 connect_timeout: float = CONNECT_TIMEOUT, read_timeout: float = READ_TIMEOUT):
        self.endpoint = endpoint
        self.api_key = api_key or None
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self._ssl = ssl.create_default_context() if endpoint.scheme == "https" else None
        self._idle: list[http.client.HTTPConnection] = []
        self._pool_lock = threading.Lock()

    # -- connections ----------------------------------------------------------------------------
    def _connect(self) -> http.client.HTTPConnection:
        ep = self.endpoint
        if self._ssl is not None:
            conn = http.client.HTTPSConnection(ep.host, ep.port, timeout=self.connect_timeout, context=self._ssl)
        else:
            conn = http.client.HTTPConnection(ep.host, ep.port, timeout=self.connect_timeout)
        try:
            http.client.HTTPConnection.connect(conn)  # TCP only: its failures and TLS's differ
        except BaseException as exc:
            conn.close()
            raise self._explain(exc, "connect") from None
        if self._ssl is not None:
            try:
                conn.sock = self._ssl.wrap_socket(conn.sock, server_hostname=ep.host)
            except BaseException as exc:
                conn.close()
                if isinstance(exc, (socket.timeout, TimeoutError)):
                    raise ModelError(f"{ep.host} port {ep.port} accepted the connection but did not answer the secure "
                                     f"(TLS) handshake within {self.connect_timeout:.0f} s; is it really an https:// "
                                     "server? (A plain http server does not answer it.)") from None
                raise self._explain(exc, "connect") from None
        conn.sock.settimeout(self.read_timeout)
        return conn

    def _headers(self, body: bool) -> dict[str, str]:
        h = {"User-Agent": USER_AGENT, "Accept": "application/json, text/event-stream"}
        if body:
            h["Content-Type"] = "application/json"
        if self.api_key:
            h["Authorization"] = f"Bearer {self.api_key}"
        return h

    def _explain(self, exc: BaseException, stage: str, path: str = "") -> ModelError:
        ep = self.endpoint
        where = f"the engine server at {ep.url}"
        if isinstance(exc, ModelError):
            return exc
        if isinstance(exc, ssl.SSLCertVerificationError):
            return ModelError(f"{where} failed the TLS certificate check ({exc.verify_message or exc.reason}); "
                              "nothing was sent. Use a certificate your system trusts, or check the host name")
        if isinstance(exc, ssl.SSLError):
            return ModelError(f"a secure (TLS) connection to {where} could not be made ({exc.reason or exc}); "
                              "is it really an https:// server?")
        if isinstance(exc, ConnectionRefusedError):
            return ModelError(f"{where} is not answering: nothing listens on {ep.host} port {ep.port}. "
                              "Is the server running? (Or switch the engine back to this computer.)")
        if isinstance(exc, socket.gaierror):
            return ModelError(f"the engine server's name '{ep.host}' cannot be found; check the URL")
        if isinstance(exc, (socket.timeout, TimeoutError)):
            if stage == "connect":
                return ModelError(f"{where} did not accept a connection within {self.connect_timeout:.0f} s; "
                                  "check the URL and that the machine is on")
            return ModelError(f"{where} sent nothing for {self.read_timeout:.0f} s; it may be overloaded or stuck")
        if isinstance(exc, (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected,
                            http.client.IncompleteRead, ConnectionAbortedError)):
            if stage == "stream":
                return ModelError(f"{where} closed the connection in the middle of the answer (stopped or crashed?); "
                                  "your text was not changed")
            return ModelError(f"{where} closed the connection without answering{f' {path}' if path else ''}; "
                              "is it an OpenAI-compatible server?")
        if isinstance(exc, OSError):
            return ModelError(f"cannot reach {where}: {exc.strerror or exc}")
        if isinstance(exc, http.client.HTTPException):
            return ModelError(f"{where} sent a reply that is not valid HTTP ({type(exc).__name__}); check the URL")
        return ModelError(f"talking to {where} failed: {type(exc).__name__}: {exc}")

    def _status_error(self, status: int, body: bytes, path: str) -> HTTPStatusError:
        detail, kind = _server_message(body)
        url = self.endpoint.url + path
        if status in (401, 403):
            msg = (f"the engine server refused the API key (HTTP {status}"
                   f"{': ' + detail if detail else ''}). Check the key in Settings ▸ Engine or HUSHWRITE_ENGINE_KEY")
        elif status == 404:
            msg = f"wrong engine URL: {url} does not exist on that server (HTTP 404); give the server's base URL"
        elif status == 503:
            msg = f"the engine server is not ready yet (HTTP 503{': ' + detail if detail else ''}); try again in a moment"
        else:
            msg = f"the engine server answered HTTP {status} for {path}{': ' + detail if detail else ''}"
        return HTTPStatusError(msg, status, detail, kind)

    # -- requests ---------------------------------------------------------------------------------
    def request(self, method: str, path: str, payload: dict | None = None) -> dict:
        """One JSON request; the decoded JSON reply. Short requests (tokenize, template) reuse an
        idle keep-alive connection; one the server has closed meanwhile is replaced once."""
        body = json.dumps(payload).encode("utf-8") if payload is not None else None
        for attempt in (0, 1):
            conn, reused = self._take()
            try:
                conn.request(method, self.endpoint.base_path + path, body=body, headers=self._headers(body is not None))
                resp = conn.getresponse()
                data = resp.read()
            except BaseException as exc:
                conn.close()
                stale = isinstance(exc, (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError))
                if reused and stale and attempt == 0:
                    continue  # the server closed an idle connection: try a fresh one
                raise self._explain(exc, "request", path) from None
            if resp.will_close:
                conn.close()
            else:
                self._give_back(conn)
            if resp.status >= 400:
                raise self._status_error(resp.status, data, path)
            try:
                return json.loads(data.decode("utf-8"))
            except ValueError:
                raise ModelError(f"the engine server's reply to {path} is not JSON; is {self.endpoint.url} "
                                 "an OpenAI-compatible server?") from None
        raise AssertionError("unreachable")

    def _take(self) -> tuple[http.client.HTTPConnection, bool]:
        with self._pool_lock:
            if self._idle:
                return self._idle.pop(), True
        return self._connect(), False

    def _give_back(self, conn: http.client.HTTPConnection) -> None:
        with self._pool_lock:
            if len(self._idle) < MAX_IDLE:
                self._idle.append(conn)
                return
        conn.close()

    def close(self) -> None:
        with self._pool_lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def stream(self, path: str, payload: dict, on_socket=None) -> "Stream":
        """POST `payload` and return the open event stream (check `Stream.events()`).
        `on_socket(shutdown)` is called before the request is sent with a function that closes
        the connection from any thread, so a cancel also stops a request still waiting for its
        first byte."""
        conn = self._connect()
        sock = conn.sock

        def shutdown() -> None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        if on_socket is not None:
            on_socket(shutdown)
        body = json.dumps(payload).encode("utf-8")
        try:
            conn.request("POST", self.endpoint.base_path + path, body=body, headers=self._headers(True))
            resp = conn.getresponse()
        except BaseException as exc:
            conn.close()
            raise self._explain(exc, "request", path) from None
        if resp.status >= 400:
            try:
                data = resp.read()
            except BaseException:
                data = b""
            conn.close()
            raise self._status_error(resp.status, data, path)
        return Stream(self, conn, resp, path)


class Stream:
    """An open server-sent-event reply: iterate `events()` for the decoded `data:` objects."""

    def __init__(self, client: Client, conn: http.client.HTTPConnection, resp: http.client.HTTPResponse, path: str):
        self.client = client
        self.conn = conn
        self.resp = resp
        self.path = path
        self._closed = threading.Event()
        self._sock = conn.sock

    def close(self) -> None:
        """Stop reading (any thread): the socket is shut down so a blocked read returns now."""
        if self._closed.is_set():
            return
        self._closed.set()
        sock = self._sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def _finish(self) -> None:
        self._closed.set()
        try:
            self.conn.close()
        except Exception:
            pass

    def events(self) -> Iterator[dict]:
        """Decoded JSON of each `data:` line until `[DONE]` or the end of the reply. Raises
        Cancelled when closed by `close()`, ModelError when the server drops the connection."""
        try:
            while True:
                try:
                    line = self.resp.readline()
                except BaseException as exc:
                    if self._closed.is_set():
                        raise Cancelled("stopped") from None
                    raise self.client._explain(exc, "stream", self.path) from None
                if self._closed.is_set():
                    raise Cancelled("stopped")
                if not line:
                    return  # end of the reply; the caller checks it saw the final event
                line = line.strip()
                if not line.startswith(b"data:"):
                    continue  # comments, event names, keep-alives
                data = line[5:].strip()
                if data == b"[DONE]":
                    return
                try:
                    event = json.loads(data.decode("utf-8"))
                except ValueError:
                    continue
                if isinstance(event, dict) and "error" in event and not event.get("choices"):
                    msg, kind = _server_message(data)
                    raise HTTPStatusError(f"the engine server stopped with an error: {msg}", 500, msg, kind)
                yield event
        finally:
            self._finish()

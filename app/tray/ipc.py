"""`hushwrite quick` → the running tray, over a local socket (QLocalServer: a Unix domain socket
or a named pipe; nothing touches the network). Both ends live here.

    server = QuickCommandServer(parent); server.quick_requested.connect(...); server.listen()
    hand_to_running_tray() -> bool   # True when a running tray took the request
"""

from __future__ import annotations

import os

from ..qt import QLocalServer, QLocalSocket, QObject, Signal

IPC_NAME = f"hushwrite-quick-{os.getuid() if hasattr(os, 'getuid') else os.environ.get('USERNAME', 'user')}"
QUICK = b"quick"
HANDOFF_TIMEOUT_MS = 1500


class QuickCommandServer(QObject):
    """Listens for `quick` from another process and answers `ok`."""

    quick_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._server: QLocalServer | None = None

    def listen(self) -> bool:
        server = QLocalServer(self)
        QLocalServer.removeServer(IPC_NAME)  # a stale socket from a crashed run
        if not server.listen(IPC_NAME):
            return False
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    def _on_connection(self) -> None:
        while self._server is not None and self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            sock.readyRead.connect(lambda s=sock: self._read_command(s))

    def _read_command(self, sock) -> None:
        data = bytes(sock.readAll().data()).strip()
        sock.write(b"ok\n")
        sock.flush()
        sock.disconnectFromServer()
        if data == QUICK:
            self.quick_requested.emit()


def hand_to_running_tray() -> bool:
    """True when a running Hushwrite tray took the request (it has the warm model)."""
    sock = QLocalSocket()
    sock.connectToServer(IPC_NAME)
    if not sock.waitForConnected(300):
        return False
    sock.write(QUICK + b"\n")
    sock.flush()
    answered = sock.waitForReadyRead(HANDOFF_TIMEOUT_MS) and bytes(sock.readAll().data()).startswith(b"ok")
    sock.disconnectFromServer()
    return bool(answered)

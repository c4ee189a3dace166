"""One Huashu per data folder: the first instance listens on a local socket (a named pipe
on Windows); a second launch asks it to open its picker and exits.

Messages are JSON lines with a protocol version, e.g. ``{"v": 1, "cmd": "picker"}``. A
message of another version, an unknown command or a line that is not JSON is refused and
logged; it never stops the listening instance. The socket is only taken over (removed and
listened on again) when no live instance answers on it: a stale socket file left by a
crash, never a running instance's.

QtNetwork is imported when needed: it is not on the start-up path of the command line.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalSocket

    from app.core.fsutil import Paths

log = logging.getLogger(__name__)

PROTOCOL_VERSION = 1
COMMANDS = frozenset({"picker"})
MAX_LINE = 4096  # bytes of one message; a longer line is refused
CONNECT_TIMEOUT_MS = 300
WRITE_TIMEOUT_MS = 300
#: How long a second launch waits for the running instance to take its message (it
#: hangs up once it read the line): a Windows pipe closed too early loses what was in it.
ANSWER_TIMEOUT_MS = 2000


def server_name(paths: Paths) -> str:
    """The socket's name for the data folder of ``paths`` (one instance per folder)."""
    digest = hashlib.sha1(str(paths.home.resolve()).encode("utf-8")).hexdigest()[:12]
    return f"huashu-{digest}"


def encode(cmd: str) -> bytes:
    """One message: a JSON line."""
    return json.dumps({"v": PROTOCOL_VERSION, "cmd": cmd}).encode("utf-8") + b"\n"


def decode(line: bytes) -> str | None:
    """The command of one message, or None (logged) when it is refused."""
    try:
        data = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        log.warning("single instance: refused a message that is not JSON: %r", line[:80])
        return None
    if not isinstance(data, dict) or data.get("v") != PROTOCOL_VERSION:
        version = data.get("v") if isinstance(data, dict) else None
        log.warning("single instance: refused a message of protocol version %r", version)
        return None
    cmd = data.get("cmd")
    if not isinstance(cmd, str) or cmd not in COMMANDS:
        log.warning("single instance: refused unknown command %r", cmd)
        return None
    return cmd


def _connect(name: str) -> QLocalSocket | None:
    """A socket connected to the instance listening on ``name``; None when none is."""
    from PySide6.QtNetwork import QLocalSocket

    sock = QLocalSocket()
    sock.connectToServer(name)
    # Nobody listening (no socket file, a stale one, no pipe) fails at once: do not wait.
    if sock.state() == QLocalSocket.LocalSocketState.UnconnectedState:
        return None
    if not sock.waitForConnected(CONNECT_TIMEOUT_MS):
        sock.abort()
        return None
    return sock


def ask_running_instance(name: str, cmd: str = "picker") -> bool:
    """True when another Huashu listens on ``name`` and was sent ``cmd``."""
    sock = _connect(name)
    if sock is None:
        return False
    sock.write(encode(cmd))
    sock.flush()
    sock.waitForBytesWritten(WRITE_TIMEOUT_MS)
    if not sock.waitForDisconnected(ANSWER_TIMEOUT_MS):
        log.warning("single instance: the running instance did not take %r in time", cmd)
    sock.abort()
    return True


def instance_alive(name: str) -> bool:
    """True when a live instance accepts connections on ``name``."""
    sock = _connect(name)
    if sock is None:
        return False
    sock.abort()
    return True


class SingleInstanceServer(QObject):
    """Listens on ``name``; emits :attr:`command` for each accepted message."""

    command = Signal(str)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtNetwork import QLocalServer

        self.name = name
        self.server = QLocalServer(self)
        self.server.newConnection.connect(self._on_connection)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Listen; take the name over only from a dead instance. False when another live
        instance owns it or the OS refuses (logged): the app then runs without it."""
        from PySide6.QtNetwork import QLocalServer

        # First ask: a Windows pipe name can be listened on twice, a Unix socket cannot.
        if instance_alive(self.name):
            log.warning("single instance: %s belongs to a running instance", self.name)
            return False
        if self.server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)  # a stale socket left by a crash
        if self.server.listen(self.name):
            return True
        log.warning("single-instance server not listening: %s", self.server.errorString())
        return False

    def is_listening(self) -> bool:
        return self.server.isListening()

    def close(self) -> None:
        """Stop listening and drop the open connections (their signals first: nothing
        may call back into a socket Qt is deleting)."""
        for sock in list(self._buffers):
            sock.readyRead.disconnect()
            sock.disconnected.disconnect()
            sock.abort()
            sock.deleteLater()
        self._buffers.clear()
        self.server.close()

    def _on_connection(self) -> None:
        while self.server.hasPendingConnections():
            sock = self.server.nextPendingConnection()
            if sock is None:
                return
            self._buffers[sock] = b""
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(lambda s=sock: self._drop(s))

    def _drop(self, sock: QLocalSocket) -> None:
        self._buffers.pop(sock, None)
        sock.deleteLater()

    def _read(self, sock: QLocalSocket) -> None:
        """One message per connection: the first line is taken (or refused), then the
        connection is closed, which tells the sender it was read."""
        data = self._buffers.get(sock, b"") + bytes(sock.readAll().data())
        line, newline, _rest = data.partition(b"\n")
        if not newline and len(data) <= MAX_LINE:
            if sock in self._buffers:
                self._buffers[sock] = data  # the rest of the line is on its way
            return
        if len(line) > MAX_LINE:
            log.warning("single instance: refused a message longer than %d bytes", MAX_LINE)
        else:
            cmd = decode(line.strip())
            if cmd is not None:
                self.command.emit(cmd)
        self._buffers.pop(sock, None)
        sock.disconnectFromServer()

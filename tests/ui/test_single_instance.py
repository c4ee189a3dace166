"""The single-instance IPC: versioned JSON lines, refusals logged, and the socket taken
over only from a dead instance."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket
from pytestqt.qtbot import QtBot

from app.core.fsutil import Paths
from app.ui import single_instance as si


def _name() -> str:
    return f"huashu-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def test_encode_is_one_versioned_json_line() -> None:
    raw = si.encode("picker")
    assert raw.endswith(b"\n") and raw.count(b"\n") == 1
    assert json.loads(raw) == {"v": 1, "cmd": "picker"}
    assert si.decode(raw.strip()) == "picker"


@pytest.mark.parametrize(
    ("line", "why"),
    [
        (b"picker", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b'{"v": 2, "cmd": "picker"}', "version 2"),
        (b'{"cmd": "picker"}', "version None"),
        (b'["picker"]', "version None"),
        (b'{"v": 1, "cmd": "quit"}', "unknown command 'quit'"),
        (b'{"v": 1, "cmd": 7}', "unknown command 7"),
        (b'{"v": 1}', "unknown command None"),
    ],
)
def test_decode_refuses_and_logs(line: bytes, why: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="app.ui.single_instance"):
        assert si.decode(line) is None
    assert why in caplog.text


def test_server_name_depends_on_the_folder(tmp_path: Path) -> None:
    a = si.server_name(Paths(tmp_path / "a"))
    assert a == si.server_name(Paths(tmp_path / "a"))
    assert a != si.server_name(Paths(tmp_path / "b"))
    assert a.startswith("huashu-") and len(a) == len("huashu-") + 12


def test_nobody_listening_is_answered_without_waiting(qtbot: QtBot) -> None:
    name = _name()
    assert si.ask_running_instance(name) is False
    assert si.instance_alive(name) is False


def _ask_from_another_process(name: str, cmd: str = "picker") -> subprocess.Popen[str]:
    """A second launch: ask_running_instance in a process of its own (the server's event
    loop must run meanwhile, as it does in the running app)."""
    code = (
        "import sys\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from app.ui.single_instance import ask_running_instance\n"
        "app = QCoreApplication([])\n"
        "print(ask_running_instance(sys.argv[1], sys.argv[2]))\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code, name, cmd], stdout=subprocess.PIPE, text=True
    )


def _answer(qtbot: QtBot, proc: subprocess.Popen[str]) -> str:
    """What the second launch printed, once it ended (the event loop runs meanwhile)."""
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=30_000)
    out, _ = proc.communicate()
    assert proc.returncode == 0
    return out.strip()


def test_a_second_launch_opens_the_picker(qtbot: QtBot) -> None:
    server = si.SingleInstanceServer(_name())
    assert server.listen() and server.is_listening()
    try:
        with qtbot.waitSignal(server.command, timeout=30_000) as got:
            proc = _ask_from_another_process(server.name)
        assert _answer(qtbot, proc) == "True"
        assert got.args == ["picker"]
    finally:
        server.close()


def test_the_sender_waits_for_the_instance_to_take_the_message(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from PySide6.QtNetwork import QLocalServer

    mute = QLocalServer()  # accepts connections, never reads nor hangs up
    assert mute.listen(_name())
    monkeypatch.setattr(si, "ANSWER_TIMEOUT_MS", 200)
    try:
        with caplog.at_level(logging.WARNING, logger="app.ui.single_instance"):
            assert si.ask_running_instance(mute.serverName()) is True
        assert "did not take 'picker' in time" in caplog.text
    finally:
        mute.close()


def _send(name: str, data: bytes) -> QLocalSocket:
    sock = QLocalSocket()
    sock.connectToServer(name)
    assert sock.waitForConnected(2000)
    sock.write(data)
    sock.flush()
    sock.waitForBytesWritten(2000)
    return sock


def test_bad_messages_are_refused_and_the_server_keeps_working(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    server = si.SingleInstanceServer(_name())
    assert server.listen()
    seen: list[str] = []
    server.command.connect(seen.append)
    socks: list[QLocalSocket] = []
    try:
        with caplog.at_level(logging.WARNING, logger="app.ui.single_instance"):
            for bad, why in [
                (b'{"v": 9, "cmd": "picker"}\n', "version 9"),
                (b"nonsense\n", "not JSON"),
                (b"x" * (si.MAX_LINE + 10) + b"\n", "longer than"),
                (b"y" * (si.MAX_LINE + 10), "longer than"),  # no end of line in sight
            ]:
                caplog.clear()
                socks.append(_send(server.name, bad))
                qtbot.waitUntil(lambda why=why: why in caplog.text)
                # refused: the connection is closed
                sock = socks[-1]
                qtbot.waitUntil(
                    lambda s=sock: s.state() == QLocalSocket.LocalSocketState.UnconnectedState
                )
            assert seen == []
            # a message split over two writes is put together; a second one is ignored
            sock = _send(server.name, b'{"v": 1, ')
            socks.append(sock)
            sock.write(b'"cmd": "picker"}\n{"v": 1, "cmd": "picker"}\n')
            sock.flush()
            qtbot.waitUntil(lambda: seen == ["picker"])
            qtbot.waitUntil(lambda: sock.state() == QLocalSocket.LocalSocketState.UnconnectedState)
        assert seen == ["picker"]
    finally:
        for s in socks:
            s.abort()
        server.close()


def test_a_live_instance_keeps_its_socket(qtbot: QtBot) -> None:
    first = si.SingleInstanceServer(_name())
    assert first.listen()
    second = si.SingleInstanceServer(first.name)
    try:
        assert second.listen() is False
        assert first.is_listening() and not second.is_listening()
        with qtbot.waitSignal(first.command, timeout=30_000):
            proc = _ask_from_another_process(first.name)
        assert _answer(qtbot, proc) == "True"
    finally:
        second.close()
        first.close()


@pytest.mark.linux_only("a stale socket file is a Unix thing; Windows pipes vanish")
def test_a_stale_socket_is_taken_over(qtbot: QtBot, tmp_path: Path) -> None:
    import socket

    name = str(tmp_path / "huashu-stale")
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(name)  # a socket file nobody listens on, as a crashed instance leaves
    stale.close()
    assert os.path.exists(name) and not si.instance_alive(name)
    server = si.SingleInstanceServer(name)
    try:
        assert server.listen() is True
        with qtbot.waitSignal(server.command, timeout=30_000):
            proc = _ask_from_another_process(name)
        assert _answer(qtbot, proc) == "True"
    finally:
        server.close()


def _padded(size: int) -> bytes:
    """A valid message exactly ``size`` bytes long (without its end of line)."""
    base = b'{"v": 1, "cmd": "picker", "pad": ""}'
    line = base[:-2] + b"x" * (size - len(base)) + base[-2:]
    assert len(line) == size
    return line


@pytest.mark.parametrize(("size", "taken"), [(si.MAX_LINE, True), (si.MAX_LINE + 1, False)])
def test_the_longest_message(qtbot: QtBot, size: int, taken: bool) -> None:
    server = si.SingleInstanceServer(_name())
    assert server.listen()
    seen: list[str] = []
    server.command.connect(seen.append)
    try:
        sock = _send(server.name, _padded(size) + b"\n")
        qtbot.waitUntil(lambda: sock.state() == QLocalSocket.LocalSocketState.UnconnectedState)
        assert seen == (["picker"] if taken else [])
        sock.abort()
    finally:
        server.close()

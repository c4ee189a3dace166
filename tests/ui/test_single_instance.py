"""The single-instance IPC: versioned JSON lines, refusals logged, and the socket taken
over only from a dead instance."""

from __future__ import annotations

import json
import logging
import os
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


def test_a_second_launch_opens_the_picker(qtbot: QtBot) -> None:
    server = si.SingleInstanceServer(_name())
    assert server.listen() and server.is_listening()
    try:
        with qtbot.waitSignal(server.command, timeout=5000) as got:
            assert si.ask_running_instance(server.name) is True
        assert got.args == ["picker"]
    finally:
        server.close()


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
    try:
        with caplog.at_level(logging.WARNING, logger="app.ui.single_instance"):
            sock = _send(server.name, b'{"v": 9, "cmd": "picker"}\nnonsense\n\n')
            qtbot.waitUntil(lambda: "nonsense" in caplog.text)
            assert seen == []
            # a message split over two writes is put together
            sock.write(b'{"v": 1, ')
            sock.flush()
            sock.write(b'"cmd": "picker"}\n')
            sock.flush()
            qtbot.waitUntil(lambda: seen == ["picker"])
            sock.write(b"x" * (si.MAX_LINE + 10) + b"\n")
            sock.flush()
            qtbot.waitUntil(lambda: "longer than" in caplog.text)
        assert "version 9" in caplog.text
        assert seen == ["picker"]
        sock.abort()
    finally:
        server.close()


def test_a_live_instance_keeps_its_socket(qtbot: QtBot) -> None:
    first = si.SingleInstanceServer(_name())
    assert first.listen()
    second = si.SingleInstanceServer(first.name)
    try:
        assert second.listen() is False
        assert first.is_listening() and not second.is_listening()
        with qtbot.waitSignal(first.command, timeout=5000):
            assert si.ask_running_instance(first.name)
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
        with qtbot.waitSignal(server.command, timeout=5000):
            assert si.ask_running_instance(name)
    finally:
        server.close()

"""Clipboard backends: Qt (offscreen, in-process clipboard) and pyperclip (stub module)."""

from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData
from PySide6.QtGui import QColor, QImage

from app.platform import clipboard as clipboard_module
from app.platform.clipboard import (
    ClipboardError,
    ClipboardSnapshot,
    PyperclipClipboard,
    QtClipboard,
    make_clipboard,
)


def _png(color: str = "red") -> bytes:
    image = QImage(4, 3, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    return bytes(data.data())


@pytest.fixture
def qt_clipboard(qapp: Any) -> QtClipboard:
    qapp.clipboard().clear()
    return QtClipboard()


def test_qt_text_round_trip(qt_clipboard: QtClipboard, qapp: Any) -> None:
    qt_clipboard.set_text("亲，您好！\n第二行")
    assert qt_clipboard.get_text() == "亲，您好！\n第二行"
    assert qapp.clipboard().text() == "亲，您好！\n第二行"


def test_qt_snapshot_keeps_html_text_and_image(qt_clipboard: QtClipboard, qapp: Any) -> None:
    mime = QMimeData()
    mime.setText("纯文本")
    mime.setHtml("<b>粗体</b>")
    mime.setImageData(QImage.fromData(_png("blue")))
    mime.setData("application/x-huashu-test", QByteArray(b"\x00\x01raw"))
    qapp.clipboard().setMimeData(mime)

    snapshot = qt_clipboard.snapshot()
    assert snapshot.text == "纯文本"
    assert snapshot.formats["text/html"].decode() == "<b>粗体</b>"
    assert snapshot.formats["application/x-huashu-test"] == b"\x00\x01raw"
    assert QImage.fromData(snapshot.formats["image/png"]).pixelColor(0, 0) == QColor("blue")
    assert "application/x-qt-image" not in snapshot.formats

    qt_clipboard.set_text("临时")
    assert qapp.clipboard().mimeData().html() == ""
    qt_clipboard.restore(snapshot)

    restored = qapp.clipboard().mimeData()
    assert restored.text() == "纯文本"
    assert restored.html() == "<b>粗体</b>"
    assert bytes(restored.data("application/x-huashu-test").data()) == b"\x00\x01raw"
    assert restored.hasImage()
    assert qapp.clipboard().image().pixelColor(1, 1) == QColor("blue")


def test_qt_empty_clipboard_is_restored_empty(qt_clipboard: QtClipboard, qapp: Any) -> None:
    snapshot = qt_clipboard.snapshot()
    assert snapshot.is_empty
    qt_clipboard.set_text("临时")
    qt_clipboard.restore(snapshot)
    assert qapp.clipboard().text() == ""


def test_qt_change_tracking(qt_clipboard: QtClipboard, qapp: Any) -> None:
    qt_clipboard.set_text("ours")
    token = qt_clipboard.change_token()
    assert not qt_clipboard.changed_since(token)
    qt_clipboard.set_text("ours again")  # our own changes never count
    qt_clipboard.restore(ClipboardSnapshot({}, ""))
    assert not qt_clipboard.changed_since(token)
    qapp.clipboard().setText("the user copied this")  # someone else
    assert qt_clipboard.changed_since(token)
    later = qt_clipboard.change_token()
    assert not qt_clipboard.changed_since(later)


def test_qt_needs_a_gui_application(monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QGuiApplication

    monkeypatch.setattr(QGuiApplication, "instance", staticmethod(lambda: None))
    with pytest.raises(ClipboardError, match="QGuiApplication"):
        QtClipboard()


# -- pyperclip ---------------------------------------------------------------------------


class FakePyperclipException(Exception):
    pass


def _pyperclip_stub(initial: str = "") -> Any:
    store = {"text": initial, "fail": False}

    def paste() -> str:
        if store["fail"]:
            raise FakePyperclipException("could not find a copy/paste mechanism")
        return str(store["text"])

    def copy(text: str) -> None:
        if store["fail"]:
            raise FakePyperclipException("could not find a copy/paste mechanism")
        store["text"] = text

    return SimpleNamespace(
        paste=paste, copy=copy, PyperclipException=FakePyperclipException, store=store
    )


def test_pyperclip_text_snapshot_restore() -> None:
    stub = _pyperclip_stub("旧内容")
    board = PyperclipClipboard(stub)
    snapshot = board.snapshot()
    assert snapshot.text == "旧内容" and snapshot.formats == {"text/plain": "旧内容".encode()}
    board.set_text("新内容")
    assert board.get_text() == "新内容"
    board.restore(snapshot)
    assert stub.store["text"] == "旧内容"


def test_pyperclip_change_tracking() -> None:
    stub = _pyperclip_stub()
    board = PyperclipClipboard(stub)
    board.set_text("ours")
    token = board.change_token()
    assert not board.changed_since(token)
    stub.store["text"] = "copied elsewhere"
    assert board.changed_since(token)
    assert board.changed_since(12345)  # unknown token: assume changed


def test_pyperclip_errors_become_clipboard_errors() -> None:
    stub = _pyperclip_stub()
    stub.store["fail"] = True
    board = PyperclipClipboard(stub)
    with pytest.raises(ClipboardError, match="cannot read"):
        board.get_text()
    with pytest.raises(ClipboardError, match="cannot write"):
        board.set_text("x")


# -- factory -----------------------------------------------------------------------------


def test_make_clipboard_auto_prefers_qt(qapp: Any, caplog: Any) -> None:
    caplog.set_level("INFO")
    board, reason = make_clipboard("auto")
    assert isinstance(board, QtClipboard) and "Qt" in reason
    assert "clipboard backend: qt" in caplog.text


def test_make_clipboard_auto_without_qt_uses_pyperclip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clipboard_module, "_qt_gui_running", lambda: False)
    monkeypatch.setattr(clipboard_module, "pyperclip_problem", lambda: None)
    board, reason = make_clipboard("auto")
    assert isinstance(board, PyperclipClipboard)
    assert "no Qt GUI application" in reason and "text only" in reason


def test_make_clipboard_explicit_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clipboard_module, "_qt_gui_running", lambda: False)
    monkeypatch.setattr(clipboard_module, "pyperclip_problem", lambda: "xclip not found")
    with pytest.raises(ClipboardError, match="QGuiApplication"):
        make_clipboard("qt")
    with pytest.raises(ClipboardError, match="xclip not found"):
        make_clipboard("pyperclip")
    with pytest.raises(ClipboardError, match="xclip not found"):
        make_clipboard("auto")
    with pytest.raises(ClipboardError, match="unknown clipboard backend 'win32'"):
        make_clipboard("win32")


def test_pyperclip_problem_explains(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyperclip

    def broken() -> str:
        raise pyperclip.PyperclipException("could not find a copy/paste mechanism")

    monkeypatch.setattr(pyperclip, "determine_clipboard", lambda: (print, broken))
    problem = clipboard_module.pyperclip_problem()
    assert problem is not None
    assert problem.startswith("pyperclip cannot reach the clipboard")
    assert problem.endswith(": could not find a copy/paste mechanism")
    # the Linux hint names the packages; elsewhere it would only mislead
    assert ("xclip or xsel" in problem) is sys.platform.startswith("linux")
    monkeypatch.setattr(pyperclip, "determine_clipboard", lambda: (print, lambda: ""))
    assert clipboard_module.pyperclip_problem() is None


def test_pyperclip_backend_decides_for_the_current_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pyperclip

    store = {"text": "环境"}
    monkeypatch.setattr(
        pyperclip,
        "determine_clipboard",
        lambda: (lambda text: store.update(text=text), lambda: store["text"]),
    )
    board = PyperclipClipboard()
    assert board.get_text() == "环境"
    board.set_text("新")
    assert store["text"] == "新"


@pytest.mark.e2e
@pytest.mark.linux_only("X server (Xvfb, xclip)")
def test_pyperclip_on_a_real_x_server(x11_env: str, xtools: Any) -> None:
    board = PyperclipClipboard()
    xtools.clip_set("别的程序复制的".encode())
    snapshot = board.snapshot()
    assert snapshot.text == "别的程序复制的"
    board.set_text("话术内容")
    assert xtools.clip_get().decode() == "话术内容"
    token = board.change_token()
    assert not board.changed_since(token)
    xtools.clip_set("用户又复制了".encode())
    assert board.changed_since(token)
    board.restore(snapshot)
    assert xtools.clip_get().decode() == "别的程序复制的"

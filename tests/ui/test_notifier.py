"""The notifier: always logs, shows once per few seconds, falls back to message boxes."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.ui.icons import app_icon
from app.ui.notifier import Notifier
from app.ui.tray import TrayController

from .conftest import delete_widget, dispose_tray

# Message boxes on the offscreen platform make Qt warn that it cannot propagate size hints.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Balloons:
    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.threads: list[QThread] = []

    def __call__(self, title: str, text: str, level: str) -> None:
        self.shown.append((title, text, level))
        self.threads.append(QThread.currentThread())


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def balloons() -> Balloons:
    return Balloons()


@pytest.fixture
def notifier(qapp: object, clock: Clock, balloons: Balloons) -> Notifier:
    return Notifier(show_message=balloons, clock=clock, dedup_seconds=5.0)


def test_each_level_is_logged_and_shown(
    notifier: Notifier, balloons: Balloons, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="app.ui.notifier")
    notifier.info("已复制")
    notifier.warning("热键冲突: ctrl+alt+1")
    notifier.error("粘贴失败", details="Traceback: boom")
    assert balloons.shown == [
        ("Huashu", "已复制", "info"),
        ("Huashu", "热键冲突: ctrl+alt+1", "warning"),
        ("Huashu", "粘贴失败", "error"),
    ]
    records = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "app.ui.notifier"]
    assert records == [
        (logging.INFO, "已复制"),
        (logging.WARNING, "热键冲突: ctrl+alt+1"),
        (logging.ERROR, "粘贴失败\nTraceback: boom"),
    ]


def test_the_same_message_is_shown_once_within_the_window(
    notifier: Notifier, balloons: Balloons, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app.ui.notifier")
    notifier.error("剪贴板不可用")
    clock.now += 1
    notifier.error("剪贴板不可用")
    clock.now += 3.9
    notifier.error("剪贴板不可用")
    assert len(balloons.shown) == 1
    # every occurrence is still in the log
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 3
    clock.now += 5.0  # 5.0 s after the last *shown* one
    notifier.error("剪贴板不可用")
    assert len(balloons.shown) == 2


def test_different_text_or_level_is_not_a_duplicate(notifier: Notifier, balloons: Balloons) -> None:
    notifier.warning("A")
    notifier.error("A")
    notifier.warning("B")
    assert [(t, lvl) for _, t, lvl in balloons.shown] == [
        ("A", "warning"),
        ("A", "error"),
        ("B", "warning"),
    ]


def test_without_a_tray_errors_open_a_non_modal_box(qtbot: QtBot, clock: Clock) -> None:
    notifier = Notifier(clock=clock)
    notifier.info("only logged")
    assert notifier.open_boxes() == []
    with qtbot.waitSignal(notifier.shown, timeout=1000) as blocker:
        notifier.error("热键注册失败", details="XGrabKey: BadAccess")
    assert blocker.args == ["error", "热键注册失败"]
    (box,) = notifier.open_boxes()
    assert box.isVisible()
    assert not box.isModal()
    assert box.text() == "热键注册失败"
    assert box.detailedText() == "XGrabKey: BadAccess"
    assert box.icon() == QMessageBox.Icon.Critical
    notifier.error("热键注册失败")  # duplicate: no second box
    assert len(notifier.open_boxes()) == 1
    box.accept()
    assert notifier.open_boxes() == []


def test_warning_without_tray_uses_a_warning_box(clock: Clock) -> None:
    notifier = Notifier(clock=clock)
    notifier.warning("没有系统托盘")
    (box,) = notifier.open_boxes()
    assert box.icon() == QMessageBox.Icon.Warning
    box.close()


def test_unavailable_tray_controller_falls_back_to_a_box(clock: Clock) -> None:
    tray = TrayController(app_icon())
    assert not tray.available()  # offscreen
    notifier = Notifier(tray, clock=clock)
    notifier.error("失败")
    assert len(notifier.open_boxes()) == 1
    delete_widget(notifier.open_boxes()[0])
    dispose_tray(tray)


def test_calls_from_another_thread_are_shown_on_the_gui_thread(
    qtbot: QtBot, notifier: Notifier, balloons: Balloons
) -> None:
    with qtbot.waitSignal(notifier.shown, timeout=2000):
        worker = threading.Thread(target=notifier.error, args=("from a hotkey thread",))
        worker.start()
        worker.join()
    assert balloons.shown == [("Huashu", "from a hotkey thread", "error")]
    app = QApplication.instance()
    assert app is not None
    assert balloons.threads == [app.thread()]


def test_a_failing_balloon_falls_back_to_a_box(clock: Clock) -> None:
    def broken(title: str, text: str, level: str) -> None:
        raise RuntimeError("dbus gone")

    notifier = Notifier(show_message=broken, clock=clock)
    notifier.error("失败")
    assert len(notifier.open_boxes()) == 1
    notifier.open_boxes()[0].close()

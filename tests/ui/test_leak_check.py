"""The leak check of tests/ui/conftest.py finds what it should (and can fail a test)."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from .conftest import TimerLog, _address, delete_widget, flush_deletions, leaked_widgets


def test_a_new_window_is_a_leak_until_deleted(qapp: QApplication) -> None:
    before = {_address(w) for w in QApplication.topLevelWidgets()}
    widget = QWidget()
    widget.setObjectName("left-over")
    child = QWidget(widget)  # not a window: only the window is reported
    assert leaked_widgets(before) == ["QWidget 'left-over'"]
    assert leaked_widgets(before | {_address(widget)}) == []  # it was there before
    delete_widget(widget)
    assert not shiboken6.isValid(child)
    assert leaked_widgets(before) == []
    delete_widget(widget)  # twice is harmless
    delete_widget(None)


def test_started_timers_count_while_active(qapp: QApplication) -> None:
    log = TimerLog()
    owner = QObject()
    timer = QTimer(owner)
    log.record_start(timer)
    log.record_start(timer)  # once only
    assert log.active() == []  # not running
    QTimer.start(timer, 60_000)
    assert log.active() == ["QTimer of QObject (interval 60000 ms)"]
    timer.stop()
    assert log.active() == []
    QTimer.start(timer, 60_000)
    shiboken6.delete(owner)  # its timers go with it
    assert log.active() == []
    lone = QTimer()
    lone.setObjectName("poll")
    log.record_start(lone)
    QTimer.start(lone, 5)
    assert log.active() == ["poll of no parent (interval 5 ms)"]
    lone.stop()


def test_allowed_timers_are_not_reported(qapp: QApplication, monkeypatch: object) -> None:
    from . import conftest

    log = TimerLog()
    timer = QTimer()
    timer.setObjectName("kept")
    log.record_start(timer)
    QTimer.start(timer, 60_000)
    monkeypatch.setitem(conftest.ALLOWED_TIMERS, "kept", "a test")  # type: ignore[attr-defined]
    assert log.active() == []
    timer.stop()


def test_single_shots_count_until_they_fire(qapp: QApplication) -> None:
    log = TimerLog()
    ran: list[int] = []

    def job() -> int:
        ran.append(1)
        return 7

    args = log.wrap_single_shot((100, job))
    assert args[0] == 100 and args[1] is not job
    assert log.active() == [
        "singleShot(100 ms, 'test_single_shots_count_until_they_fire.<locals>.job')"
    ]
    assert args[1]() == 7 and ran == [1]
    assert log.active() == []
    # with a receiver, Qt drops the call when the receiver dies: so does the log
    receiver = QObject()
    log.wrap_single_shot((50, receiver, job))
    other = log.wrap_single_shot((50, job))
    assert len(log.active()) == 2
    shiboken6.delete(receiver)
    assert len(log.active()) == 1
    other[1]()
    assert log.active() == []
    # a QObject's bound method is tied to that object, as Qt does
    timer = QTimer()
    tied = log.wrap_single_shot((10, timer.stop))
    assert tied[:2] == (10, timer) and len(tied) == 3 and len(log.active()) == 1
    shiboken6.delete(timer)
    assert log.active() == []
    # what cannot be wrapped goes through unchanged
    assert log.wrap_single_shot(()) == ()
    assert log.wrap_single_shot((0, receiver, "1slot()")) == (0, receiver, "1slot()")
    target = QObject()
    assert log.wrap_single_shot((0, target)) == (0, target)
    assert log.active() == []


def test_the_fixture_watches_python_timers(no_dangling_qt: TimerLog) -> None:
    timer = QTimer()
    timer.start(60_000)
    assert no_dangling_qt.active() == ["QTimer of no parent (interval 60000 ms)"]
    timer.stop()
    fired: list[bool] = []
    QTimer.singleShot(0, lambda: fired.append(True))
    assert len(no_dangling_qt.active()) == 1
    flush_deletions()  # runs posted events: the single shot fires
    assert fired == [True] and no_dangling_qt.active() == []

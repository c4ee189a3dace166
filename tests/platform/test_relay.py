"""The relay: worker threads call back into the GUI thread without holding Qt objects."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QThread
from pytestqt.qtbot import QtBot

from app.platform import relay
from app.platform.relay import Relay


def _in_thread(fn: Any) -> None:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            fn()
        except BaseException as exc:
            errors.append(exc)

    t = threading.Thread(target=run)
    t.start()
    t.join(10)
    assert not t.is_alive()
    assert errors == []


def test_a_post_from_a_worker_runs_the_callback_on_the_gui_thread(qtbot: QtBot) -> None:
    threads: list[QThread] = []
    ticket = relay.register(lambda: threads.append(QThread.currentThread()))
    _in_thread(ticket.post)
    assert threads == []  # queued, not called on the worker
    qtbot.waitUntil(lambda: len(threads) == 1)
    assert threads[0] == relay.relay().thread()
    _in_thread(ticket.post)
    _in_thread(ticket.post)
    qtbot.waitUntil(lambda: len(threads) == 3)  # one call per post
    ticket.cancel()


def test_a_cancelled_ticket_drops_posts_even_those_already_queued(qtbot: QtBot) -> None:
    calls: list[int] = []
    ticket = relay.register(lambda: calls.append(1))
    other = relay.register(lambda: calls.append(2))
    assert ticket.live and other.live
    _in_thread(ticket.post)  # queued before the cancel
    ticket.cancel()
    assert not ticket.live and other.live
    _in_thread(ticket.post)
    _in_thread(other.post)
    qtbot.waitUntil(lambda: calls == [2])
    qtbot.wait(50)
    assert calls == [2]
    other.cancel()


def test_cancelling_lets_go_of_the_callback(qtbot: QtBot) -> None:
    class Owner:
        def called(self) -> None:
            pass

    owner = Owner()
    gone = weakref.ref(owner)
    r = relay.relay()
    before = r.registered()
    ticket = r.register(owner.called)
    assert r.registered() == before + 1
    del owner
    gc.collect()
    assert gone() is not None  # the relay holds the callback while the ticket is live
    ticket.cancel()
    ticket.cancel()  # twice is harmless
    assert r.registered() == before
    gc.collect()
    assert gone() is None


def test_posting_after_the_relay_is_gone_does_nothing(qtbot: QtBot) -> None:
    mine = Relay()
    calls: list[int] = []
    ticket = mine.register(lambda: calls.append(1))
    shiboken6.delete(mine)
    _in_thread(ticket.post)  # no exception in the worker
    assert not ticket.live
    ticket.cancel()
    qtbot.wait(20)
    assert calls == []


def test_the_relay_is_one_per_application_and_made_on_the_gui_thread(qtbot: QtBot) -> None:
    r = relay.relay()
    assert relay.relay() is r
    assert r.parent() == QCoreApplication.instance()  # it dies with the application
    errors: list[str] = []

    def from_worker() -> None:
        try:
            relay.relay()
        except RuntimeError as exc:
            errors.append(str(exc))

    _in_thread(from_worker)
    assert errors == ["the relay is made and registered on the GUI thread"]


def test_no_relay_without_an_application(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(relay.QCoreApplication, "instance", staticmethod(lambda: None))
    with pytest.raises(RuntimeError, match="needs a QApplication"):
        relay.relay()


def test_a_worker_never_keeps_a_qobject_alive(qtbot: QtBot) -> None:
    """What the relay is for: the GUI thread lets go of an object while a worker still
    runs; the object dies at once, on the GUI thread, and the worker's post is dropped."""

    class Watcher(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.calls = 0
            self.ticket = relay.register(self.called)

        def called(self) -> None:
            self.calls += 1

    w = Watcher()
    gate = threading.Event()
    post = w.ticket.post
    errors: list[BaseException] = []

    def work() -> None:
        try:
            gate.wait(10)
            post()
        except BaseException as exc:
            errors.append(exc)

    t = threading.Thread(target=work)
    t.start()
    gone = weakref.ref(w)
    w.ticket.cancel()
    del w
    gc.collect()
    assert gone() is None  # destroyed here, on the GUI thread
    gate.set()
    t.join(10)
    assert errors == []
    qtbot.wait(20)

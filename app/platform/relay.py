"""Calls from worker threads to the GUI thread, without a worker holding a Qt object.

A worker thread that emits a signal of one of the app's QObjects holds a reference to that
object through the bound signal. Two things then go wrong, rarely but fatally:

- When the worker drops the last reference (the GUI side let go of the object meanwhile),
  Python destroys the QObject on the worker thread. Its timers and pending events are torn
  down from a thread that does not own them, which Qt forbids; the GUI thread later runs
  into freed memory.
- A worker emitting while the GUI thread deletes the object races with the deletion.

So workers get a :class:`Ticket` instead: a plain object holding the process's one relay
(owned by the QApplication, so it lives and dies on the GUI thread) and a number. The GUI
thread registers a callback, and ``ticket.post()`` from any thread queues one call of it on
the GUI thread. A cancelled ticket's calls are dropped; cancelling (on the GUI thread)
also drops the relay's reference to the callback.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal

log = logging.getLogger(__name__)


class Relay(QObject):
    """Runs registered callbacks on the GUI thread when their tickets are posted."""

    _posted = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._callbacks: dict[int, Callable[[], object]] = {}
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)
        self._posted.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def register(self, callback: Callable[[], object]) -> Ticket:
        """A ticket whose ``post()`` calls ``callback`` on this relay's thread."""
        number = next(self._numbers)
        with self._lock:
            self._callbacks[number] = callback
        return Ticket(self, number)

    def registered(self) -> int:
        """How many tickets are live (not cancelled)."""
        with self._lock:
            return len(self._callbacks)

    def _cancel(self, number: int) -> None:
        with self._lock:
            self._callbacks.pop(number, None)

    def _post(self, number: int) -> None:
        self._posted.emit(number)

    def _deliver(self, number: int) -> None:
        with self._lock:
            callback = self._callbacks.get(number)
        if callback is not None:
            callback()


class Ticket:
    """What a worker thread holds to call back into the GUI (no Qt object of the app)."""

    __slots__ = ("_number", "_relay")

    def __init__(self, relay: Relay, number: int) -> None:
        self._relay = relay
        self._number = number

    def post(self) -> None:
        """Queue a call of the callback on the GUI thread; from any thread, never blocks."""
        try:
            self._relay._post(self._number)
        except RuntimeError:  # the QApplication (and the relay with it) is gone: quitting
            log.debug("a call to the GUI thread was dropped: the application is gone")

    def cancel(self) -> None:
        """Drop the callback: later posts (and calls already queued) do nothing."""
        if shiboken6.isValid(self._relay):
            self._relay._cancel(self._number)

    @property
    def live(self) -> bool:
        if not shiboken6.isValid(self._relay):
            return False
        with self._relay._lock:
            return self._number in self._relay._callbacks


_relay: Relay | None = None


def relay() -> Relay:
    """The process's relay, a child of the QApplication (made on first use, on its thread)."""
    global _relay
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("the relay needs a QApplication")
    if QThread.currentThread() != app.thread():
        raise RuntimeError("the relay is made and registered on the GUI thread")
    if _relay is None or not shiboken6.isValid(_relay):  # first use, or a new QApplication
        _relay = Relay(app)
    return _relay


def register(callback: Callable[[], object]) -> Ticket:
    """A ticket for ``callback`` on the process's relay (call this on the GUI thread)."""
    return relay().register(callback)

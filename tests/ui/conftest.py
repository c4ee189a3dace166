"""Qt tests fail when they leave windows or running timers behind (as napari's do).

A window that outlives its test still receives application-wide events (a language change,
a screen change) during later tests, and a timer still running fires into objects whose
workspace is closed. Both showed up as failures in unrelated tests and as a crash when the
interpreter tore down Qt objects after the QApplication. So after every test under
``tests/ui``:

- every top-level widget (window, dialog, menu) created during the test must be gone,
  once pytest-qt has closed the widgets given to ``qtbot.addWidget`` and the deferred
  deletions have run;
- every ``QTimer`` started from Python during the test must be stopped or deleted, and
  every ``QTimer.singleShot`` must have fired or lost its receiver.

A test that failed already is not checked again (its leaks follow from the failure).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

#: Top-level widgets that may outlive a test, by class name, and why.
ALLOWED_WIDGETS: dict[str, str] = {}

#: Timers that may still run after a test, by object name, and why.
ALLOWED_TIMERS: dict[str, str] = {}


def _address(obj: QObject) -> int:
    return int(shiboken6.getCppPointer(obj)[0])


def flush_deletions() -> None:
    """Run pending events and deferred deletions (``deleteLater``) until none is left."""
    for _ in range(3):
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()


class TimerLog:
    """Records the timers started from Python and the single shots still pending."""

    def __init__(self) -> None:
        self.started: list[tuple[QTimer, str]] = []
        self.pending: dict[int, str] = {}
        self._next = 0

    def record_start(self, timer: QTimer) -> None:
        if all(t is not timer for t, _ in self.started):
            self.started.append((timer, _describe(timer)))

    def wrap_single_shot(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        """The same arguments, with the callable marked done when it runs."""
        if not args or not callable(args[-1]) or isinstance(args[-1], QObject):
            return args
        target = args[-1]
        token = self._next
        self._next += 1
        msec = args[0]
        self.pending[token] = f"singleShot({msec} ms, {getattr(target, '__qualname__', target)!r})"
        receiver = next((a for a in args[1:-1] if isinstance(a, QObject)), None)
        bound_to = getattr(target, "__self__", None)
        if receiver is None and isinstance(bound_to, QObject):
            # Qt ties a QObject's bound method to that object: keep it tied to it.
            receiver = bound_to
            args = (*args[:-1], receiver, target)
        if receiver is not None:
            # With a receiver Qt drops the call when the receiver dies: so does the log.
            receiver.destroyed.connect(lambda *_: self.pending.pop(token, None))

        def run(*a: Any) -> Any:
            self.pending.pop(token, None)
            return target(*a)

        return (*args[:-1], run)

    def active(self) -> list[str]:
        out = []
        for timer, where in self.started:
            if not shiboken6.isValid(timer) or not timer.isActive():
                continue
            if timer.objectName() in ALLOWED_TIMERS:
                continue
            out.append(f"{where} (interval {timer.interval()} ms)")
        return out + list(self.pending.values())


def _describe(timer: QTimer) -> str:
    parent = timer.parent()
    owner = type(parent).__name__ if parent is not None else "no parent"
    name = timer.objectName() or "QTimer"
    return f"{name} of {owner}"


def leaked_widgets(before: set[int]) -> list[str]:
    return [
        f"{type(w).__name__} {w.objectName() or w.windowTitle()!r}".rstrip()
        for w in QApplication.topLevelWidgets()
        if _address(w) not in before and type(w).__name__ not in ALLOWED_WIDGETS
    ]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        item.stash[_FAILED] = True


_FAILED = pytest.StashKey[bool]()


@pytest.fixture(autouse=True)
def no_dangling_qt(
    request: pytest.FixtureRequest, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TimerLog]:
    """Fail the test when it leaves top-level widgets alive or timers running."""
    flush_deletions()
    before = {_address(w) for w in QApplication.topLevelWidgets()}
    _TEST_WINDOWS_BEFORE.clear()
    _TEST_WINDOWS_BEFORE.update(before)
    log = TimerLog()
    start: Callable[..., None] = QTimer.start
    single_shot: Callable[..., None] = QTimer.singleShot

    def recording_start(self: QTimer, *args: Any) -> None:
        log.record_start(self)
        start(self, *args)

    def recording_single_shot(*args: Any) -> None:
        single_shot(*log.wrap_single_shot(args))

    monkeypatch.setattr(QTimer, "start", recording_start)
    monkeypatch.setattr(QTimer, "singleShot", staticmethod(recording_single_shot))
    yield log
    monkeypatch.undo()
    flush_deletions()
    if request.node.stash.get(_FAILED, False):
        return
    problems = [f"window left open: {w}" for w in leaked_widgets(before)]
    problems += [f"timer still running: {t}" for t in log.active()]
    assert not problems, "the test left Qt objects behind:\n  " + "\n  ".join(problems)


def delete_widget(widget: QObject | None) -> None:
    """Close and delete ``widget`` now (if it is still there)."""
    if widget is not None and shiboken6.isValid(widget):
        if isinstance(widget, QWidget):
            widget.close()
        shiboken6.delete(widget)


def dispose_tray(tray: Any) -> None:
    """Delete a TrayController's menus (they have no parent: Python owns them)."""
    tray.tray_icon().hide()
    delete_widget(getattr(tray, "_retired_menu", None))
    delete_widget(tray.menu())
    delete_widget(tray)


def dispose_app(app: Any) -> None:
    """Shut a HuashuApp down as its quit() does, without ending the QApplication, and
    delete the windows it made (every top-level widget that appeared during the test).

    The app object is kept alive by its own signal connections (lambdas held by Qt), so
    nothing it owns would ever be collected: a test has to take it apart. Deleting by
    "appeared during the test" rather than by attribute keeps this working while the
    app's insides move (controllers for the picker and the panel).
    """
    real_quit = QApplication.quit
    QApplication.quit = staticmethod(lambda: None)  # type: ignore[method-assign]
    try:
        app.quit()  # restores the clipboard, stops the data watcher, closes backends and ws
    finally:
        QApplication.quit = real_quit  # type: ignore[method-assign]
    watcher = getattr(app, "_watcher", None)  # the team-pack watcher, where the app has one
    if watcher is not None:
        watcher.stop()
    dispose_tray(app.tray)
    for widget in QApplication.topLevelWidgets():
        if _address(widget) not in _TEST_WINDOWS_BEFORE:
            delete_widget(widget)
    delete_widget(app)
    flush_deletions()


#: Top-level widgets that existed when the running test started (see no_dangling_qt).
_TEST_WINDOWS_BEFORE: set[int] = set()


__all__ = [
    "TimerLog",
    "delete_widget",
    "dispose_app",
    "dispose_tray",
    "flush_deletions",
    "leaked_widgets",
]

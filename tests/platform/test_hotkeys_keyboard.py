"""The keyboard-package backend against the package's REAL hotkey matcher.

The OS layer is faked (see the ``fake_keyboard`` fixture); events are pushed from a
separate "OS hook" thread, so callbacks really arrive on a foreign thread and must be
carried to the GUI thread by the backend.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

from app.platform.hotkeys import Binding, HotkeyBackendError, HotkeyProblem, parse_hotkey
from app.platform.hotkeys_keyboard import KeyboardHotkeyBackend, keyboard_keys
from app.platform.relay import Ticket

CTRL_ALT_1 = ("down:left ctrl", "down:left alt", "down:1", "up:1", "up:left alt", "up:left ctrl")


class Receiver(QObject):
    """Records where the backend's callback runs and signals it."""

    fired = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[Any] = []
        self.idents: list[int] = []
        self.names: list[str] = []

    def listen(self, backend: Any) -> Receiver:
        backend.activated.connect(self.on_action)
        return self

    def on_action(self, name: str) -> None:
        self.threads.append(QThread.currentThread())
        self.idents.append(threading.get_ident())
        self.names.append(name)
        self.fired.emit(name)


@pytest.fixture
def backend(qapp: Any, fake_keyboard: Any) -> Iterator[KeyboardHotkeyBackend]:
    b = KeyboardHotkeyBackend(suppress=True, probe_other_programs=False)
    yield b
    b.close()


def test_keyboard_keys_spelling() -> None:
    assert keyboard_keys(parse_hotkey("alt+ctrl+1")) == ("ctrl", "alt", "1")
    assert keyboard_keys(parse_hotkey("win+shift+comma")) == ("shift", "windows", ",")


def test_action_reaches_the_gui_thread(
    qtbot: Any, backend: Any, fake_keyboard: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    receiver = Receiver().listen(backend)
    hook_threads: list[int] = []
    post = Ticket.post

    def recording_post(ticket: Ticket) -> None:  # where keyboard called the backend
        hook_threads.append(threading.get_ident())
        post(ticket)

    monkeypatch.setattr(Ticket, "post", recording_post)
    assert backend.apply({"ctrl+alt+1": "greeting"}) == []
    with qtbot.waitSignal(receiver.fired, timeout=2000) as blocker:
        results = fake_keyboard.push(*CTRL_ALT_1)
    assert blocker.args == ["greeting"]
    assert receiver.names == ["greeting"]
    app = QCoreApplication.instance()
    assert app is not None
    gui_thread = app.thread()
    assert receiver.threads == [gui_thread]
    assert receiver.idents == [threading.get_ident()]
    # keyboard called the backend on the fake OS hook thread, not on the GUI thread
    assert len(hook_threads) == 1 and hook_threads[0] != threading.get_ident()
    # suppress=True: the "1" key-down is swallowed (the focused window never sees it)
    assert results[2] is False


def test_other_keys_pass_and_do_not_fire(qtbot: Any, backend: Any, fake_keyboard: Any) -> None:
    receiver = Receiver().listen(backend)
    backend.apply({"ctrl+alt+1": "one"})
    results = fake_keyboard.push("down:left ctrl", "down:left alt", "down:2", "up:2")
    results += fake_keyboard.push("up:left alt", "up:left ctrl", "down:1", "up:1")
    qtbot.wait(50)
    assert receiver.names == []
    assert results[2] is True and results[6] is True  # "2", and a bare "1", reach the window


def test_two_hotkeys_and_right_side_modifiers(qtbot: Any, backend: Any, fake_keyboard: Any) -> None:
    receiver = Receiver().listen(backend)
    backend.apply({"ctrl+alt+1": "one", "ctrl+alt+space": "picker"})
    with qtbot.waitSignal(receiver.fired, timeout=2000):
        fake_keyboard.push("down:right ctrl", "down:right alt", "down:space", "up:space")
    fake_keyboard.push("up:right alt", "up:right ctrl")
    with qtbot.waitSignal(receiver.fired, timeout=2000):
        fake_keyboard.push(*CTRL_ALT_1)
    assert receiver.names == ["picker", "one"]


def test_without_suppress_the_key_passes_but_action_fires(
    qtbot: Any, qapp: Any, fake_keyboard: Any
) -> None:
    backend = KeyboardHotkeyBackend(suppress=False, probe_other_programs=False)
    try:
        receiver = Receiver().listen(backend)
        backend.apply({"ctrl+shift+f2": "f2"})
        with qtbot.waitSignal(receiver.fired, timeout=2000):
            results = fake_keyboard.push("down:left ctrl", "down:left shift", "down:f2", "up:f2")
        fake_keyboard.push("up:left shift", "up:left ctrl")
        assert all(results)
        assert receiver.threads == [qapp.thread()]
    finally:
        backend.close()


def test_unmapped_keys_are_unsupported(backend: Any) -> None:
    # f9 is a valid name, but the fake keyboard layout has no such key
    problems = backend.apply({"ctrl+f9": "nine", "ctrl+alt+1": "one"})
    assert [(p.code, p.hotkey, p.action) for p in problems] == [
        (HotkeyProblem.UNSUPPORTED, "ctrl+f9", "nine")
    ]
    assert "not on this keyboard layout" in problems[0].detail
    assert backend.registered() == ["ctrl+alt+1"]


def test_a_smaller_table_stops_firing_and_suppressing(
    qtbot: Any, backend: Any, fake_keyboard: Any
) -> None:
    receiver = Receiver().listen(backend)
    backend.apply({"ctrl+alt+1": "one", "ctrl+alt+2": "two"})
    backend.apply({"ctrl+alt+2": "two"})
    results = fake_keyboard.push(*CTRL_ALT_1)
    qtbot.wait(50)
    assert receiver.names == []
    assert results[2] is True  # the "1" reaches the window (ctrl/alt may wait for a "2")
    assert backend.registered() == ["ctrl+alt+2"]


def test_pause_keeps_only_the_pause_key(qtbot: Any, backend: Any, fake_keyboard: Any) -> None:
    receiver = Receiver().listen(backend)
    table = [Binding("ctrl+alt+1", "one"), Binding("ctrl+alt+2", "pause")]
    assert backend.apply(table, paused=True) == []
    assert backend.registered() == ["ctrl+alt+2"]
    results = fake_keyboard.push(*CTRL_ALT_1)
    qtbot.wait(50)
    assert receiver.names == [] and results[2] is True
    assert backend.apply(table) == []
    with qtbot.waitSignal(receiver.fired, timeout=2000):
        fake_keyboard.push(*CTRL_ALT_1)
    assert receiver.names == ["one"]
    assert backend.registered() == ["ctrl+alt+1", "ctrl+alt+2"]


def test_close_releases_and_refuses_more(backend: Any, fake_keyboard: Any) -> None:
    backend.apply({"ctrl+alt+1": "one"})
    backend.close()
    assert backend.registered() == []
    assert all(fake_keyboard.push(*CTRL_ALT_1))  # no longer swallowed
    with pytest.raises(HotkeyBackendError, match="closed"):
        backend.apply({"ctrl+alt+4": "four"})


def test_probe_reports_other_programs(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.platform import win32

    monkeypatch.setattr(win32, "hotkey_taken", lambda hotkey: str(hotkey) == "ctrl+alt+1")
    added: list[tuple[str, ...]] = []

    def add_hotkey(keys: tuple[str, ...], callback: Any, suppress: bool) -> Any:
        added.append(keys)
        return lambda: None

    module = SimpleNamespace(add_hotkey=add_hotkey)
    backend = KeyboardHotkeyBackend(probe_other_programs=True, keyboard_module=module)
    problems = backend.apply({"ctrl+alt+1": "one", "ctrl+alt+2": "two"})
    assert problems == [
        HotkeyProblem(
            HotkeyProblem.TAKEN,
            "ctrl+alt+1",
            "one",
            "ctrl+alt+1 is already used by another program.",
        )
    ]
    assert added == [("ctrl", "alt", "2")]
    backend.close()


def test_package_failure_is_refused(qapp: Any) -> None:
    from app.platform import relay

    live = relay.relay().registered()

    def add_hotkey(*args: Any, **kwargs: Any) -> None:
        raise ImportError("You must be root to use this library on linux.")

    backend = KeyboardHotkeyBackend(
        probe_other_programs=False, keyboard_module=SimpleNamespace(add_hotkey=add_hotkey)
    )
    problems = backend.apply({"ctrl+alt+1": "one"})
    assert [p.code for p in problems] == [HotkeyProblem.REFUSED]
    assert "must be root" in problems[0].detail
    assert backend.registered() == []
    assert relay.relay().registered() == live  # the failed grab's ticket is cancelled
    backend.close()


def test_needs_a_qt_application(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QCoreApplication, "instance", staticmethod(lambda: None))
    with pytest.raises(HotkeyBackendError, match="QApplication"):
        KeyboardHotkeyBackend()


def test_a_press_queued_before_the_hotkey_is_released_is_dropped(
    qtbot: Any, backend: Any, fake_keyboard: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.platform import relay

    live = relay.relay().registered()
    receiver = Receiver().listen(backend)
    posted: list[Ticket] = []
    monkeypatch.setattr(Ticket, "post", lambda ticket: posted.append(ticket))
    backend.apply({"ctrl+alt+1": "one"})
    assert relay.relay().registered() == live + 1  # one ticket per grabbed hotkey
    fake_keyboard.push(*CTRL_ALT_1)
    assert len(posted) == 1
    monkeypatch.undo()
    backend.apply({})  # released while the press waits for the GUI thread
    assert relay.relay().registered() == live
    posted[0].post()
    qtbot.wait(50)
    assert receiver.names == []


def test_a_failed_grab_leaves_no_ticket(backend: Any) -> None:
    from app.platform import relay

    live = relay.relay().registered()
    problems = backend.apply({"ctrl+f9": "x"})  # not on the fake layout: ValueError
    assert problems and relay.relay().registered() == live

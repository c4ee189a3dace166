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
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal

from app.platform.hotkeys import HotkeyBackendError, HotkeyConflict, HotkeyError, parse_hotkey
from app.platform.hotkeys_keyboard import KeyboardHotkeyBackend, keyboard_keys

CTRL_ALT_1 = ("down:left ctrl", "down:left alt", "down:1", "up:1", "up:left alt", "up:left ctrl")


class Receiver(QObject):
    """Records where the backend's callback runs and signals it."""

    fired = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[Any] = []
        self.idents: list[int] = []
        self.names: list[str] = []

    def callback_for(self, name: str) -> Any:
        def callback() -> None:
            self.threads.append(QThread.currentThread())
            self.idents.append(threading.get_ident())
            self.names.append(name)
            self.fired.emit(name)

        return callback


@pytest.fixture
def backend(qapp: Any, fake_keyboard: Any) -> Iterator[KeyboardHotkeyBackend]:
    b = KeyboardHotkeyBackend(suppress=True, probe_other_programs=False)
    yield b
    b.close()


def test_keyboard_keys_spelling() -> None:
    assert keyboard_keys(parse_hotkey("alt+ctrl+1")) == ("ctrl", "alt", "1")
    assert keyboard_keys(parse_hotkey("win+shift+comma")) == ("shift", "windows", ",")


def test_callback_reaches_the_gui_thread(qtbot: Any, backend: Any, fake_keyboard: Any) -> None:
    receiver = Receiver()
    backend.register("ctrl+alt+1", receiver.callback_for("greeting"))
    hook_threads: list[int] = []
    # A direct connection runs on the emitting thread: where keyboard called the backend.
    backend._bridge.triggered.connect(
        lambda name: hook_threads.append(threading.get_ident()), Qt.ConnectionType.DirectConnection
    )
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
    receiver = Receiver()
    backend.register("ctrl+alt+1", receiver.callback_for("one"))
    results = fake_keyboard.push("down:left ctrl", "down:left alt", "down:2", "up:2")
    results += fake_keyboard.push("up:left alt", "up:left ctrl", "down:1", "up:1")
    qtbot.wait(50)
    assert receiver.names == []
    assert results[2] is True and results[6] is True  # "2", and a bare "1", reach the window


def test_two_hotkeys_and_right_side_modifiers(qtbot: Any, backend: Any, fake_keyboard: Any) -> None:
    receiver = Receiver()
    backend.register("ctrl+alt+1", receiver.callback_for("one"))
    backend.register("ctrl+alt+space", receiver.callback_for("picker"))
    with qtbot.waitSignal(receiver.fired, timeout=2000):
        fake_keyboard.push("down:right ctrl", "down:right alt", "down:space", "up:space")
    fake_keyboard.push("up:right alt", "up:right ctrl")
    with qtbot.waitSignal(receiver.fired, timeout=2000):
        fake_keyboard.push(*CTRL_ALT_1)
    assert receiver.names == ["picker", "one"]


def test_without_suppress_the_key_passes_but_callback_fires(
    qtbot: Any, qapp: Any, fake_keyboard: Any
) -> None:
    backend = KeyboardHotkeyBackend(suppress=False, probe_other_programs=False)
    try:
        receiver = Receiver()
        backend.register("ctrl+shift+f2", receiver.callback_for("f2"))
        with qtbot.waitSignal(receiver.fired, timeout=2000):
            results = fake_keyboard.push("down:left ctrl", "down:left shift", "down:f2", "up:f2")
        fake_keyboard.push("up:left shift", "up:left ctrl")
        assert all(results)
        assert receiver.threads == [qapp.thread()]
    finally:
        backend.close()


def test_duplicate_registration_is_a_conflict(backend: Any) -> None:
    backend.register("ctrl+alt+1", lambda: None)
    with pytest.raises(HotkeyConflict) as info:
        backend.register("Alt+Ctrl+1", lambda: None)
    assert info.value.by_other_program is False
    assert "already registered in Huashu" in str(info.value)


def test_invalid_and_unmapped_keys(backend: Any) -> None:
    with pytest.raises(HotkeyError, match="unknown key name"):
        backend.register("ctrl+alt+nokey", lambda: None)
    # f9 is a valid name, but the fake keyboard layout has no such key
    with pytest.raises(HotkeyError, match="not on this keyboard layout"):
        backend.register("ctrl+f9", lambda: None)
    assert backend.registered() == []


def test_unregister_stops_firing_and_suppressing(
    qtbot: Any, backend: Any, fake_keyboard: Any
) -> None:
    receiver = Receiver()
    backend.register("ctrl+alt+1", receiver.callback_for("one"))
    backend.unregister("alt+ctrl+1")
    backend.unregister("ctrl+alt+9")  # unknown: ignored
    backend.unregister("not a hotkey")  # invalid: ignored
    results = fake_keyboard.push(*CTRL_ALT_1)
    qtbot.wait(50)
    assert receiver.names == []
    assert all(results)
    assert backend.registered() == []


def test_pause_and_resume(qtbot: Any, backend: Any, fake_keyboard: Any) -> None:
    receiver = Receiver()
    backend.register("ctrl+alt+1", receiver.callback_for("one"))
    assert backend.set_paused(True) == []
    fake_keyboard.push(*CTRL_ALT_1)
    qtbot.wait(50)
    assert receiver.names == []
    assert backend.set_paused(False) == []
    with qtbot.waitSignal(receiver.fired, timeout=2000):
        fake_keyboard.push(*CTRL_ALT_1)
    assert receiver.names == ["one"]
    assert backend.registered() == ["ctrl+alt+1"]


def test_failing_callback_is_logged_not_raised(
    qtbot: Any, backend: Any, fake_keyboard: Any, caplog: Any
) -> None:
    receiver = Receiver()

    def broken() -> None:
        raise RuntimeError("boom")

    backend.register("ctrl+alt+2", broken)
    backend.register("ctrl+alt+1", receiver.callback_for("one"))
    fake_keyboard.push("down:left ctrl", "down:left alt", "down:2", "up:2")
    with qtbot.waitSignal(receiver.fired, timeout=2000):
        fake_keyboard.push("down:1", "up:1")
    assert "hotkey callback for ctrl+alt+2 failed" in caplog.text


def test_unregister_all_and_close(backend: Any) -> None:
    backend.register("ctrl+alt+1", lambda: None)
    backend.register("ctrl+alt+2", lambda: None)
    backend.unregister_all()
    assert backend.registered() == []
    backend.register("ctrl+alt+3", lambda: None)
    backend.close()
    with pytest.raises(HotkeyBackendError, match="closed"):
        backend.register("ctrl+alt+4", lambda: None)


def test_probe_reports_other_programs(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.platform import win32

    monkeypatch.setattr(win32, "hotkey_taken", lambda hotkey: str(hotkey) == "ctrl+alt+1")
    added: list[tuple[str, ...]] = []

    def add_hotkey(keys: tuple[str, ...], callback: Any, suppress: bool) -> Any:
        added.append(keys)
        return lambda: None

    module = SimpleNamespace(add_hotkey=add_hotkey)
    backend = KeyboardHotkeyBackend(probe_other_programs=True, keyboard_module=module)
    with pytest.raises(HotkeyConflict, match="already used by another program") as info:
        backend.register("ctrl+alt+1", lambda: None)
    assert info.value.by_other_program
    backend.register("ctrl+alt+2", lambda: None)
    assert added == [("ctrl", "alt", "2")]


def test_package_failure_becomes_backend_error(qapp: Any) -> None:
    def add_hotkey(*args: Any, **kwargs: Any) -> None:
        raise ImportError("You must be root to use this library on linux.")

    backend = KeyboardHotkeyBackend(
        probe_other_programs=False, keyboard_module=SimpleNamespace(add_hotkey=add_hotkey)
    )
    with pytest.raises(HotkeyBackendError, match="must be root"):
        backend.register("ctrl+alt+1", lambda: None)
    assert backend.registered() == []


def test_needs_a_qt_application(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QCoreApplication, "instance", staticmethod(lambda: None))
    with pytest.raises(HotkeyBackendError, match="QApplication"):
        KeyboardHotkeyBackend()

"""The RegisterHotKey backend with a fake user32: bookkeeping, conflicts, pause, dispatch.

Runs on any OS (the Win32 calls go through a fake :class:`HotkeyApi`, native messages
through a fake reader). The real thing under Windows/Wine: test_hotkeys_win_real.py.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QByteArray

from app.platform import hotkeys_win, win32
from app.platform.hotkeys import Binding, HotkeyBackendError, HotkeyProblem
from app.platform.hotkeys_win import (
    ERROR_HOTKEY_ALREADY_REGISTERED,
    NATIVE_EVENT_TYPE,
    WM_HOTKEY,
    WindowsHotkeyBackend,
    hotkey_id_of,
)

CTRL_ALT = win32.MOD_CONTROL | win32.MOD_ALT | win32.MOD_NOREPEAT


class FakeUser32:
    """A thread's RegisterHotKey table, with combinations other programs hold."""

    def __init__(self) -> None:
        self.table: dict[int, tuple[int, int]] = {}  # id -> (modifiers, vk)
        self.others: set[tuple[int, int]] = set()
        self.refuse: dict[tuple[int, int], int] = {}  # (modifiers, vk) -> error code
        self.calls: list[tuple[Any, ...]] = []

    def register(self, ident: int, modifiers: int, vk: int) -> int:
        self.calls.append(("register", ident, modifiers, vk))
        combo = (modifiers, vk)
        if combo in self.refuse:
            return self.refuse[combo]
        if combo in self.others or combo in self.table.values() or ident in self.table:
            return ERROR_HOTKEY_ALREADY_REGISTERED
        self.table[ident] = combo
        return 0

    def unregister(self, ident: int) -> bool:
        self.calls.append(("unregister", ident))
        return self.table.pop(ident, None) is not None

    def id_of(self, modifiers: int, vk: int) -> int:
        return next(i for i, combo in self.table.items() if combo == (modifiers, vk))


class Messages:
    """Native messages by fake address, as read_msg would read them."""

    def __init__(self) -> None:
        self.by_address: dict[int, tuple[int, int, int]] = {}

    def post(self, hwnd: int, message: int, wparam: int) -> int:
        address = 0x1000 + 16 * len(self.by_address)
        self.by_address[address] = (hwnd, message, wparam)
        return address

    def read(self, address: int) -> tuple[int, int, int]:
        return self.by_address[address]


@pytest.fixture
def user32() -> FakeUser32:
    return FakeUser32()


@pytest.fixture
def messages() -> Messages:
    return Messages()


@pytest.fixture
def backend(qapp: Any, user32: FakeUser32, messages: Messages) -> Iterator[WindowsHotkeyBackend]:
    made = WindowsHotkeyBackend(user32, messages.read)
    yield made
    made.close()


def press(
    qtbot: Any, backend: WindowsHotkeyBackend, messages: Messages, ident: int, hwnd: int = 0
) -> bool:
    """Deliver a WM_HOTKEY for ``ident`` through the installed filter; process the loop."""
    handled = backend._filter.nativeEventFilter(
        QByteArray(NATIVE_EVENT_TYPE), messages.post(hwnd, WM_HOTKEY, ident)
    )
    qtbot.wait(20)
    return bool(handled[0])


def recorder(backend: WindowsHotkeyBackend) -> list[str]:
    fired: list[str] = []
    backend.activated.connect(fired.append)
    return fired


# -- pure parts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_type", "hwnd", "message", "wparam", "expected"),
    [
        (NATIVE_EVENT_TYPE, 0, WM_HOTKEY, 5, 5),
        (NATIVE_EVENT_TYPE, 0, WM_HOTKEY, 0, 0),
        (NATIVE_EVENT_TYPE, 0x10, WM_HOTKEY, 5, None),  # for a window: not ours
        (NATIVE_EVENT_TYPE, 0, WM_HOTKEY + 1, 5, None),
        (NATIVE_EVENT_TYPE, 0, WM_HOTKEY - 1, 5, None),
        (b"windows_dispatcher_MSG", 0, WM_HOTKEY, 5, None),
        (b"xcb_generic_event_t", 0, WM_HOTKEY, 5, None),
    ],
)
def test_hotkey_id_of(
    event_type: bytes, hwnd: int, message: int, wparam: int, expected: int | None
) -> None:
    assert hotkey_id_of(event_type, hwnd, message, wparam) == expected


def test_constants_are_the_documented_ones() -> None:
    assert WM_HOTKEY == 0x0312
    assert ERROR_HOTKEY_ALREADY_REGISTERED == 1409
    assert NATIVE_EVENT_TYPE == b"windows_generic_MSG"
    assert (hotkeys_win.FIRST_ID, hotkeys_win.LAST_ID) == (1, 0xBFFD)


def test_read_msg_reads_a_real_msg_structure() -> None:
    from ctypes import wintypes

    msg = wintypes.MSG()
    msg.hWnd = 0x1234
    msg.message = WM_HOTKEY
    msg.wParam = 42
    assert hotkeys_win.read_msg(ctypes.addressof(msg)) == (0x1234, WM_HOTKEY, 42)
    msg.hWnd = None
    assert hotkeys_win.read_msg(ctypes.addressof(msg)) == (0, WM_HOTKEY, 42)


# -- taking the table --------------------------------------------------------------------


def test_apply_passes_modifiers_norepeat_and_vk(
    backend: WindowsHotkeyBackend, user32: FakeUser32
) -> None:
    assert backend.apply({"Alt+Ctrl+1": "one", "ctrl+shift+f2": "f2"}) == []
    assert sorted(user32.table.values()) == [
        (CTRL_ALT, 0x31),
        (win32.MOD_CONTROL | win32.MOD_SHIFT | win32.MOD_NOREPEAT, 0x71),
    ]
    assert backend.registered() == ["ctrl+alt+1", "ctrl+shift+f2"]
    ids = [call[1] for call in user32.calls]
    assert len(set(ids)) == 2 and all(hotkeys_win.FIRST_ID <= i <= 0xBFFD for i in ids)


def test_invalid_and_duplicate_hotkeys_never_reach_windows(
    backend: WindowsHotkeyBackend, user32: FakeUser32
) -> None:
    problems = backend.apply(
        [
            Binding("ctrl+alt+nosuchkey", "bad"),
            Binding("ctrl+alt+1", "one"),
            Binding("alt+ctrl+1", "again"),
        ]
    )
    assert [(p.code, p.hotkey) for p in problems] == [
        (HotkeyProblem.INVALID, "ctrl+alt+nosuchkey"),
        (HotkeyProblem.DUPLICATE, "ctrl+alt+1"),
    ]
    assert len(user32.calls) == 1 and backend.registered() == ["ctrl+alt+1"]


def test_hotkey_held_by_another_program_is_taken(
    backend: WindowsHotkeyBackend, user32: FakeUser32
) -> None:
    user32.others.add((CTRL_ALT, 0x32))
    problems = backend.apply({"alt+ctrl+2": "two", "ctrl+alt+3": "three"})
    assert problems == [
        HotkeyProblem(
            HotkeyProblem.TAKEN,
            "ctrl+alt+2",
            "two",
            "ctrl+alt+2 is already used by another program.",
        )
    ]
    assert backend.registered() == ["ctrl+alt+3"]  # others still work


def test_other_windows_errors_are_refused_with_the_code(
    backend: WindowsHotkeyBackend, user32: FakeUser32
) -> None:
    user32.refuse[(win32.MOD_NOREPEAT, 0x7B)] = 87
    problems = backend.apply({"f12": "twelve"})
    assert problems == [
        HotkeyProblem(
            HotkeyProblem.REFUSED, "f12", "twelve", "Windows refused the hotkey f12 (error 87)."
        )
    ]
    assert backend.registered() == []


def test_a_smaller_table_releases_the_id(backend: WindowsHotkeyBackend, user32: FakeUser32) -> None:
    backend.apply({"ctrl+alt+1": "one", "ctrl+alt+2": "two"})
    ident = user32.id_of(CTRL_ALT, 0x31)
    backend.apply({"ctrl+alt+2": "two"})
    assert list(user32.table.values()) == [(CTRL_ALT, 0x32)]
    assert [c for c in user32.calls if c[0] == "unregister"] == [("unregister", ident)]
    backend.apply({})
    assert user32.table == {} and backend.registered() == []
    backend.apply({"Ctrl+Alt+1": "one"})  # can be taken again
    assert backend.registered() == ["ctrl+alt+1"]


def test_a_changed_action_keeps_the_registration(
    qtbot: Any, backend: WindowsHotkeyBackend, user32: FakeUser32, messages: Messages
) -> None:
    fired = recorder(backend)
    backend.apply({"ctrl+alt+1": "one"})
    backend.apply({"ctrl+alt+1": "uno"})
    assert [c[0] for c in user32.calls] == ["register"]
    assert press(qtbot, backend, messages, user32.id_of(CTRL_ALT, 0x31))
    assert fired == ["uno"]


def test_ids_are_not_reused_while_taken(
    backend: WindowsHotkeyBackend, user32: FakeUser32, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hotkeys_win, "LAST_ID", 3)
    backend.apply({"ctrl+alt+1": "1", "ctrl+alt+2": "2"})  # ids 1, 2
    backend.apply({"ctrl+alt+2": "2", "ctrl+alt+3": "3"})  # 1 released, id 3
    backend.apply({"ctrl+alt+2": "2", "ctrl+alt+3": "3", "ctrl+alt+4": "4"})  # wraps to 1
    assert sorted(user32.table) == [1, 2, 3]
    assert user32.table[1] == (CTRL_ALT, 0x34)


def test_close_releases_everything_and_refuses_more(
    qapp: Any, backend: WindowsHotkeyBackend, user32: FakeUser32
) -> None:
    backend.apply({"ctrl+alt+1": "one"})
    backend.close()
    assert user32.table == {} and backend.registered() == []
    with pytest.raises(HotkeyBackendError, match="closed"):
        backend.apply({"ctrl+alt+2": "two"})
    backend.close()  # twice is fine
    assert [c[0] for c in user32.calls] == ["register", "unregister"]


def test_needs_a_qapplication(monkeypatch: pytest.MonkeyPatch, user32: FakeUser32) -> None:
    from PySide6.QtCore import QCoreApplication

    monkeypatch.setattr(QCoreApplication, "instance", staticmethod(lambda: None))
    with pytest.raises(HotkeyBackendError, match="needs a running QApplication"):
        WindowsHotkeyBackend(user32)


def test_without_user32_it_says_so(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> None:
        raise OSError("no user32 here")

    monkeypatch.setattr(hotkeys_win, "User32HotkeyApi", missing)
    with pytest.raises(HotkeyBackendError, match="user32 is not available here: no user32"):
        WindowsHotkeyBackend()


# -- pause -------------------------------------------------------------------------------


def test_pause_keeps_the_pause_key_and_resume_retakes(
    qtbot: Any, backend: WindowsHotkeyBackend, user32: FakeUser32, messages: Messages
) -> None:
    fired = recorder(backend)
    table = {"ctrl+alt+1": "one", "ctrl+alt+2": "two", "ctrl+alt+p": "pause"}
    backend.apply(table)
    assert backend.apply(table, paused=True) == []
    assert list(user32.table.values()) == [(CTRL_ALT, 0x50)]
    assert backend.registered() == ["ctrl+alt+p"]
    user32.others.add((CTRL_ALT, 0x32))  # another program took ctrl+alt+2 meanwhile
    problems = backend.apply(table)
    assert problems == [
        HotkeyProblem(
            HotkeyProblem.TAKEN,
            "ctrl+alt+2",
            "two",
            "ctrl+alt+2 is already used by another program.",
        )
    ]
    assert sorted(user32.table.values()) == [(CTRL_ALT, 0x31), (CTRL_ALT, 0x50)]
    assert press(qtbot, backend, messages, user32.id_of(CTRL_ALT, 0x31))
    assert fired == ["one"]


def test_no_action_for_a_press_queued_before_the_pause(
    qtbot: Any, backend: WindowsHotkeyBackend, user32: FakeUser32, messages: Messages
) -> None:
    fired = recorder(backend)
    table = {"ctrl+alt+1": "one", "ctrl+alt+p": "pause"}
    backend.apply(table)
    ident = user32.id_of(CTRL_ALT, 0x31)
    # A WM_HOTKEY already queued when the pause came must not fire afterwards.
    backend._filter.nativeEventFilter(
        QByteArray(NATIVE_EVENT_TYPE), messages.post(0, WM_HOTKEY, ident)
    )
    backend.apply(table, paused=True)
    qtbot.wait(20)
    assert fired == []


def test_recording_releases_everything(backend: WindowsHotkeyBackend, user32: FakeUser32) -> None:
    table = {"ctrl+alt+1": "one", "ctrl+alt+p": "pause"}
    backend.apply(table)
    assert backend.apply(table, paused=True, recording=True) == []
    assert user32.table == {} and backend.registered() == []
    backend.apply(table)
    assert len(user32.table) == 2


# -- dispatch ----------------------------------------------------------------------------


def test_wm_hotkey_emits_the_action_after_the_filter_returned(
    qtbot: Any, backend: WindowsHotkeyBackend, user32: FakeUser32, messages: Messages
) -> None:
    fired = recorder(backend)
    backend.apply({"ctrl+alt+1": "one", "ctrl+alt+space": "picker"})
    address = messages.post(0, WM_HOTKEY, user32.id_of(CTRL_ALT, 0x20))
    result = backend._filter.nativeEventFilter(QByteArray(NATIVE_EVENT_TYPE), address)
    assert result == (True, 0)  # consumed: Qt does not dispatch it
    assert fired == []  # not from inside the native filter
    qtbot.waitUntil(lambda: fired == ["picker"], timeout=1000)
    assert press(qtbot, backend, messages, user32.id_of(CTRL_ALT, 0x31))
    assert fired == ["picker", "one"]


def test_foreign_messages_are_left_to_qt(
    qtbot: Any, backend: WindowsHotkeyBackend, user32: FakeUser32, messages: Messages
) -> None:
    fired = recorder(backend)
    backend.apply({"ctrl+alt+1": "one"})
    ident = user32.id_of(CTRL_ALT, 0x31)
    filt = backend._filter
    key_down = messages.post(0, 0x0100, ident)  # WM_KEYDOWN
    assert filt.nativeEventFilter(QByteArray(NATIVE_EVENT_TYPE), key_down) == (False, 0)
    assert not press(qtbot, backend, messages, ident, hwnd=0x4242)  # a window's hotkey
    assert not press(qtbot, backend, messages, ident + 100)  # an id that is not ours
    assert filt.nativeEventFilter(QByteArray(b"xcb_generic_event_t"), 0) == (False, 0)
    assert fired == []


def test_released_hotkey_no_longer_fires(
    qtbot: Any, backend: WindowsHotkeyBackend, user32: FakeUser32, messages: Messages
) -> None:
    fired = recorder(backend)
    backend.apply({"ctrl+alt+1": "one"})
    ident = user32.id_of(CTRL_ALT, 0x31)
    backend.apply({})
    assert not press(qtbot, backend, messages, ident)
    assert fired == []


def test_a_broken_message_reader_never_escapes_into_qt(
    qapp: Any, user32: FakeUser32, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_address: int) -> tuple[int, int, int]:
        raise ValueError("bad pointer")

    backend = WindowsHotkeyBackend(user32, broken)
    try:
        backend.apply({"ctrl+alt+1": "one"})
        assert backend._filter.nativeEventFilter(QByteArray(NATIVE_EVENT_TYPE), 8) == (False, 0)
        assert "reading a native message failed" in caplog.text
    finally:
        backend.close()


def test_closed_backend_ignores_messages_and_leaves_the_app(
    qapp: Any, qtbot: Any, user32: FakeUser32, messages: Messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    removed: list[Any] = []
    real_remove = qapp.removeNativeEventFilter

    def remove(filt: Any) -> None:
        removed.append(filt)
        real_remove(filt)

    monkeypatch.setattr(qapp, "removeNativeEventFilter", remove)
    backend = WindowsHotkeyBackend(user32, messages.read)
    fired = recorder(backend)
    backend.apply({"ctrl+alt+1": "one"})
    ident = user32.id_of(CTRL_ALT, 0x31)
    backend.close()
    assert removed == [backend._filter]
    assert backend._on_native(NATIVE_EVENT_TYPE, messages.post(0, WM_HOTKEY, ident)) is False
    qtbot.wait(20)
    assert fired == []


def test_each_registration_is_released_exactly_once(
    backend: WindowsHotkeyBackend, user32: FakeUser32
) -> None:
    table = {"ctrl+alt+1": "one", "ctrl+alt+p": "pause"}
    backend.apply(table, paused=True)  # ctrl+alt+1 never taken while paused
    backend.close()
    assert [c for c in user32.calls if c[0] == "unregister"] == [("unregister", 1)]


def test_a_hotkey_lost_at_resume_is_not_released_later(
    backend: WindowsHotkeyBackend, user32: FakeUser32
) -> None:
    table = {"ctrl+alt+2": "two"}
    backend.apply(table)
    backend.apply(table, paused=True)
    user32.others.add((CTRL_ALT, 0x32))
    assert [p.code for p in backend.apply(table)] == [HotkeyProblem.TAKEN]
    backend.apply({})
    assert [c for c in user32.calls if c[0] == "unregister"] == [("unregister", 1)]


def test_the_filter_is_installed_on_the_application(
    qapp: Any, user32: FakeUser32, messages: Messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed: list[Any] = []
    real_install = qapp.installNativeEventFilter

    def install(filt: Any) -> None:
        installed.append(filt)
        real_install(filt)

    monkeypatch.setattr(qapp, "installNativeEventFilter", install)
    backend = WindowsHotkeyBackend(user32, messages.read)
    try:
        assert installed == [backend._filter]
    finally:
        backend.close()


def test_other_native_events_are_not_read_as_msg(qapp: Any, user32: FakeUser32) -> None:
    read: list[int] = []

    def reader(address: int) -> tuple[int, int, int]:
        read.append(address)
        return (0, WM_HOTKEY, 1)

    backend = WindowsHotkeyBackend(user32, reader)
    try:
        backend.apply({"ctrl+alt+1": "one"})
        assert backend._on_native(b"xcb_generic_event_t", 0x1234) is False
        assert read == []  # an xcb event is no MSG: never dereferenced as one
        assert backend._on_native(NATIVE_EVENT_TYPE, 0x1234) is True
        assert read == [0x1234]
    finally:
        backend.close()


def test_messages_say_what_is_wrong(
    qapp: Any, user32: FakeUser32, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QCoreApplication

    backend = WindowsHotkeyBackend(user32)
    backend.close()
    with pytest.raises(HotkeyBackendError) as info:
        backend.apply({"ctrl+alt+1": "one"})
    assert str(info.value) == "the windows hotkey backend is closed"
    monkeypatch.setattr(QCoreApplication, "instance", staticmethod(lambda: None))
    with pytest.raises(HotkeyBackendError) as info:
        WindowsHotkeyBackend(user32)
    assert str(info.value) == "the Windows hotkey backend needs a running QApplication"


def test_presses_and_failures_are_logged(
    qtbot: Any,
    backend: WindowsHotkeyBackend,
    user32: FakeUser32,
    messages: Messages,
    caplog: pytest.LogCaptureFixture,
) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    backend.apply({"ctrl+alt+1": "one"})
    assert press(qtbot, backend, messages, user32.id_of(CTRL_ALT, 0x31))
    assert "hotkey ctrl+alt+1 pressed: one" in caplog.messages
    user32.table.clear()  # Windows no longer has it (e.g. the session ended)
    backend.apply({})
    assert "UnregisterHotKey(1) failed for ctrl+alt+1" in caplog.messages


def test_registration_changes_are_logged(
    backend: WindowsHotkeyBackend, user32: FakeUser32, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    caplog.set_level(logging.INFO, logger="app.platform.hotkeys_win")
    backend.apply({"ctrl+alt+1": "one", "ctrl+alt+2": "two"})
    backend.apply({"ctrl+alt+2": "two"})
    assert caplog.messages == [
        "registered hotkey ctrl+alt+1 (RegisterHotKey id 1)",
        "registered hotkey ctrl+alt+2 (RegisterHotKey id 2)",
        "unregistered hotkey ctrl+alt+1",
    ]


def test_a_broken_reader_is_logged(
    qapp: Any, user32: FakeUser32, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_address: int) -> tuple[int, int, int]:
        raise ValueError("bad pointer")

    backend = WindowsHotkeyBackend(user32, broken)
    try:
        backend._filter.nativeEventFilter(QByteArray(NATIVE_EVENT_TYPE), 8)
    finally:
        backend.close()
    assert caplog.messages == ["reading a native message failed"]

"""The Windows helpers: their logic against a stand-in API, their real calls on Windows."""

from __future__ import annotations

import ctypes
from ctypes import wintypes
from typing import Any

import pytest

from app.platform import win32
from app.platform.hotkeys import KEY_NAMES, parse_hotkey


def test_every_key_name_has_a_virtual_key() -> None:
    assert set(win32.VIRTUAL_KEYS) == set(KEY_NAMES)
    assert len(set(win32.VIRTUAL_KEYS.values())) == len(win32.VIRTUAL_KEYS)


@pytest.mark.parametrize(
    ("text", "flags", "vk"),
    [
        ("ctrl+alt+1", win32.MOD_CONTROL | win32.MOD_ALT, 0x31),
        ("ctrl+alt+space", win32.MOD_CONTROL | win32.MOD_ALT, 0x20),
        ("ctrl+shift+f2", win32.MOD_CONTROL | win32.MOD_SHIFT, 0x71),
        ("win+a", win32.MOD_WIN, 0x41),
        ("ctrl+comma", win32.MOD_CONTROL, 0xBC),
        ("f24", 0, 0x87),
    ],
)
def test_hotkey_flags(text: str, flags: int, vk: int) -> None:
    assert win32.hotkey_flags(parse_hotkey(text)) == (flags | win32.MOD_NOREPEAT, vk)


def test_hotkey_taken_probes_and_releases() -> None:
    calls: list[tuple[Any, ...]] = []
    taken = {(win32.MOD_CONTROL | win32.MOD_ALT | win32.MOD_NOREPEAT, 0x31)}

    def register(ident: int, flags: int, vk: int) -> bool:
        calls.append(("register", ident, flags, vk))
        return (flags, vk) not in taken

    def unregister(ident: int) -> bool:
        calls.append(("unregister", ident))
        return True

    assert win32.hotkey_taken(parse_hotkey("ctrl+alt+1"), register, unregister) is True
    assert [c[0] for c in calls] == ["register"]  # nothing to release after a failure
    calls.clear()
    assert win32.hotkey_taken(parse_hotkey("ctrl+alt+2"), register, unregister) is False
    assert [c[0] for c in calls] == ["register", "unregister"]
    assert calls[0][1] == calls[1][1]


@pytest.mark.linux_only("checks the neutral answers where Win32 does not exist")
def test_neutral_answers_elsewhere() -> None:
    assert win32.hotkey_taken(parse_hotkey("ctrl+alt+1")) is False
    assert win32.any_key_down() is False
    assert win32.foreground_is_elevated() is False


# -- elevation logic, against a stand-in for the Win32 declarations ---------------------

SELF, OURS, THEIRS = 2**64 - 1, 0x10, 0x20  # pseudo-handle, process handles
HWND, PID = 0x5000, 4242


class FakeApi:
    """Stands in for app.platform.win32api: tokens, processes and the foreground window."""

    def __init__(
        self,
        *,
        self_elevated: bool = False,
        hwnd: int | None = HWND,
        can_open: bool = True,
        target_elevated: bool | None = False,
        keys_down: frozenset[int] = frozenset(),
    ) -> None:
        self.elevation = {SELF: self_elevated, THEIRS: target_elevated}
        self.hwnd = hwnd
        self.can_open = can_open
        self.keys_down = keys_down
        self.calls: list[tuple[Any, ...]] = []
        self.open_handles: set[int] = set()
        self._next = 0x100

    def _handle(self) -> int:
        self._next += 4
        self.open_handles.add(self._next)
        return self._next

    def GetCurrentProcess(self) -> int:
        return SELF

    def GetForegroundWindow(self) -> int | None:
        return self.hwnd

    def GetWindowThreadProcessId(self, hwnd: int, pid: Any) -> int:
        self.calls.append(("GetWindowThreadProcessId", hwnd))
        pid._obj.value = PID
        return 1

    def OpenProcess(self, access: int, inherit: bool, pid: int) -> int | None:
        self.calls.append(("OpenProcess", access, inherit, pid))
        if not self.can_open:
            return None
        self.open_handles.add(THEIRS)
        return THEIRS

    def OpenProcessToken(self, process: int, access: int, token: Any) -> bool:
        self.calls.append(("OpenProcessToken", process, access))
        if self.elevation.get(process) is None:
            return False
        handle = self._handle()
        self.tokens = getattr(self, "tokens", {})
        self.tokens[handle] = self.elevation[process]
        token._obj.value = handle
        return True

    def GetTokenInformation(self, token: Any, cls: int, value: Any, size: int, ret: Any) -> bool:
        self.calls.append(("GetTokenInformation", cls, size))
        value._obj.value = int(self.tokens[token.value])
        ret._obj.value = size
        return True

    def CloseHandle(self, handle: Any) -> bool:
        handle = getattr(handle, "value", handle)
        self.calls.append(("CloseHandle", handle))
        self.open_handles.remove(handle)
        return True

    def GetAsyncKeyState(self, vk: int) -> int:
        return -32768 if vk in self.keys_down else 1  # bit 0: pressed since the last call


@pytest.mark.parametrize(
    ("api", "expected"),
    [
        (FakeApi(), False),
        (FakeApi(target_elevated=True), True),
        (FakeApi(target_elevated=None), True),  # token unreadable: higher integrity
        (FakeApi(can_open=False), True),  # process unopenable: higher integrity
        (FakeApi(self_elevated=True, target_elevated=True), False),
        (FakeApi(hwnd=None, target_elevated=True), False),
        (FakeApi(hwnd=0, target_elevated=True), False),
    ],
)
def test_foreground_is_elevated(api: FakeApi, expected: bool) -> None:
    assert win32.foreground_is_elevated(api) is expected
    assert api.open_handles == set()  # every token and process handle closed again


def test_elevation_queries_the_right_things() -> None:
    api = FakeApi(target_elevated=True)
    assert win32.foreground_is_elevated(api) is True
    assert ("OpenProcessToken", SELF, 0x0008) in api.calls
    assert ("GetWindowThreadProcessId", HWND) in api.calls
    assert ("OpenProcess", 0x1000, False, PID) in api.calls
    assert ("OpenProcessToken", THEIRS, 0x0008) in api.calls
    assert ("GetTokenInformation", 20, ctypes.sizeof(wintypes.DWORD)) in api.calls
    assert api.calls[-1] == ("CloseHandle", THEIRS)


def test_token_information_failure_is_unknown() -> None:
    api = FakeApi(target_elevated=True)
    api.GetTokenInformation = lambda *args: False  # type: ignore[method-assign]
    assert win32.process_elevated(THEIRS, api) is None
    assert api.open_handles == set()
    assert win32.window_process_elevated(HWND, api) is True


def test_process_elevated_reads_the_token() -> None:
    assert win32.process_elevated(THEIRS, FakeApi(target_elevated=True)) is True
    assert win32.process_elevated(THEIRS, FakeApi(target_elevated=False)) is False
    assert win32.process_elevated(THEIRS, FakeApi(target_elevated=None)) is None


@pytest.mark.parametrize(
    ("down", "expected"),
    [
        (frozenset(), False),
        (frozenset({0x11}), True),
        (frozenset({0x08}), True),
        (frozenset({0xFE}), True),
        (frozenset({0x01}), False),
        (frozenset({0x0A}), False),
        (frozenset({0xFF}), False),
    ],
)
def test_any_key_down(down: frozenset[int], expected: bool) -> None:
    assert win32.any_key_down(FakeApi(keys_down=down)) is expected


def test_foreground_window() -> None:
    assert win32.foreground_window(FakeApi(hwnd=HWND)) == HWND
    assert win32.foreground_window(FakeApi(hwnd=None)) is None
    assert win32.foreground_window(FakeApi(hwnd=0)) is None


# -- the real calls (Windows Python; the Wine lane runs these) ---------------------------


@pytest.mark.windows_only
def test_own_process_elevation_is_readable() -> None:
    """Issue 8: this raised OverflowError on every paste (pseudo-handle through C int)."""
    from app.platform import win32api

    assert win32.process_elevated(win32api.GetCurrentProcess()) in (True, False)
    assert win32.foreground_is_elevated() in (True, False)


@pytest.mark.windows_only
def test_own_process_by_id_is_as_elevated_as_we_are() -> None:
    """OpenProcess on a real process id (ours), then its token, then both handles closed."""
    import os

    from app.platform import win32api

    own = win32.process_elevated(win32api.GetCurrentProcess())
    assert own is not None
    assert win32.process_id_elevated(os.getpid()) is own
    assert win32.process_id_elevated(0) is True  # the idle process: never ours to open


@pytest.mark.windows_only
def test_nothing_held_while_testing() -> None:
    assert win32.any_key_down() is False


@pytest.mark.windows_only
def test_real_hotkey_probe_sees_a_registered_hotkey() -> None:
    """RegisterHotKey conflict probing, on a combination nobody uses (no hook, no keys)."""
    from app.platform import win32api

    hotkey = parse_hotkey("ctrl+alt+shift+f23")
    flags, vk = win32.hotkey_flags(hotkey)
    assert win32.hotkey_taken(hotkey) is False
    assert win32api.RegisterHotKey(None, 0x7001, flags, vk)
    try:
        assert win32.hotkey_taken(hotkey) is True
    finally:
        assert win32api.UnregisterHotKey(None, 0x7001)
    assert win32.hotkey_taken(hotkey) is False

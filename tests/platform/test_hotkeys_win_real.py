"""The RegisterHotKey backend against the real user32 (Windows; in CI the Wine lane).

A press is a real ``SendInput`` of the combination from another thread (what a keyboard
driver does); RegisterHotKey consumes the key, so nothing reaches another window. These
tests press real keys, so they only run where the keys cannot land in a user's work:
under Wine (the lane's own Xvfb display) or with ``HUASHU_REAL_KEYS=1``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(sys.platform != "win32", reason="needs Windows (the Wine lane)"),
]


def under_wine() -> bool:
    import ctypes

    try:
        ctypes.WinDLL("ntdll").wine_get_version  # noqa: B018
    except AttributeError:
        return False
    return True


@pytest.fixture(autouse=True)
def may_press_keys() -> None:
    if not (under_wine() or os.environ.get("HUASHU_REAL_KEYS") == "1"):
        msg = "presses real keys: runs under Wine or with HUASHU_REAL_KEYS=1"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{msg} (CI=true: the Windows lane runs under Wine)")
        pytest.skip(msg)


@pytest.fixture
def backend(qapp: Any) -> Iterator[Any]:
    from app.platform.hotkeys_win import WindowsHotkeyBackend

    made = WindowsHotkeyBackend()
    yield made
    made.close()


def press(combo: tuple[int, ...], delay: float = 0.0) -> threading.Thread:
    """Press and release virtual keys ``combo`` (modifiers first) with SendInput, from
    another thread after ``delay`` seconds."""
    from app.platform.paste_win import KEYEVENTF_KEYUP, KeyInput, User32InputApi

    api = User32InputApi()
    keys = [KeyInput(vk, api.scan_code(vk), 0) for vk in combo]
    keys += [KeyInput(vk, api.scan_code(vk), KEYEVENTF_KEYUP) for vk in reversed(combo)]

    def run() -> None:
        time.sleep(delay)
        assert api.send(keys) == len(keys)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


CTRL, ALT = 0x11, 0x12


def test_registered_hotkey_fires_and_released_does_not(qtbot: Any, backend: Any) -> None:
    fired: list[str] = []
    backend.activated.connect(fired.append)
    assert backend.apply({"ctrl+alt+f9": "f9"}) == []
    press((CTRL, ALT, 0x78)).join()
    qtbot.waitUntil(lambda: fired == ["f9"], timeout=5000)
    backend.apply({})
    press((CTRL, ALT, 0x78)).join()
    qtbot.wait(300)
    assert fired == ["f9"]


def test_still_fires_after_the_gui_thread_was_blocked_for_2_s(qtbot: Any, backend: Any) -> None:
    # The failure of a low-level hook: Windows drops it when the GUI thread does not
    # answer in time. WM_HOTKEY just waits in the queue.
    fired: list[float] = []
    backend.activated.connect(lambda _action: fired.append(time.monotonic()))
    backend.apply({"ctrl+alt+f10": "f10"})
    thread = press((CTRL, ALT, 0x79), delay=0.5)
    blocked_until = time.monotonic() + 2.0
    time.sleep(2.0)  # the GUI thread does not run its event loop
    thread.join()
    assert fired == []
    qtbot.waitUntil(lambda: len(fired) == 1, timeout=5000)
    assert fired[0] >= blocked_until
    press((CTRL, ALT, 0x79)).join()  # and it keeps working
    qtbot.waitUntil(lambda: len(fired) == 2, timeout=5000)


HOLDER = textwrap.dedent(
    """
    import ctypes, sys
    from ctypes import wintypes
    user32 = ctypes.WinDLL("user32", use_last_error=True)
    user32.RegisterHotKey.argtypes = (wintypes.HWND, ctypes.c_int, wintypes.UINT, wintypes.UINT)
    user32.RegisterHotKey.restype = wintypes.BOOL
    ok = user32.RegisterHotKey(None, 1, 0x4003, 0x7A)  # ctrl+alt+f11
    print("held" if ok else f"failed {ctypes.get_last_error()}", flush=True)
    sys.stdin.readline()
    """
)


def test_combination_held_by_another_process_is_taken(backend: Any) -> None:
    from app.platform.hotkeys import HotkeyProblem

    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        problems = backend.apply({"ctrl+alt+f11": "f11"})
        assert problems == [
            HotkeyProblem(
                HotkeyProblem.TAKEN,
                "ctrl+alt+f11",
                "f11",
                "ctrl+alt+f11 is already used by another program.",
            )
        ]
        assert backend.registered() == []
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(30)
        if holder.stdout is not None:
            holder.stdout.close()
    # Free again once the other program let go (Wine's server frees a dead process's
    # hotkeys shortly after the process handle is signalled: poll for it).
    deadline = time.monotonic() + 15
    while (problems := backend.apply({"ctrl+alt+f11": "f11"})) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert problems == []
    assert backend.registered() == ["ctrl+alt+f11"]


def test_pause_gives_the_combination_back_to_other_programs(qtbot: Any, backend: Any) -> None:
    from app.platform import win32
    from app.platform.hotkeys import parse_hotkey

    fired: list[str] = []
    backend.activated.connect(fired.append)
    table = {"ctrl+alt+f12": "x", "ctrl+alt+f8": "pause"}
    assert backend.apply(table) == []
    assert win32.hotkey_taken(parse_hotkey("ctrl+alt+f12")) is True
    backend.apply(table, paused=True)
    assert win32.hotkey_taken(parse_hotkey("ctrl+alt+f12")) is False
    assert win32.hotkey_taken(parse_hotkey("ctrl+alt+f8")) is True  # the pause key stays
    assert backend.apply(table) == []
    press((CTRL, ALT, 0x7B)).join()
    qtbot.waitUntil(lambda: fired == ["x"], timeout=5000)

"""Small Windows helpers (hotkey flags, key state, focus, elevation), importable on any OS.

Every Win32 call goes through :mod:`app.platform.win32api`, where each function is
declared once with its argument and result types. Functions that call Windows return a
neutral answer elsewhere, so callers and tests on Linux can import this module; the ones
taking ``api`` accept a stand-in for the declarations so their logic is tested on Linux,
and ``tests/platform/test_win32.py`` runs the real calls under Windows Python (Wine lane).
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable
from ctypes import wintypes
from typing import Any

from app.platform import win32api
from app.platform.hotkeys import FUNCTION_KEYS, Hotkey

log = logging.getLogger(__name__)

MOD_ALT = 0x0001
MOD_CONTROL = 0x0002
MOD_SHIFT = 0x0004
MOD_WIN = 0x0008
MOD_NOREPEAT = 0x4000

_MODIFIER_FLAGS = {"alt": MOD_ALT, "ctrl": MOD_CONTROL, "shift": MOD_SHIFT, "win": MOD_WIN}

# Canonical key name -> Windows virtual-key code.
VIRTUAL_KEYS: dict[str, int] = {
    "space": 0x20,
    "enter": 0x0D,
    "tab": 0x09,
    "esc": 0x1B,
    "backspace": 0x08,
    "delete": 0x2E,
    "insert": 0x2D,
    "home": 0x24,
    "end": 0x23,
    "page up": 0x21,
    "page down": 0x22,
    "left": 0x25,
    "up": 0x26,
    "right": 0x27,
    "down": 0x28,
    "print screen": 0x2C,
    "pause": 0x13,
    "-": 0xBD,
    "=": 0xBB,
    "[": 0xDB,
    "]": 0xDD,
    ";": 0xBA,
    "'": 0xDE,
    "comma": 0xBC,
    ".": 0xBE,
    "/": 0xBF,
    "\\": 0xDC,
    "`": 0xC0,
}
VIRTUAL_KEYS.update({chr(c): ord(chr(c).upper()) for c in range(ord("a"), ord("z") + 1)})
VIRTUAL_KEYS.update({str(d): ord(str(d)) for d in range(10)})
VIRTUAL_KEYS.update({f: 0x70 + i for i, f in enumerate(FUNCTION_KEYS)})

# Keys checked by any_key_down(): everything but the mouse buttons (0x01-0x06) and
# the generic/unassigned codes that never reflect a physical key.
_KEYBOARD_VKS = [vk for vk in range(0x08, 0xFF) if vk not in (0x0A, 0x0B, 0x0E, 0x0F, 0xE7)]


def hotkey_flags(hotkey: Hotkey) -> tuple[int, int]:
    """``(modifier flags, virtual-key code)`` for ``RegisterHotKey``."""
    flags = MOD_NOREPEAT
    for modifier in hotkey.modifiers:
        flags |= _MODIFIER_FLAGS[modifier]
    return flags, VIRTUAL_KEYS[hotkey.key]


def hotkey_taken(
    hotkey: Hotkey,
    register: Callable[[int, int, int], bool] | None = None,
    unregister: Callable[[int], bool] | None = None,
) -> bool:
    """True if another program holds ``hotkey`` through ``RegisterHotKey``.

    Probes by registering the combination for a moment and releasing it at once.
    ``register``/``unregister`` replace the user32 calls (tests). Always False when
    the probe cannot run (not Windows).
    """
    probe_id = 0xBFFE
    if register is None or unregister is None:
        if sys.platform != "win32":
            return False

        def register(ident: int, flags: int, vk: int) -> bool:
            return bool(win32api.RegisterHotKey(None, ident, flags, vk))

        def unregister(ident: int) -> bool:
            return bool(win32api.UnregisterHotKey(None, ident))

    flags, vk = hotkey_flags(hotkey)
    if register(probe_id, flags, vk):
        unregister(probe_id)
        return False
    return True


def any_key_down(api: Any = win32api) -> bool:
    """True while any keyboard key is down according to ``GetAsyncKeyState``."""
    if sys.platform != "win32" and api is win32api:
        return False
    state = api.GetAsyncKeyState
    return any(state(vk) & 0x8000 for vk in _KEYBOARD_VKS)


def foreground_window(api: Any = win32api) -> int | None:
    """The foreground window's handle (``GetForegroundWindow``), None if there is none."""
    if sys.platform != "win32" and api is win32api:
        return None
    handle = api.GetForegroundWindow()
    return int(handle) if handle else None


def process_elevated(process: int, api: Any = win32api) -> bool | None:
    """Whether the process behind the handle ``process`` runs elevated (as administrator).

    None when its access token cannot be read (the process runs at a higher integrity
    level than ours, or the handle is invalid).
    """
    token = wintypes.HANDLE()
    if not api.OpenProcessToken(process, win32api.TOKEN_QUERY, ctypes.byref(token)):
        return None
    try:
        value = wintypes.DWORD()
        size = wintypes.DWORD()
        ok = api.GetTokenInformation(
            token,
            win32api.TOKEN_ELEVATION,
            ctypes.byref(value),
            ctypes.sizeof(value),
            ctypes.byref(size),
        )
        return bool(value.value) if ok else None
    finally:
        api.CloseHandle(token)


def window_process_elevated(hwnd: int, api: Any = win32api) -> bool:
    """True if the process owning window ``hwnd`` is elevated or may not even be queried."""
    pid = wintypes.DWORD()
    api.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
    return process_id_elevated(pid.value, api)


def process_id_elevated(pid: int, api: Any = win32api) -> bool:
    """True if process ``pid`` is elevated, or runs where we may not even query it."""
    process = api.OpenProcess(win32api.PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not process:
        log.debug("cannot open process %s: treating it as elevated", pid)
        return True
    try:
        result = process_elevated(process, api)
        # Not even allowed to read its token: it runs at a higher integrity level.
        return True if result is None else result
    finally:
        api.CloseHandle(process)


def foreground_is_elevated(api: Any = win32api) -> bool:
    """True if the focused window belongs to a process we cannot send keys to.

    Windows drops synthetic input sent to a window of higher integrity (a program run
    as administrator, Qianniu sometimes is). We report it when the foreground process is
    elevated while we are not, or when we may not even query it. ``api`` replaces the
    Win32 declarations (tests).
    """
    if sys.platform != "win32" and api is win32api:
        return False
    if process_elevated(api.GetCurrentProcess(), api):
        return False  # an elevated Huashu can send keys to anything
    hwnd = api.GetForegroundWindow()
    if not hwnd:
        return False
    return window_process_elevated(hwnd, api)

"""Small Windows helpers (ctypes, user32/kernel32/advapi32), importable on any OS.

Every function that calls Windows checks ``sys.platform`` first and returns a neutral
answer elsewhere, so callers and tests on Linux can import this module.
Not exercised on the Linux CI machine: the pure parts (virtual-key table, modifier
flags) are unit-tested, the ctypes calls follow the Win32 documentation.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

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
        import ctypes

        user32 = ctypes.WinDLL("user32", use_last_error=True)

        def register(ident: int, flags: int, vk: int) -> bool:
            return bool(user32.RegisterHotKey(None, ident, flags, vk))

        def unregister(ident: int) -> bool:
            return bool(user32.UnregisterHotKey(None, ident))

    flags, vk = hotkey_flags(hotkey)
    if register(probe_id, flags, vk):
        unregister(probe_id)
        return False
    return True


def any_key_down() -> bool:
    """True while any keyboard key is down according to ``GetAsyncKeyState``."""
    if sys.platform != "win32":
        return False
    import ctypes

    user32 = ctypes.WinDLL("user32")
    state = user32.GetAsyncKeyState
    return any(state(vk) & 0x8000 for vk in _KEYBOARD_VKS)


def foreground_window() -> int | None:
    """The foreground window's handle (``GetForegroundWindow``), None if there is none."""
    if sys.platform != "win32":
        return None
    import ctypes

    handle = ctypes.WinDLL("user32").GetForegroundWindow()
    return int(handle) if handle else None


def foreground_is_elevated() -> bool:
    """True if the focused window belongs to a process we cannot send keys to.

    Windows drops synthetic input sent to a window of higher integrity (a program run
    as administrator, Qianniu sometimes is). We report it when the foreground process is
    elevated while we are not, or when we may not even query it.
    """
    if sys.platform != "win32":
        return False
    import ctypes
    from ctypes import wintypes

    user32 = ctypes.WinDLL("user32")
    kernel32 = ctypes.WinDLL("kernel32")
    advapi32 = ctypes.WinDLL("advapi32")
    process_query_limited_information = 0x1000
    token_query = 0x0008
    token_elevation_class = 20

    def elevated(process: int) -> bool | None:
        token = wintypes.HANDLE()
        if not advapi32.OpenProcessToken(process, token_query, ctypes.byref(token)):
            return None
        try:
            value = wintypes.DWORD()
            size = wintypes.DWORD()
            ok = advapi32.GetTokenInformation(
                token,
                token_elevation_class,
                ctypes.byref(value),
                ctypes.sizeof(value),
                ctypes.byref(size),
            )
            return bool(value.value) if ok else None
        finally:
            kernel32.CloseHandle(token)

    kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    if elevated(kernel32.GetCurrentProcess()):
        return False  # an elevated Huashu can send keys to anything
    hwnd = user32.GetForegroundWindow()
    if not hwnd:
        return False
    pid = wintypes.DWORD()
    user32.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
    kernel32.OpenProcess.restype = wintypes.HANDLE
    process = kernel32.OpenProcess(process_query_limited_information, False, pid.value)
    if not process:
        log.debug("cannot open the foreground process %s: treating it as elevated", pid.value)
        return True
    try:
        result = elevated(process)
        # Not even allowed to read its token: it runs at a higher integrity level.
        return True if result is None else result
    finally:
        kernel32.CloseHandle(process)

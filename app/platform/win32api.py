"""Every Win32 function Huashu calls, declared once with ``argtypes`` and ``restype``.

ctypes without ``argtypes`` converts Python ints to C ``int``: a 64-bit handle, or the
pseudo-handle of ``GetCurrentProcess()`` (-1, read back as 2**64-1 through a ``HANDLE``
restype), overflows. So no code outside this module touches ``ctypes.WinDLL``/``windll``
(``tests/platform/test_win32api.py`` scans ``app/`` for it), and a function is reachable
only through :data:`FUNCTIONS`::

    from app.platform import win32api
    hwnd = win32api.GetForegroundWindow()

An undeclared name raises ``AttributeError``. The DLLs load on first use, so the module
imports on any OS; calling a function off Windows raises :class:`Win32Unavailable`.
The libraries are our own ``WinDLL`` instances: the argtypes other packages set on
``ctypes.windll`` (``keyboard`` does) never clash with ours.
"""

from __future__ import annotations

import ctypes
import sys
from ctypes import wintypes
from dataclasses import dataclass
from typing import Any

ULONG_PTR = ctypes.c_size_t  # pointer-sized unsigned (wintypes lacks it)


class KEYBDINPUT(ctypes.Structure):
    _fields_ = (
        ("wVk", wintypes.WORD),
        ("wScan", wintypes.WORD),
        ("dwFlags", wintypes.DWORD),
        ("time", wintypes.DWORD),
        ("dwExtraInfo", ULONG_PTR),
    )


class MOUSEINPUT(ctypes.Structure):
    _fields_ = (
        ("dx", wintypes.LONG),
        ("dy", wintypes.LONG),
        ("mouseData", wintypes.DWORD),
        ("dwFlags", wintypes.DWORD),
        ("time", wintypes.DWORD),
        ("dwExtraInfo", ULONG_PTR),
    )


class HARDWAREINPUT(ctypes.Structure):
    _fields_ = (
        ("uMsg", wintypes.DWORD),
        ("wParamL", wintypes.WORD),
        ("wParamH", wintypes.WORD),
    )


class _INPUTUNION(ctypes.Union):
    _fields_ = (("mi", MOUSEINPUT), ("ki", KEYBDINPUT), ("hi", HARDWAREINPUT))


class INPUT(ctypes.Structure):
    """``SendInput``'s INPUT (40 bytes on 64-bit Windows)."""

    _anonymous_ = ("u",)
    _fields_ = (("type", wintypes.DWORD), ("u", _INPUTUNION))


INPUT_KEYBOARD = 1
KEYEVENTF_EXTENDEDKEY = 0x0001
KEYEVENTF_KEYUP = 0x0002
KEYEVENTF_UNICODE = 0x0004

PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
GWL_EXSTYLE = -20
WS_EX_TOPMOST = 0x00000008
WS_EX_TOOLWINDOW = 0x00000080
WS_EX_NOACTIVATE = 0x08000000
TOKEN_QUERY = 0x0008
TOKEN_ELEVATION = 20  # TOKEN_INFORMATION_CLASS.TokenElevation


@dataclass(frozen=True)
class Declaration:
    """One foreign function: its DLL, result type and argument types."""

    dll: str
    restype: Any
    argtypes: tuple[Any, ...]


_H = wintypes.HANDLE
_DWORD = wintypes.DWORD
_BOOL = wintypes.BOOL
_UINT = wintypes.UINT
_INT = ctypes.c_int

#: The only Win32 functions the app may call.
FUNCTIONS: dict[str, Declaration] = {
    # user32: windows, focus, keyboard state, hotkeys, synthetic input
    "GetForegroundWindow": Declaration("user32", wintypes.HWND, ()),
    "SetForegroundWindow": Declaration("user32", _BOOL, (wintypes.HWND,)),
    "AllowSetForegroundWindow": Declaration("user32", _BOOL, (_DWORD,)),
    "BringWindowToTop": Declaration("user32", _BOOL, (wintypes.HWND,)),
    "SetFocus": Declaration("user32", wintypes.HWND, (wintypes.HWND,)),
    "IsWindow": Declaration("user32", _BOOL, (wintypes.HWND,)),
    "GetWindowThreadProcessId": Declaration(
        "user32", _DWORD, (wintypes.HWND, ctypes.POINTER(_DWORD))
    ),
    "AttachThreadInput": Declaration("user32", _BOOL, (_DWORD, _DWORD, _BOOL)),
    "GetWindowTextW": Declaration("user32", _INT, (wintypes.HWND, wintypes.LPWSTR, _INT)),
    "GetClassNameW": Declaration("user32", _INT, (wintypes.HWND, wintypes.LPWSTR, _INT)),
    # user32: where a window is and whether it is minimised (the docked panel follows it)
    "GetWindowRect": Declaration("user32", _BOOL, (wintypes.HWND, ctypes.POINTER(wintypes.RECT))),
    "IsIconic": Declaration("user32", _BOOL, (wintypes.HWND,)),
    "IsWindowVisible": Declaration("user32", _BOOL, (wintypes.HWND,)),
    "GetWindowLongPtrW": Declaration("user32", ctypes.c_ssize_t, (wintypes.HWND, _INT)),
    "SetWindowLongPtrW": Declaration(
        "user32", ctypes.c_ssize_t, (wintypes.HWND, _INT, ctypes.c_ssize_t)
    ),
    "GetAsyncKeyState": Declaration("user32", wintypes.SHORT, (_INT,)),
    "GetKeyState": Declaration("user32", wintypes.SHORT, (_INT,)),
    "MapVirtualKeyW": Declaration("user32", _UINT, (_UINT, _UINT)),
    "RegisterHotKey": Declaration("user32", _BOOL, (wintypes.HWND, _INT, _UINT, _UINT)),
    "UnregisterHotKey": Declaration("user32", _BOOL, (wintypes.HWND, _INT)),
    "SendInput": Declaration("user32", _UINT, (_UINT, ctypes.POINTER(INPUT), _INT)),
    # kernel32: processes and threads
    "GetCurrentProcess": Declaration("kernel32", _H, ()),
    "GetCurrentProcessId": Declaration("kernel32", _DWORD, ()),
    "GetCurrentThreadId": Declaration("kernel32", _DWORD, ()),
    "OpenProcess": Declaration("kernel32", _H, (_DWORD, _BOOL, _DWORD)),
    "CloseHandle": Declaration("kernel32", _BOOL, (_H,)),
    "QueryFullProcessImageNameW": Declaration(
        "kernel32", _BOOL, (_H, _DWORD, wintypes.LPWSTR, ctypes.POINTER(_DWORD))
    ),
    # kernel32: is the data folder on a network drive? (app/platform/filesystems.py)
    "GetDriveTypeW": Declaration("kernel32", _UINT, (wintypes.LPCWSTR,)),
    # kernel32: the user's locale (the command line's language on a console without LANG)
    "GetUserDefaultLocaleName": Declaration("kernel32", _INT, (wintypes.LPWSTR, _INT)),
    # advapi32: access tokens (is a process elevated?)
    "OpenProcessToken": Declaration("advapi32", _BOOL, (_H, _DWORD, ctypes.POINTER(_H))),
    "GetTokenInformation": Declaration(
        "advapi32", _BOOL, (_H, _INT, wintypes.LPVOID, _DWORD, ctypes.POINTER(_DWORD))
    ),
}


class Win32Unavailable(OSError):
    """A Win32 function was called on a system that has none."""


_libraries: dict[str, Any] = {}
_bound: dict[str, Any] = {}


def function(name: str) -> Any:
    """The ctypes function ``name``, loaded and typed on first use."""
    declaration = FUNCTIONS[name]
    bound = _bound.get(name)
    if bound is not None:
        return bound
    if sys.platform != "win32":
        raise Win32Unavailable(f"{name}: the Win32 API exists only on Windows")
    library = _libraries.get(declaration.dll)
    if library is None:
        library = ctypes.WinDLL(declaration.dll, use_last_error=True)  # type: ignore[attr-defined]
        _libraries[declaration.dll] = library
    bound = getattr(library, name)
    bound.restype = declaration.restype
    bound.argtypes = declaration.argtypes
    _bound[name] = bound
    return bound


def last_error() -> int:
    """``GetLastError()`` of the last declared call on this thread."""
    return int(ctypes.get_last_error()) if sys.platform == "win32" else 0  # type: ignore[attr-defined]


def __getattr__(name: str) -> Any:
    if name in FUNCTIONS:
        return function(name)
    raise AttributeError(f"{__name__} declares no Win32 function {name!r}: add it to FUNCTIONS")

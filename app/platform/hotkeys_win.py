"""Windows global hotkeys: ``RegisterHotKey`` and ``WM_HOTKEY`` (default on Windows).

Why not a low-level keyboard hook: Windows silently removes a hook whose process does
not answer within ``LowLevelHooksTimeout`` (a garbage-collection pause or a slow save on
the GUI thread is enough) and every hotkey is then dead until restart. A registered
hotkey has no such failure: ``WM_HOTKEY`` waits in the thread's message queue until the
event loop runs again.

- ``RegisterHotKey(NULL, id, modifiers | MOD_NOREPEAT, vk)`` on the GUI thread posts
  ``WM_HOTKEY`` to that thread's queue; a ``QAbstractNativeEventFilter`` on the
  QApplication takes it out before Qt dispatches it. No extra thread, no window.
- The system consumes the hotkey's key: the focused window does not receive it.
- A combination another program registered makes ``RegisterHotKey`` fail with
  ``ERROR_HOTKEY_ALREADY_REGISTERED``: :class:`~app.core.hotkeys.HotkeyTaken`.
- ``activated`` is emitted from a zero-delay timer, after the native filter returned (opening
  a window from inside a native event filter re-enters the event loop).

The Win32 calls go through :class:`HotkeyApi`, so the bookkeeping and the message
dispatch are tested on any OS with a fake.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QAbstractNativeEventFilter, QCoreApplication, QTimer

from app.platform import win32
from app.platform.hotkeys import (
    GrabBackend,
    Hotkey,
    HotkeyBackendError,
    HotkeyError,
    HotkeyTaken,
)

log = logging.getLogger(__name__)

WM_HOTKEY = 0x0312
ERROR_HOTKEY_ALREADY_REGISTERED = 1409
NATIVE_EVENT_TYPE = b"windows_generic_MSG"
#: Hotkey ids an application may use are 0x0000-0xBFFF; 0xBFFE is win32.hotkey_taken's probe.
FIRST_ID = 1
LAST_ID = 0xBFFD


class HotkeyApi(Protocol):
    """The two Win32 calls the backend needs (real: :class:`User32HotkeyApi`)."""

    def register(self, ident: int, modifiers: int, vk: int) -> int:
        """``RegisterHotKey(NULL, ...)``: 0 on success, else the Windows error code."""
        ...

    def unregister(self, ident: int) -> bool:
        """``UnregisterHotKey(NULL, ident)``."""
        ...


class User32HotkeyApi:
    """:class:`HotkeyApi` on user32 (Windows only), through :mod:`app.platform.win32api`."""

    def __init__(self) -> None:
        from app.platform import win32api

        self._api = win32api
        win32api.function("RegisterHotKey")  # fail here, not at the first registration
        win32api.function("UnregisterHotKey")

    def register(self, ident: int, modifiers: int, vk: int) -> int:
        if self._api.RegisterHotKey(None, ident, modifiers, vk):
            return 0
        return self._api.last_error() or -1

    def unregister(self, ident: int) -> bool:
        return bool(self._api.UnregisterHotKey(None, ident))


def hotkey_id_of(event_type: bytes, hwnd: int, message: int, wparam: int) -> int | None:
    """The hotkey id a native message carries, or None if it is not a thread ``WM_HOTKEY``.

    Only messages posted to the thread (no window) are ours: a ``WM_HOTKEY`` for a window
    belongs to whoever registered it for that window.
    """
    if event_type != NATIVE_EVENT_TYPE or message != WM_HOTKEY or hwnd:
        return None
    return int(wparam)


def read_msg(address: int) -> tuple[int, int, int]:
    """``(hwnd, message, wParam)`` of the ``MSG`` structure at ``address``."""
    from ctypes import wintypes

    msg = wintypes.MSG.from_address(address)
    return int(msg.hWnd or 0), int(msg.message), int(msg.wParam)


class _Filter(QAbstractNativeEventFilter):
    def __init__(self, handle: Callable[[bytes, int], bool]) -> None:
        super().__init__()
        self._handle = handle

    def nativeEventFilter(self, eventType: Any, message: Any) -> tuple[bool, int]:
        try:
            handled = self._handle(bytes(eventType), int(message))
        except Exception:  # an exception must never escape into Qt's event loop
            log.exception("reading a native message failed")
            handled = False
        return handled, 0


class WindowsHotkeyBackend(GrabBackend):
    """:class:`~app.platform.hotkeys.HotkeyBackend` on ``RegisterHotKey`` (Windows)."""

    name = "windows"

    def __init__(
        self,
        api: HotkeyApi | None = None,
        read_message: Callable[[int], tuple[int, int, int]] = read_msg,
    ) -> None:
        app = QCoreApplication.instance()
        if app is None:
            raise HotkeyBackendError("the Windows hotkey backend needs a running QApplication")
        if api is None:
            try:
                api = User32HotkeyApi()
            except (ImportError, OSError, AttributeError) as exc:
                raise HotkeyBackendError(f"user32 is not available here: {exc}") from exc
        super().__init__()
        self._api: HotkeyApi = api
        self._read_message = read_message
        self._ids: dict[str, int] = {}  # canonical -> RegisterHotKey id
        self._by_id: dict[int, str] = {}
        self._next_id = FIRST_ID
        self._filter = _Filter(self._on_native)
        app.installNativeEventFilter(self._filter)

    # -- the grab layer -----------------------------------------------------------------

    def grab(self, hotkey: Hotkey) -> None:
        canonical = str(hotkey)
        modifiers, vk = win32.hotkey_flags(hotkey)
        ident = self._new_id()
        error = self._api.register(ident, modifiers, vk)
        if error == ERROR_HOTKEY_ALREADY_REGISTERED:
            raise HotkeyTaken(f"{canonical} is already used by another program.")
        if error != 0:
            raise HotkeyError(f"Windows refused the hotkey {canonical} (error {error}).")
        self._ids[canonical] = ident
        self._by_id[ident] = canonical
        log.info("registered hotkey %s (RegisterHotKey id %d)", canonical, ident)

    def ungrab(self, hotkey: Hotkey) -> None:
        ident = self._ids.pop(str(hotkey), None)
        if ident is None:
            return
        self._by_id.pop(ident, None)
        if not self._api.unregister(ident):
            log.debug("UnregisterHotKey(%d) failed for %s", ident, hotkey)
        log.info("unregistered hotkey %s", hotkey)

    def _close_source(self) -> None:
        app = QCoreApplication.instance()
        if app is not None:
            app.removeNativeEventFilter(self._filter)

    # -- internals ----------------------------------------------------------------------

    def _new_id(self) -> int:
        used = set(self._by_id)
        for _ in range(LAST_ID - FIRST_ID + 1):
            ident = self._next_id
            self._next_id = FIRST_ID if ident >= LAST_ID else ident + 1
            if ident not in used:
                return ident
        raise HotkeyError("too many hotkeys")  # pragma: no cover - 49,000 hotkeys

    def _on_native(self, event_type: bytes, message: int) -> bool:
        if event_type != NATIVE_EVENT_TYPE or self._closed:
            return False
        hwnd, msg, wparam = self._read_message(message)
        ident = hotkey_id_of(event_type, hwnd, msg, wparam)
        if ident is None:
            return False
        canonical = self._by_id.get(ident)
        if canonical is None:
            return False  # not ours (e.g. another component of this thread)
        QTimer.singleShot(0, lambda: self._dispatch(ident))
        return True

    def _dispatch(self, ident: int) -> None:
        canonical = self._by_id.get(ident)
        if canonical is not None:
            self.pressed(canonical)

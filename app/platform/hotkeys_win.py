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
  ``ERROR_HOTKEY_ALREADY_REGISTERED``: :class:`~app.platform.hotkeys.HotkeyConflict`.
- The callback runs from a zero-delay timer, after the native filter returned (opening
  a window from inside a native event filter re-enters the event loop).

The Win32 calls go through :class:`HotkeyApi`, so the bookkeeping and the message
dispatch are tested on any OS with a fake.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QAbstractNativeEventFilter, QCoreApplication, QTimer

from app.platform import win32
from app.platform.hotkeys import (
    Hotkey,
    HotkeyBackendError,
    HotkeyConflict,
    HotkeyError,
    parse_hotkey,
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


@dataclass
class _Binding:
    hotkey: Hotkey
    callback: Callable[[], None]
    ident: int
    registered: bool = False


class WindowsHotkeyBackend:
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
        self._api: HotkeyApi = api
        self._read_message = read_message
        self._bindings: dict[str, _Binding] = {}
        self._by_id: dict[int, str] = {}
        self._next_id = FIRST_ID
        self._paused = False
        self._closed = False
        self._filter = _Filter(self._on_native)
        app.installNativeEventFilter(self._filter)

    # -- public API ---------------------------------------------------------------------

    def register(self, hotkey: str, callback: Callable[[], None]) -> None:
        self._check_open()
        parsed = parse_hotkey(hotkey)
        canonical = str(parsed)
        if canonical in self._bindings:
            raise HotkeyConflict(
                canonical, f"{canonical} is already registered in Huashu.", by_other_program=False
            )
        binding = _Binding(parsed, callback, self._new_id())
        if not self._paused:
            self._take(binding)
        self._bindings[canonical] = binding
        self._by_id[binding.ident] = canonical
        log.info("registered hotkey %s (RegisterHotKey id %d)", canonical, binding.ident)

    def unregister(self, hotkey: str) -> None:
        try:
            canonical = str(parse_hotkey(hotkey))
        except HotkeyError:
            return
        binding = self._bindings.pop(canonical, None)
        if binding is None:
            return
        self._by_id.pop(binding.ident, None)
        self._release(binding)
        log.info("unregistered hotkey %s", canonical)

    def unregister_all(self) -> None:
        for canonical in list(self._bindings):
            self.unregister(canonical)

    def registered(self) -> list[str]:
        return sorted(self._bindings)

    def set_paused(self, paused: bool) -> list[str]:
        """Release or re-take every hotkey; returns those another program took meanwhile."""
        self._check_open()
        if paused == self._paused:
            return []
        self._paused = paused
        failed: list[str] = []
        for canonical, binding in self._bindings.items():
            if paused:
                self._release(binding)
                continue
            try:
                self._take(binding)
            except HotkeyError as exc:
                log.warning("could not re-take hotkey %s: %s", canonical, exc)
                failed.append(canonical)
        return failed

    def close(self) -> None:
        if self._closed:
            return
        for binding in self._bindings.values():
            self._release(binding)
        self._bindings.clear()
        self._by_id.clear()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeNativeEventFilter(self._filter)
        self._closed = True

    # -- internals ----------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise HotkeyBackendError("the Windows hotkey backend is closed")

    def _new_id(self) -> int:
        used = set(self._by_id)
        for _ in range(LAST_ID - FIRST_ID + 1):
            ident = self._next_id
            self._next_id = FIRST_ID if ident >= LAST_ID else ident + 1
            if ident not in used:
                return ident
        raise HotkeyError("too many hotkeys")  # pragma: no cover - 49,000 hotkeys

    def _take(self, binding: _Binding) -> None:
        canonical = str(binding.hotkey)
        modifiers, vk = win32.hotkey_flags(binding.hotkey)
        error = self._api.register(binding.ident, modifiers, vk)
        if error == 0:
            binding.registered = True
            return
        if error == ERROR_HOTKEY_ALREADY_REGISTERED:
            raise HotkeyConflict(
                canonical, f"{canonical} is already used by another program.", by_other_program=True
            )
        raise HotkeyError(f"Windows refused the hotkey {canonical} (error {error}).")

    def _release(self, binding: _Binding) -> None:
        if not binding.registered:
            return
        binding.registered = False
        if not self._api.unregister(binding.ident):
            log.debug("UnregisterHotKey(%d) failed for %s", binding.ident, binding.hotkey)

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
        binding = self._bindings.get(canonical) if canonical is not None else None
        if binding is None or self._paused or self._closed:
            return
        log.debug("hotkey %s pressed", canonical)
        try:
            binding.callback()
        except Exception:
            log.exception("hotkey callback for %s failed", canonical)

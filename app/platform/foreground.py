"""Giving the keyboard to a window Huashu just showed (the fill-in form, the picker).

Windows' foreground lock: a program in the background may not simply take the
foreground. ``SetForegroundWindow`` from Qt's ``activateWindow()`` then only flashes the
taskbar button, and the form looks active while the keys still go to the chat window.
The thread that received the last input event (the hotkey) is allowed to; attaching our
input queue to the foreground window's thread for the call is what Qt itself does when
asked to always activate (``QWindowsApplication::AlwaysActivateWindow``), which PySide6
does not expose.

On X11 nothing is needed (the window manager gives focus on ``activateWindow()``):
:class:`NoForeground` leaves Qt's behaviour as it is.
"""

from __future__ import annotations

import logging
import sys
from typing import Protocol

log = logging.getLogger(__name__)


class Foreground(Protocol):
    def bring_to_front(self, window: int) -> bool:
        """Make the top-level native window ``window`` the foreground window with the
        keyboard focus; True when it is. Call after Qt's own ``activateWindow()``."""
        ...


class NoForeground:
    """Qt's ``activateWindow()`` is enough here (X11, offscreen)."""

    def bring_to_front(self, window: int) -> bool:
        return True


class ForegroundApi(Protocol):
    """The Win32 calls :class:`WindowsForeground` needs."""

    def foreground_window(self) -> int: ...

    def window_thread(self, hwnd: int) -> int: ...

    def current_thread(self) -> int: ...

    def attach_input(self, thread: int, to_thread: int, attach: bool) -> bool: ...

    def bring_window_to_top(self, hwnd: int) -> None:
        """Top of the z-order, keeping its topmost state (the form stays on top)."""
        ...

    def set_foreground(self, hwnd: int) -> bool: ...

    def set_focus(self, hwnd: int) -> None: ...


class WindowsForeground:
    """:class:`Foreground` through ``AttachThreadInput`` + ``SetForegroundWindow``."""

    def __init__(self, api: ForegroundApi | None = None) -> None:
        self._api: ForegroundApi = api if api is not None else User32ForegroundApi()

    def bring_to_front(self, window: int) -> bool:
        api = self._api
        current = api.foreground_window()
        if current == window:
            return True
        ours = api.current_thread()
        theirs = api.window_thread(current) if current else 0  # no window: nobody to join
        attached = bool(theirs) and theirs != ours and api.attach_input(theirs, ours, True)
        try:
            api.bring_window_to_top(window)
            api.set_foreground(window)
            api.set_focus(window)
        finally:
            if attached:
                api.attach_input(theirs, ours, False)
        ok = api.foreground_window() == window
        if not ok:
            log.info("could not bring window %#x to the foreground", window)
        return ok


class User32ForegroundApi:
    """:class:`ForegroundApi` on user32/kernel32 (Windows only)."""

    def __init__(self) -> None:
        from app.platform import win32api

        self._api = win32api
        win32api.function("AttachThreadInput")  # fail here, not when a form opens

    def foreground_window(self) -> int:
        return int(self._api.GetForegroundWindow() or 0)

    def window_thread(self, hwnd: int) -> int:
        return int(self._api.GetWindowThreadProcessId(hwnd, None))

    def current_thread(self) -> int:
        return int(self._api.GetCurrentThreadId())

    def attach_input(self, thread: int, to_thread: int, attach: bool) -> bool:
        return bool(self._api.AttachThreadInput(thread, to_thread, attach))

    def bring_window_to_top(self, hwnd: int) -> None:
        self._api.BringWindowToTop(hwnd)

    def set_foreground(self, hwnd: int) -> bool:
        return bool(self._api.SetForegroundWindow(hwnd))

    def set_focus(self, hwnd: int) -> None:
        self._api.SetFocus(hwnd)


def make_foreground() -> Foreground:
    """The :class:`Foreground` for this OS (logs why when the Windows one cannot load)."""
    if sys.platform != "win32":
        return NoForeground()
    try:
        return WindowsForeground()
    except (ImportError, OSError, AttributeError) as exc:
        log.warning("cannot force the foreground window here: %s", exc)
        return NoForeground()

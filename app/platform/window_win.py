""":class:`~app.platform.window.WindowInfo` on Windows (declarations in ``win32api``).

The focused window is ``GetForegroundWindow``; its program is the image name of the
owning process (``GetWindowThreadProcessId`` -> ``OpenProcess`` ->
``QueryFullProcessImageNameW``, file name only: ``AliWorkbench.exe``). Geometry is
``GetWindowRect``; ``IsIconic`` means minimised, ``IsWindow`` false means gone.
``api`` replaces the declarations in tests.
"""

from __future__ import annotations

import ctypes
import logging
import ntpath
from ctypes import wintypes
from typing import Any

from app.core.appprofiles import Rect, TargetWindow
from app.platform import win32api
from app.platform.window_state import GONE, MINIMISED, NORMAL

log = logging.getLogger(__name__)


def process_image_name(hwnd: int, api: Any = win32api) -> str:
    """The executable file name of the process owning ``hwnd`` ("" when unknown)."""
    pid = wintypes.DWORD()
    api.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
    if not pid.value:
        return ""
    process = api.OpenProcess(win32api.PROCESS_QUERY_LIMITED_INFORMATION, False, pid.value)
    if not process:
        return ""
    try:
        size = wintypes.DWORD(1024)
        buffer = ctypes.create_unicode_buffer(size.value)
        if not api.QueryFullProcessImageNameW(process, 0, buffer, ctypes.byref(size)):
            return ""
        return ntpath.basename(buffer.value)
    finally:
        api.CloseHandle(process)


def window_title(hwnd: int, api: Any = win32api) -> str:
    buffer = ctypes.create_unicode_buffer(512)
    count = api.GetWindowTextW(hwnd, buffer, len(buffer))
    return buffer.value[: max(0, int(count))]


def make_non_activating(hwnd: int, api: Any = win32api) -> bool:
    """Add ``WS_EX_NOACTIVATE`` (and tool-window, topmost) to a window: clicks in it do not
    take the foreground from the chat window. True when the style is set."""
    style = int(api.GetWindowLongPtrW(hwnd, win32api.GWL_EXSTYLE))
    wanted = style | win32api.WS_EX_NOACTIVATE | win32api.WS_EX_TOOLWINDOW
    if wanted != style:
        api.SetWindowLongPtrW(hwnd, win32api.GWL_EXSTYLE, wanted)
    return bool(int(api.GetWindowLongPtrW(hwnd, win32api.GWL_EXSTYLE)) & win32api.WS_EX_NOACTIVATE)


class Win32WindowInfo:
    name = "win32"

    def __init__(self, api: Any = win32api) -> None:
        self._api = api

    def focused(self) -> TargetWindow | None:
        hwnd = self._api.GetForegroundWindow()
        if not hwnd:
            return None
        return self.describe(int(hwnd))

    def describe(self, window_id: int) -> TargetWindow | None:
        if not self._api.IsWindow(window_id):
            return None
        return TargetWindow(
            window_id,
            process_image_name(window_id, self._api),
            "",
            window_title(window_id, self._api),
        )

    def geometry(self, window_id: int) -> Rect | None:
        rect = wintypes.RECT()
        if not self._api.IsWindow(window_id) or not self._api.GetWindowRect(
            window_id, ctypes.byref(rect)
        ):
            return None
        return (rect.left, rect.top, rect.right - rect.left, rect.bottom - rect.top)

    def state(self, window_id: int) -> str:
        if not self._api.IsWindow(window_id):
            return GONE
        if self._api.IsIconic(window_id) or not self._api.IsWindowVisible(window_id):
            return MINIMISED
        return NORMAL

    def activate(self, window_id: int) -> bool:
        return bool(self._api.SetForegroundWindow(window_id))

    def close(self) -> None:
        pass

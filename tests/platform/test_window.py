"""Window information backends: the fake, Win32 (through a fake API) and X11 (on Xvfb)."""

from __future__ import annotations

import ctypes
from typing import Any

import pytest

from app.core.appprofiles import TargetWindow
from app.platform import win32api
from app.platform.window import GONE, MINIMISED, NORMAL, FakeWindowInfo, NoWindowInfo
from app.platform.window_win import Win32WindowInfo, make_non_activating, process_image_name

# -- fake and none -----------------------------------------------------------------------


def test_fake_window_info() -> None:
    info = FakeWindowInfo()
    chat = info.add(TargetWindow(7, "QQ.exe", "", "QQ"), (1, 2, 3, 4))
    assert info.focused() is None
    info.focus = 7
    assert info.focused() == chat and info.describe(7) == chat
    assert info.geometry(7) == (1, 2, 3, 4) and info.state(7) == NORMAL
    info.minimised.add(7)
    assert info.state(7) == MINIMISED
    assert info.activate(7) is True and info.activate(8) is False
    assert info.activations == [7, 8]
    info.remove(7)
    assert info.state(7) == GONE and info.geometry(7) is None and info.focused() is None
    info.close()
    assert info.closed


def test_no_window_info_knows_nothing() -> None:
    info = NoWindowInfo()
    assert info.focused() is None and info.describe(1) is None and info.geometry(1) is None
    assert info.state(1) == GONE and info.activate(1) is False
    info.close()


# -- Win32 through a fake API ------------------------------------------------------------


class FakeUser32:
    """The declarations Win32WindowInfo uses, answering for one window (hwnd 0x10)."""

    def __init__(self) -> None:
        self.windows = {0x10: ("C:\\Program Files\\AliWorkbench\\AliWorkbench.exe", "千牛 - 接待")}
        self.foreground = 0x10
        self.iconic: set[int] = set()
        self.hidden: set[int] = set()
        self.open_fails = False
        self.query_fails = False
        self.closed: list[int] = []
        self.exstyle = 0x100
        self.set_calls: list[int] = []
        self.activated: list[int] = []

    def GetForegroundWindow(self) -> int:
        return self.foreground

    def IsWindow(self, hwnd: int) -> bool:
        return hwnd in self.windows

    def IsIconic(self, hwnd: int) -> bool:
        return hwnd in self.iconic

    def IsWindowVisible(self, hwnd: int) -> bool:
        return hwnd not in self.hidden

    def GetWindowThreadProcessId(self, hwnd: int, pid: Any) -> int:
        pid._obj.value = 4321 if hwnd in self.windows else 0
        return 1

    def OpenProcess(self, access: int, inherit: bool, pid: int) -> int:
        assert access == win32api.PROCESS_QUERY_LIMITED_INFORMATION and pid == 4321
        return 0 if self.open_fails else 99

    def QueryFullProcessImageNameW(self, process: int, flags: int, buf: Any, size: Any) -> bool:
        if self.query_fails:
            return False
        path = self.windows[self.foreground][0]
        buf.value = path
        size._obj.value = len(path)
        return True

    def CloseHandle(self, handle: int) -> bool:
        self.closed.append(handle)
        return True

    def GetWindowTextW(self, hwnd: int, buf: Any, size: int) -> int:
        title = self.windows[hwnd][1]
        buf.value = title
        return len(title)

    def GetWindowRect(self, hwnd: int, rect: Any) -> bool:
        r = rect._obj
        r.left, r.top, r.right, r.bottom = 100, 50, 900, 650
        return True

    def SetForegroundWindow(self, hwnd: int) -> bool:
        self.activated.append(hwnd)
        return True

    def GetWindowLongPtrW(self, hwnd: int, index: int) -> int:
        assert index == win32api.GWL_EXSTYLE
        return self.exstyle

    def SetWindowLongPtrW(self, hwnd: int, index: int, value: int) -> int:
        self.set_calls.append(value)
        self.exstyle = value
        return 0


def test_win32_focused_window_is_described_by_its_executable() -> None:
    api = FakeUser32()
    info = Win32WindowInfo(api)
    window = info.focused()
    assert window == TargetWindow(0x10, "AliWorkbench.exe", "", "千牛 - 接待")
    assert api.closed == [99]  # the process handle is closed
    assert info.geometry(0x10) == (100, 50, 800, 600)
    assert info.state(0x10) == NORMAL
    api.iconic.add(0x10)
    assert info.state(0x10) == MINIMISED
    api.iconic.clear()
    api.hidden.add(0x10)
    assert info.state(0x10) == MINIMISED
    assert info.activate(0x10) is True and api.activated == [0x10]
    info.close()


def test_win32_missing_windows_and_processes() -> None:
    api = FakeUser32()
    info = Win32WindowInfo(api)
    assert info.state(0x20) == GONE and info.geometry(0x20) is None
    assert info.describe(0x20) is None
    api.foreground = 0
    assert info.focused() is None
    assert process_image_name(0x20, api) == ""  # no process id
    api.open_fails = True
    assert process_image_name(0x10, api) == ""
    api.open_fails = False
    api.query_fails = True
    assert process_image_name(0x10, api) == "" and api.closed == [99]


def test_make_non_activating_sets_the_extended_style_once() -> None:
    api = FakeUser32()
    assert make_non_activating(0x10, api) is True
    wanted = 0x100 | win32api.WS_EX_NOACTIVATE | win32api.WS_EX_TOOLWINDOW
    assert api.set_calls == [wanted]
    assert make_non_activating(0x10, api) is True
    assert api.set_calls == [wanted]  # already set: not written again


def test_new_declarations_are_typed() -> None:
    for name in (
        "GetWindowRect",
        "IsIconic",
        "IsWindowVisible",
        "GetWindowLongPtrW",
        "SetWindowLongPtrW",
    ):
        declaration = win32api.FUNCTIONS[name]
        assert declaration.dll == "user32" and declaration.argtypes
    assert win32api.FUNCTIONS["SetWindowLongPtrW"].argtypes[2] is ctypes.c_ssize_t


# -- X11 on Xvfb -------------------------------------------------------------------------


@pytest.mark.e2e
def test_x11_window_info(x11_env: str) -> None:
    from Xlib import X, Xatom, display

    from app.platform.window_x11 import X11WindowInfo

    d = display.Display(x11_env)
    root = d.screen().root
    win = root.create_window(40, 30, 300, 200, 0, d.screen().root_depth)
    win.set_wm_class("chatinst", "ChatClass")
    win.change_property(
        d.intern_atom("_NET_WM_NAME"), d.intern_atom("UTF8_STRING"), 8, "千牛 客服".encode()
    )
    child = win.create_window(0, 0, 50, 50, 0, d.screen().root_depth)
    win.map()
    child.map()
    d.sync()
    child.set_input_focus(X.RevertToParent, X.CurrentTime)
    d.sync()
    info = X11WindowInfo(x11_env)
    try:
        # No window manager: the focus (a child) is walked up to the WM_CLASS window.
        focused = info.focused()
        assert focused == TargetWindow(win.id, "ChatClass", "chatinst", "千牛 客服")
        assert info.geometry(win.id) == (40, 30, 300, 200)
        assert info.state(win.id) == NORMAL
        win.change_property(d.intern_atom("WM_STATE"), d.intern_atom("WM_STATE"), 32, [3, 0])
        d.sync()
        assert info.state(win.id) == MINIMISED
        win.change_property(d.intern_atom("WM_STATE"), d.intern_atom("WM_STATE"), 32, [1, 0])
        hidden = d.intern_atom("_NET_WM_STATE_HIDDEN")
        win.change_property(d.intern_atom("_NET_WM_STATE"), Xatom.ATOM, 32, [hidden])
        d.sync()
        assert info.state(win.id) == MINIMISED
        win.change_property(d.intern_atom("_NET_WM_STATE"), Xatom.ATOM, 32, [])
        win.unmap()
        d.sync()
        assert info.state(win.id) == MINIMISED
        win.map()
        d.sync()
        assert info.state(win.id) == NORMAL
        assert info.activate(win.id) is True
        # _NET_ACTIVE_WINDOW wins when a window manager sets it.
        other = root.create_window(0, 0, 10, 10, 0, d.screen().root_depth)
        other.set_wm_class("o", "Other")
        other.set_wm_name("legacy title")
        root.change_property(d.intern_atom("_NET_ACTIVE_WINDOW"), Xatom.WINDOW, 32, [other.id])
        d.sync()
        assert info.focused() == TargetWindow(other.id, "Other", "o", "legacy title")
        root.delete_property(d.intern_atom("_NET_ACTIVE_WINDOW"))
        win.destroy()
        d.sync()
        assert info.state(win.id) == GONE
        assert info.geometry(win.id) is None
        assert info.describe(win.id) is None
    finally:
        info.close()
        other.destroy()
        d.close()

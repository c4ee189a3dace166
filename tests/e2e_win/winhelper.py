"""The Windows side of the end-to-end tests: runs under the Windows Python (Wine), ctypes only.

Reads commands (one JSON object a line) on stdin and answers one JSON line each on stdout:

- ``{"cmd": "notepad"}``: the text of the first Notepad window's edit control (read with
  ``WM_GETTEXT``, no keystrokes) and whether Notepad is the foreground window.
- ``{"cmd": "notepad_clear"}``: empty it (``WM_SETTEXT``).
- ``{"cmd": "foreground"}``: title, class and process id of the foreground window; the
  top-level window holding its thread's keyboard focus (``focus_root``, what Windows types
  into); and the X window Wine draws it in (``x_window``, Wine's ``__wine_x11_whole_window``
  property; 0 outside Wine).
- ``{"cmd": "activate_notepad"}``: bring Notepad to the front (this process got input last
  only if the test says so; it uses the same AttachThreadInput call as the app).
- ``{"cmd": "clip_set", "text": "...", "image": true}``: put text and (optionally) a 4x2 DIB
  image on the clipboard, as a screenshot tool would.
- ``{"cmd": "clip_get"}``: the clipboard's text, whether it has an image and that image's
  bytes (hex), and the list of formats.
- ``{"cmd": "hold", "mods": 3, "vk": 55, "id": 1}``: ``RegisterHotKey`` a combination in
  THIS process (another program holding a hotkey); answers ``ok`` and the error ``code``.
  ``{"cmd": "release", "id": 1}`` gives it back.
- ``{"cmd": "quit"}``.

Every Win32 function is declared with argtypes/restype.
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
from ctypes import wintypes

user32 = ctypes.WinDLL("user32", use_last_error=True)
kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)

WNDENUMPROC = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.HWND, wintypes.LPARAM)


def declare(dll: ctypes.WinDLL, name: str, restype: object, *argtypes: object) -> None:
    fn = getattr(dll, name)
    fn.restype = restype
    fn.argtypes = argtypes


declare(user32, "FindWindowW", wintypes.HWND, wintypes.LPCWSTR, wintypes.LPCWSTR)
declare(
    user32,
    "FindWindowExW",
    wintypes.HWND,
    wintypes.HWND,
    wintypes.HWND,
    wintypes.LPCWSTR,
    wintypes.LPCWSTR,
)
declare(
    user32,
    "SendMessageW",
    ctypes.c_ssize_t,
    wintypes.HWND,
    wintypes.UINT,
    wintypes.WPARAM,
    wintypes.LPARAM,
)
declare(user32, "GetForegroundWindow", wintypes.HWND)
declare(user32, "GetWindowTextW", ctypes.c_int, wintypes.HWND, wintypes.LPWSTR, ctypes.c_int)
declare(user32, "GetClassNameW", ctypes.c_int, wintypes.HWND, wintypes.LPWSTR, ctypes.c_int)
declare(
    user32,
    "GetWindowThreadProcessId",
    wintypes.DWORD,
    wintypes.HWND,
    ctypes.POINTER(wintypes.DWORD),
)
declare(user32, "AttachThreadInput", wintypes.BOOL, wintypes.DWORD, wintypes.DWORD, wintypes.BOOL)
declare(user32, "SetForegroundWindow", wintypes.BOOL, wintypes.HWND)
declare(user32, "SetFocus", wintypes.HWND, wintypes.HWND)
declare(user32, "BringWindowToTop", wintypes.BOOL, wintypes.HWND)
declare(user32, "OpenClipboard", wintypes.BOOL, wintypes.HWND)
declare(user32, "CloseClipboard", wintypes.BOOL)
declare(user32, "EmptyClipboard", wintypes.BOOL)
declare(user32, "SetClipboardData", wintypes.HANDLE, wintypes.UINT, wintypes.HANDLE)
declare(user32, "GetClipboardData", wintypes.HANDLE, wintypes.UINT)
declare(user32, "EnumClipboardFormats", wintypes.UINT, wintypes.UINT)
declare(user32, "IsClipboardFormatAvailable", wintypes.BOOL, wintypes.UINT)
declare(
    user32,
    "RegisterHotKey",
    wintypes.BOOL,
    wintypes.HWND,
    ctypes.c_int,
    wintypes.UINT,
    wintypes.UINT,
)
declare(user32, "UnregisterHotKey", wintypes.BOOL, wintypes.HWND, ctypes.c_int)
declare(user32, "EnumWindows", wintypes.BOOL, WNDENUMPROC, wintypes.LPARAM)
declare(user32, "IsWindowVisible", wintypes.BOOL, wintypes.HWND)
declare(user32, "GetAncestor", wintypes.HWND, wintypes.HWND, wintypes.UINT)
declare(user32, "GetPropW", wintypes.HANDLE, wintypes.HWND, wintypes.LPCWSTR)


class GUITHREADINFO(ctypes.Structure):
    _fields_ = [
        ("cbSize", wintypes.DWORD),
        ("flags", wintypes.DWORD),
        ("hwndActive", wintypes.HWND),
        ("hwndFocus", wintypes.HWND),
        ("hwndCapture", wintypes.HWND),
        ("hwndMenuOwner", wintypes.HWND),
        ("hwndMoveSize", wintypes.HWND),
        ("hwndCaret", wintypes.HWND),
        ("rcCaret", wintypes.RECT),
    ]


declare(user32, "GetGUIThreadInfo", wintypes.BOOL, wintypes.DWORD, ctypes.POINTER(GUITHREADINFO))
declare(kernel32, "GlobalAlloc", wintypes.HGLOBAL, wintypes.UINT, ctypes.c_size_t)
declare(kernel32, "GlobalLock", wintypes.LPVOID, wintypes.HGLOBAL)
declare(kernel32, "GlobalUnlock", wintypes.BOOL, wintypes.HGLOBAL)
declare(kernel32, "GlobalSize", ctypes.c_size_t, wintypes.HGLOBAL)
declare(kernel32, "GetCurrentThreadId", wintypes.DWORD)
declare(kernel32, "Sleep", None, wintypes.DWORD)

WM_SETTEXT = 0x000C
WM_GETTEXT = 0x000D
WM_GETTEXTLENGTH = 0x000E
CF_UNICODETEXT = 13
CF_DIB = 8
GMEM_MOVEABLE = 0x0002
GA_ROOT = 2
HOTKEY_ID = 0x0B0B

#: A 4x2 24-bit bottom-up DIB (BITMAPINFOHEADER + pixels): red, green, blue, white rows.
DIB = (
    (40).to_bytes(4, "little")
    + (4).to_bytes(4, "little", signed=True)
    + (2).to_bytes(4, "little", signed=True)
    + (1).to_bytes(2, "little")
    + (24).to_bytes(2, "little")
    + bytes(4)  # BI_RGB
    + (24).to_bytes(4, "little")
    + bytes(16)
    + bytes([0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255])
    + bytes([255, 255, 255, 0, 0, 0, 128, 128, 128, 10, 20, 30])
)


def window_text(hwnd: int) -> str:
    buf = ctypes.create_unicode_buffer(512)
    user32.GetWindowTextW(hwnd, buf, 512)
    return buf.value


def class_name(hwnd: int) -> str:
    buf = ctypes.create_unicode_buffer(256)
    user32.GetClassNameW(hwnd, buf, 256)
    return buf.value


def notepad() -> int:
    return int(user32.FindWindowW("Notepad", None) or 0)


def notepad_edit() -> int:
    top = notepad()
    if not top:
        return 0
    return int(user32.FindWindowExW(top, None, "Edit", None) or 0)


def edit_text(edit: int) -> str:
    length = user32.SendMessageW(edit, WM_GETTEXTLENGTH, 0, 0)
    buf = ctypes.create_unicode_buffer(length + 1)
    user32.SendMessageW(edit, WM_GETTEXT, length + 1, ctypes.addressof(buf))
    return buf.value


def process_of(hwnd: int) -> int:
    pid = wintypes.DWORD()
    user32.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
    return int(pid.value)


def focus_root(hwnd: int) -> int:
    """The top-level window that holds the keyboard focus of ``hwnd``'s thread (0: none)."""
    info = GUITHREADINFO(cbSize=ctypes.sizeof(GUITHREADINFO))
    if not user32.GetGUIThreadInfo(user32.GetWindowThreadProcessId(hwnd, None), info):
        return 0
    focus = info.hwndFocus or info.hwndActive
    return int(user32.GetAncestor(focus, GA_ROOT) or 0) if focus else 0


def foreground() -> dict[str, object]:
    hwnd = int(user32.GetForegroundWindow() or 0)
    if not hwnd:
        return {"hwnd": 0, "title": "", "class": "", "pid": 0, "focus_root": 0, "x_window": 0}
    return {
        "hwnd": hwnd,
        "title": window_text(hwnd),
        "class": class_name(hwnd),
        "pid": process_of(hwnd),
        "focus_root": focus_root(hwnd),
        "x_window": int(user32.GetPropW(hwnd, "__wine_x11_whole_window") or 0),
    }


def activate(hwnd: int) -> bool:
    fg = int(user32.GetForegroundWindow() or 0)
    ours = kernel32.GetCurrentThreadId()
    theirs = user32.GetWindowThreadProcessId(fg, None) if fg else 0
    attached = bool(theirs and theirs != ours and user32.AttachThreadInput(theirs, ours, True))
    try:
        user32.BringWindowToTop(hwnd)
        user32.SetForegroundWindow(hwnd)
    finally:
        if attached:
            user32.AttachThreadInput(theirs, ours, False)
    return int(user32.GetForegroundWindow() or 0) == hwnd


def open_clipboard() -> None:
    for _ in range(100):
        if user32.OpenClipboard(None):
            return
        kernel32.Sleep(20)
    raise OSError(f"OpenClipboard failed: {ctypes.get_last_error()}")


def global_copy(data: bytes) -> int:
    handle = kernel32.GlobalAlloc(GMEM_MOVEABLE, len(data))
    pointer = kernel32.GlobalLock(handle)
    ctypes.memmove(pointer, data, len(data))
    kernel32.GlobalUnlock(handle)
    return int(handle)


def global_read(handle: int) -> bytes:
    size = kernel32.GlobalSize(handle)
    pointer = kernel32.GlobalLock(handle)
    try:
        return ctypes.string_at(pointer, size)
    finally:
        kernel32.GlobalUnlock(handle)


def clip_set(text: str, image: bool) -> dict[str, object]:
    open_clipboard()
    try:
        user32.EmptyClipboard()
        user32.SetClipboardData(CF_UNICODETEXT, global_copy((text + "\0").encode("utf-16-le")))
        if image:
            user32.SetClipboardData(CF_DIB, global_copy(DIB))
    finally:
        user32.CloseClipboard()
    return clip_get()


def clip_get() -> dict[str, object]:
    open_clipboard()
    try:
        formats = []
        fmt = 0
        while True:
            fmt = user32.EnumClipboardFormats(fmt)
            if not fmt:
                break
            formats.append(int(fmt))
        text = ""
        handle = user32.GetClipboardData(CF_UNICODETEXT)
        if handle:
            text = global_read(handle).decode("utf-16-le", "replace").split("\0", 1)[0]
        pixels = ""
        handle = user32.GetClipboardData(CF_DIB)
        if handle:
            dib = global_read(handle)
            header = int.from_bytes(dib[0:4], "little")
            width = int.from_bytes(dib[4:8], "little", signed=True)
            height = int.from_bytes(dib[8:12], "little", signed=True)
            bits = int.from_bytes(dib[14:16], "little")
            pixels = f"{width}x{height}x{bits}:" + dib[header : header + 24].hex()
    finally:
        user32.CloseClipboard()
    return {"text": text, "formats": formats, "image": pixels}


def main() -> int:
    held: set[int] = set()
    print(json.dumps({"event": "ready", "pid": os.getpid()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        cmd = request["cmd"]
        answer: dict[str, object] = {"event": cmd}
        try:
            if cmd == "notepad":
                edit = notepad_edit()
                answer.update(found=bool(edit), text=edit_text(edit) if edit else "")
                answer["front"] = int(user32.GetForegroundWindow() or 0) == notepad()
            elif cmd == "notepad_clear":
                edit = notepad_edit()
                empty = ctypes.create_unicode_buffer("")
                sent = edit and user32.SendMessageW(edit, WM_SETTEXT, 0, ctypes.addressof(empty))
                answer["ok"] = bool(sent)
            elif cmd == "foreground":
                answer.update(foreground())
            elif cmd == "activate_notepad":
                answer["ok"] = bool(notepad()) and activate(notepad())
            elif cmd == "clip_set":
                answer.update(clip_set(request["text"], bool(request.get("image"))))
            elif cmd == "clip_get":
                answer.update(clip_get())
            elif cmd == "hold":
                ident = int(request.get("id", HOTKEY_ID))
                ok = bool(user32.RegisterHotKey(None, ident, request["mods"], request["vk"]))
                if ok:
                    held.add(ident)
                answer.update(ok=ok, code=0 if ok else ctypes.get_last_error())
            elif cmd == "release":
                ident = int(request.get("id", HOTKEY_ID))
                answer["ok"] = ident in held and bool(user32.UnregisterHotKey(None, ident))
                held.discard(ident)
            elif cmd == "quit":
                print(json.dumps(answer), flush=True)
                return 0
            else:
                answer["error"] = f"unknown command {cmd}"
        except Exception as exc:  # report, keep serving
            answer["error"] = f"{type(exc).__name__}: {exc}"
        print(json.dumps(answer, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

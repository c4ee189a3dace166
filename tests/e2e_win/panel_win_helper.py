"""Windows side of test_panel_win.py (run with the Wine lane's Windows Python).

Docks the real :class:`~app.ui.panel.DockedPanel` to the foreground window (Wine's notepad,
activated by the test), wired to the real paste pipeline (Qt clipboard, the Windows
paster) and the Win32 window information, exactly as the app does. Prints JSON lines:

- ``{"ready": ..., "row": [x, y], "panel": [x, y, w, h], "target": hwnd, ...}`` once the
  panel is docked (``row``: screen position of the first phrase, for the test's click);
- ``{"delivered": ..., "foreground": hwnd, "text": notepad's text, ...}`` after the click
  pasted, then exits. Exits with status 3 after 40 s without a click.
"""

from __future__ import annotations

import ctypes
import json
import sys
import time
from ctypes import wintypes

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

REPLY = "您好，这是面板里的话术 panel-ok"


def out(**data: object) -> None:
    print(json.dumps(data, ensure_ascii=False), flush=True)


def edit_text(hwnd: int) -> str:
    """notepad's text: WM_GETTEXT on its Edit child (another process: SendMessage)."""
    user32 = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined]
    user32.FindWindowExW.restype = wintypes.HWND
    user32.FindWindowExW.argtypes = (wintypes.HWND, wintypes.HWND, wintypes.LPCWSTR,
                                     wintypes.LPCWSTR)  # fmt: skip
    user32.SendMessageW.restype = ctypes.c_ssize_t
    user32.SendMessageW.argtypes = (wintypes.HWND, wintypes.UINT, ctypes.c_size_t,
                                    ctypes.c_void_p)  # fmt: skip
    edit = user32.FindWindowExW(hwnd, None, "Edit", None)
    if not edit:
        return "<no Edit child>"
    buffer = ctypes.create_unicode_buffer(4096)
    user32.SendMessageW(edit, 0x000D, len(buffer), ctypes.addressof(buffer))  # WM_GETTEXT
    return buffer.value


def window_class(hwnd: int) -> str:
    from app.platform import win32api

    buffer = ctypes.create_unicode_buffer(256)
    win32api.GetClassNameW(hwnd, buffer, len(buffer))
    return buffer.value


def main() -> int:
    from app.core.appprofiles import ProfileSet, load_builtin
    from app.platform.clipboard import make_clipboard
    from app.platform.paste import make_paster
    from app.platform.pipeline import PastePipeline, own_window_ids
    from app.platform.window_win import Win32WindowInfo, make_non_activating
    from app.ui.panel import DockedPanel
    from app.ui.picker import PickerItem

    app = QApplication(sys.argv[:1])
    windows = Win32WindowInfo()
    clipboard, _why = make_clipboard("auto")
    paster, why = make_paster("auto")
    builtin, _problems = load_builtin()
    pipeline = PastePipeline(
        clipboard, paster, windows=windows, profiles=ProfileSet(builtin, []), restore_delay_ms=50
    )
    rows = [PickerItem("p1", "面板话术", "测试", "", REPLY)]
    panel = DockedPanel(
        windows, lambda: [("c", "测试")], lambda _c, _q: rows, own_windows=own_window_ids
    )
    wanted = sys.argv[1].lower() if len(sys.argv) > 1 else "notepad.exe"
    deadline = time.monotonic() + 30
    target = windows.focused()
    while target is None or target.app.lower() != wanted:
        if time.monotonic() > deadline:
            out(error=f"{wanted} never came to the foreground", foreground=str(target))
            return 2
        time.sleep(0.2)
        target = windows.focused()
    state: dict[str, object] = {"profiles": []}
    pipeline.profile_used.connect(lambda pid: state["profiles"].append(pid))  # type: ignore[union-attr]

    def chosen(phrase_id: str) -> None:
        state["chosen"] = phrase_id
        state["foreground_at_click"] = windows.focused().id if windows.focused() else None  # type: ignore[union-attr]
        pipeline.run(REPLY, tag=phrase_id)

    def delivered(tag: str, how: str) -> None:
        QTimer.singleShot(300, lambda: finish(tag, how))

    def finish(tag: str, how: str) -> None:
        focused = windows.focused()
        out(
            delivered=tag,
            how=how,
            foreground=focused.id if focused else None,
            foreground_app=focused.app if focused else None,
            target=target.id,
            panel_hwnd=int(panel.winId()),
            foreground_class=window_class(focused.id) if focused else "",
            text=edit_text(target.id),
            **state,
        )
        panel.undock()
        app.quit()

    panel.chosen.connect(chosen)
    pipeline.delivered.connect(delivered)
    pipeline.message.connect(lambda m: out(message=m))
    panel.dock(target)

    def report() -> None:
        item = panel.phrase_list.item(0)
        rect = panel.phrase_list.visualItemRect(item)
        point = panel.phrase_list.viewport().mapToGlobal(rect.center())
        g = panel.frameGeometry()
        hwnd = int(panel.winId())
        from app.platform import win32api

        style = int(win32api.GetWindowLongPtrW(hwnd, win32api.GWL_EXSTYLE))
        out(
            ready=True,
            row=[point.x(), point.y()],
            panel=[g.x(), g.y(), g.width(), g.height()],
            target=target.id,
            target_app=target.app,
            target_rect=list(windows.geometry(target.id) or ()),
            qt_noactivate=bool(style & win32api.WS_EX_NOACTIVATE),
            noactivate=make_non_activating(hwnd),
            paster=why,
        )

    QTimer.singleShot(800, report)
    last: list[object] = [None]

    def watch() -> None:
        f = windows.focused()
        now = (f.id, window_class(f.id)) if f else None
        if now != last[0]:
            last[0] = now
            out(foreground_now=now)

    watcher = QTimer()
    watcher.timeout.connect(watch)
    watcher.start(50)  # the log shows who had the foreground when (for diagnosis)
    QTimer.singleShot(40_000, lambda: app.exit(3))
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())

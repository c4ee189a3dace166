"""What this machine offers: cheap checks used by the backend factories and the doctor.

Each ``*_problem()`` returns None when the capability is usable, else a short English
reason a user can act on.
"""

from __future__ import annotations

import functools
import glob
import os
import shutil
import sys

from app.platform.x11 import X11Unavailable, keep_spare, open_display


def is_windows() -> bool:
    return sys.platform == "win32"


def is_linux() -> bool:
    return sys.platform.startswith("linux")


def wayland_session() -> bool:
    return os.environ.get("XDG_SESSION_TYPE", "").lower() == "wayland" or bool(
        os.environ.get("WAYLAND_DISPLAY")
    )


def x11_problem(*, need_xtest: bool = False) -> str | None:
    """Why X11 hotkeys/XTEST cannot be used, or None (the server is asked once)."""
    if not is_linux() and not os.environ.get("DISPLAY"):
        return "not an X11 system"
    problem, has_xtest = _x11_facts(os.environ.get("DISPLAY", ""))
    if problem is None and need_xtest and not has_xtest:
        return "the X server has no XTEST extension"
    return problem


@functools.lru_cache(maxsize=8)
def _x11_facts(display_name: str) -> tuple[str | None, bool]:
    # Opening a connection costs ~10-20 ms (python-xlib queries every extension) and the
    # hotkey and paste factories both ask: one connection answers both.
    try:
        display = open_display(display_name or None)
    except X11Unavailable as exc:
        return str(exc), False
    has_xtest = bool(display.has_extension("XTEST"))
    keep_spare(display)
    return None, has_xtest


def keyboard_problem() -> str | None:
    """Why the ``keyboard`` package cannot hook the keyboard here, or None."""
    try:
        import keyboard  # noqa: F401
    except ImportError as exc:
        return f"the keyboard package is not installed ({exc})"
    if is_windows():
        return None
    if is_linux():
        geteuid = getattr(os, "geteuid", None)
        if geteuid is not None and geteuid() != 0:
            return "keyboard needs root and /dev/input (Huashu is not running as root)"
        if not glob.glob("/dev/input/event*"):
            return "keyboard needs root and /dev/input (no keyboard devices under /dev/input)"
        return None
    return f"the keyboard backend is not supported on {sys.platform}"


def tool_path(name: str) -> str | None:
    return shutil.which(name)

"""Whether the tray app can start here at all: a desktop session with a display."""

from __future__ import annotations

import os
import sys

from app.core.problems import Msg


def display_problem(env: dict[str, str] | None = None, platform: str = sys.platform) -> str:
    """Why the tray app cannot start here (no display), or "" when it can."""
    env = dict(os.environ) if env is None else env
    if platform in ("win32", "darwin", "cygwin"):
        return ""
    qpa = env.get("QT_QPA_PLATFORM", "")
    if qpa and not qpa.startswith(("xcb", "wayland")):
        return ""  # offscreen, vnc, eglfs...: the user chose a platform without a display
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return ""
    return Msg("display.missing")

"""The user's locale name without Qt (for the command line): the environment's locale
variables, and on Windows, where a console rarely sets them, the user's default locale."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping

from app.core.language import locale_from_env


def _windows_locale() -> str:  # pragma: no cover - Windows only (the Wine lane)
    import ctypes

    from app.platform import win32api

    buf = ctypes.create_unicode_buffer(85)  # LOCALE_NAME_MAX_LENGTH
    if not win32api.GetUserDefaultLocaleName(buf, len(buf)):
        return ""
    return str(buf.value).replace("-", "_")  # "zh-CN" -> "zh_CN", as Qt names it


def system_locale(
    env: Mapping[str, str] | None = None,
    platform: str = sys.platform,
    windows: Callable[[], str] = _windows_locale,
) -> str:
    """The locale name (``zh_CN.UTF-8``, ``C``, ``zh_CN``...), or "" when nothing says."""
    found = locale_from_env(os.environ if env is None else env)
    if found or platform != "win32":
        return found
    try:
        return windows()
    except (OSError, AttributeError, ValueError):
        return ""

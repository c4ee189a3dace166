"""The tray app's paste and clipboard backends, each falling back (and saying so once,
through ``problems``) when the preferred one does not work here."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from pathlib import Path

    from app.platform.clipboard import Clipboard
    from app.platform.paste import Paster

log = logging.getLogger("app.main")


def tr(text: str, *args: str) -> str:
    """Translate ``text`` and fill its %1, %2... markers with ``args``."""
    out = QCoreApplication.translate("HuashuApp", text)
    for i, arg in reversed(list(enumerate(args, 1))):
        out = out.replace(f"%{i}", arg)
    return out


def make_paster(hotkey_backend: str, problems: list[str]) -> Paster | None:
    """The paste backend that suits the hotkey backend: with the ``keyboard`` hook on
    Windows, its own paster (the hook hides held keys from ``GetAsyncKeyState``)."""
    from app.platform.paste import PasteError
    from app.platform.paste import make_paster as choose

    preference = "keyboard" if hotkey_backend == "keyboard" and sys.platform == "win32" else "auto"
    try:
        paster, why = choose(preference)
    except PasteError as exc:
        problems.append(
            tr(
                "Huashu cannot send keystrokes here (%1): replies are copied; paste them "
                "with Ctrl+V.",
                str(exc),
            )
        )
        return None
    log.info("paste backend: %s (%s)", paster.name, why)
    return paster


def make_clipboard(preference: str, problems: list[str]) -> Clipboard:
    from app.platform.clipboard import ClipboardError
    from app.platform.clipboard import make_clipboard as choose

    try:
        clipboard, why = choose(preference)
    except ClipboardError as exc:
        if preference == "auto":
            raise  # the Qt clipboard always works inside a running QApplication
        problems.append(
            tr(
                "The clipboard backend %1 does not work here (%2); using the Qt clipboard.",
                preference,
                str(exc),
            )
        )
        clipboard, why = choose("auto")
    log.info("clipboard backend: %s (%s)", clipboard.name, why)
    return clipboard


IM_NOTICE_FILE = "input-method-notice-shown"


def warn_input_method_once(home: Path, problems: list[str], problem: str | None) -> bool:
    """Tell the user (once per Huashu folder ``home``, through ``problems``) that Chinese
    cannot be typed in our windows."""
    marker = home / IM_NOTICE_FILE
    if not problem or marker.exists():
        return False
    problems.append(
        tr(
            "Chinese input may not work in Huashu's own windows (picker, fill-in form): %1. "
            "Replies are still pasted; type Chinese fill-in values elsewhere and paste them.",
            problem,
        )
    )
    try:
        marker.write_text(problem + "\n", encoding="utf-8")
    except OSError:
        log.warning("could not write %s", marker)
    return True

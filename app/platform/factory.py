"""Choosing OS backends, and the ``huashu doctor`` report of what works here.

``make_hotkey_backend`` lives here; the clipboard and paste factories live next to their
backends (:func:`app.platform.clipboard.make_clipboard`,
:func:`app.platform.paste.make_paster`). Every factory returns ``(backend, reason)`` and
logs its choice; an explicit choice that cannot work raises with a clear message, while
``auto`` falls back and says why.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable

from app.core.settings import HOTKEY_BACKENDS
from app.platform import probe
from app.platform.hotkeys import HotkeyBackend, HotkeyBackendError
from app.platform.paste import choose_paster

log = logging.getLogger(__name__)

__all__ = ["HOTKEY_BACKENDS", "HOTKEY_BACKEND_CHECKS", "choose_hotkey_backend"]


def _windows_problem() -> str | None:
    return None if probe.is_windows() else "not Windows"


#: Why each named hotkey backend cannot work here (None: it can). The names are the
#: core registry's (:data:`app.core.settings.HOTKEY_BACKENDS`), "auto" aside.
HOTKEY_BACKEND_CHECKS: dict[str, Callable[[], str | None]] = {
    "windows": _windows_problem,
    "keyboard": lambda: probe.keyboard_problem(),
    "x11": lambda: probe.x11_problem(),
}

_WAYLAND_NOTE = "Wayland session: global hotkeys only reach XWayland windows"


def choose_hotkey_backend(preference: str = "auto") -> tuple[str | None, str]:
    """Which hotkey backend ``preference`` leads to here, and why (no side effects).

    Returns ``(None, reason)`` when nothing can work.
    """
    if preference not in HOTKEY_BACKENDS:
        known = ", ".join(HOTKEY_BACKENDS)
        return None, f"unknown hotkey backend '{preference}' ({known})"
    if preference != "auto":
        problem = HOTKEY_BACKEND_CHECKS[preference]()
        if problem:
            return None, f"{preference} backend unavailable: {problem}"
    if preference == "windows":
        return "windows", "RegisterHotKey (chosen in settings)"
    if preference == "keyboard":
        return "keyboard", "keyboard package (chosen in settings)"
    if preference == "x11":
        reason = "XGrabKey on the X server (chosen in settings)"
        return "x11", reason + ("; " + _WAYLAND_NOTE if probe.wayland_session() else "")
    if probe.is_windows():
        return "windows", "RegisterHotKey: system hotkeys, no keyboard hook (Windows default)"
    x_problem = probe.x11_problem()
    if x_problem is None:
        reason = "XGrabKey on the X server (X11 default)"
        return "x11", reason + ("; " + _WAYLAND_NOTE if probe.wayland_session() else "")
    kb_problem = probe.keyboard_problem()
    if kb_problem is None:
        return "keyboard", f"keyboard package (root with /dev/input); x11 unavailable: {x_problem}"
    return None, f"no global hotkeys: x11: {x_problem}; keyboard: {kb_problem}"


def make_hotkey_backend(preference: str = "auto") -> tuple[HotkeyBackend, str]:
    """Create the hotkey backend for ``preference`` (``auto``, ``windows``, ``keyboard``,
    ``x11``).

    Needs a running QApplication. Raises :class:`HotkeyBackendError` with the reason when
    no backend (or not the explicitly chosen one) can work.
    """
    name, reason = choose_hotkey_backend(preference)
    if name is None:
        raise HotkeyBackendError(reason)
    backend: HotkeyBackend
    if name == "windows":
        from app.platform.hotkeys_win import WindowsHotkeyBackend

        try:
            return _chosen(WindowsHotkeyBackend(), name, reason)
        except HotkeyBackendError as exc:
            if preference != "auto" or probe.keyboard_problem() is not None:
                raise
            log.warning("RegisterHotKey failed (%s); trying the keyboard package", exc)
            name, reason = "keyboard", f"keyboard package; RegisterHotKey failed: {exc}"
    if name == "x11":
        from app.platform.hotkeys_x11 import X11HotkeyBackend

        try:
            backend = X11HotkeyBackend()
        except HotkeyBackendError as exc:
            if preference != "auto" or probe.keyboard_problem() is not None:
                raise
            log.warning("x11 hotkeys failed (%s); trying the keyboard package", exc)
            name, reason = "keyboard", f"keyboard package; x11 failed: {exc}"
    if name == "keyboard":
        from app.platform.hotkeys_keyboard import KeyboardHotkeyBackend

        backend = KeyboardHotkeyBackend()
    return _chosen(backend, name, reason)


def _chosen(backend: HotkeyBackend, name: str, reason: str) -> tuple[HotkeyBackend, str]:
    log.info("hotkey backend: %s (%s)", name, reason)
    return backend, reason


def _session_row() -> tuple[str, str, str]:
    if probe.is_windows():
        return ("system", "windows", sys.platform)
    session = os.environ.get("XDG_SESSION_TYPE", "") or "unknown"
    display = os.environ.get("DISPLAY", "")
    detail = f"session type {session}, DISPLAY={display or '(unset)'}"
    if probe.wayland_session():
        detail += f", WAYLAND_DISPLAY={os.environ.get('WAYLAND_DISPLAY', '(unset)')}"
    return ("system", sys.platform, detail)


def doctor_report(
    hotkey_preference: str = "auto",
    paste_preference: str = "auto",
    clipboard_preference: str = "auto",
) -> list[tuple[str, str, str]]:
    """Rows of (capability, backend chosen or "none", why / what is missing).

    Cheap and side-effect free: it probes, it does not grab keys or touch the clipboard's
    content. Works without a QApplication (the command line ``huashu doctor``).
    """
    rows = [_session_row()]

    name, reason = choose_hotkey_backend(hotkey_preference)
    rows.append(("global hotkeys", name or "none", reason))

    paste_name, paste_reason = choose_paster(paste_preference)
    rows.append(("paste keystrokes", paste_name or "none", paste_reason))
    if paste_name is None:
        rows.append(("paste mode", "copy", "without keystrokes Huashu can only copy"))

    rows.extend(_clipboard_rows(clipboard_preference))
    return rows


def _clipboard_rows(preference: str) -> list[tuple[str, str, str]]:
    from app.platform.clipboard import pyperclip_problem

    rows: list[tuple[str, str, str]] = []
    pyperclip_issue = pyperclip_problem()
    if preference in ("auto", "qt"):
        rows.append(
            (
                "clipboard",
                "qt",
                "Qt clipboard of the running app: all formats, restored after paste",
            )
        )
    elif pyperclip_issue is None:
        rows.append(("clipboard", "pyperclip", "chosen in settings; text only"))
    else:
        rows.append(("clipboard", "none", f"pyperclip chosen in settings: {pyperclip_issue}"))
    if probe.is_linux():
        tools = [t for t in ("xclip", "xsel", "wl-copy") if probe.tool_path(t)]
        helper = f"{', '.join(tools)} found" if tools else "xclip not found (install xclip)"
        detail = pyperclip_issue or f"works ({helper})"
        if pyperclip_issue and not tools:
            detail = f"{helper}; {pyperclip_issue}"
        rows.append(("clipboard fallback", "pyperclip" if not pyperclip_issue else "none", detail))
    else:
        rows.append(
            (
                "clipboard fallback",
                "pyperclip" if not pyperclip_issue else "none",
                pyperclip_issue or "works",
            )
        )
    return rows

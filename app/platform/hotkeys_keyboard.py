"""Global hotkeys through the ``keyboard`` package (default on Windows).

On Windows it installs a low-level keyboard hook (no admin rights needed) and, with
``suppress=True``, swallows the hotkey so the focused window does not receive it. On
Linux it needs root and devices under /dev/input.

The package calls our handler on its own hook thread, and Windows removes hooks whose
callbacks are slow: the handler only posts a relay ticket (:mod:`app.platform.relay`; the
hook thread never holds a Qt object), and ``activated`` is emitted on the GUI thread.

Conflicts: hotkeys bound twice in Huashu are refused. On Windows a combination that
another program registered (``RegisterHotKey``) is detected by a short probe; hooks of
other programs cannot be seen.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.platform import relay, win32
from app.platform.hotkeys import (
    GrabBackend,
    Hotkey,
    HotkeyBackendError,
    HotkeyError,
    HotkeyTaken,
    HotkeyUnsupported,
)

log = logging.getLogger(__name__)

# Canonical names that the keyboard package spells differently.
_KEYBOARD_NAMES = {"win": "windows", "comma": ","}


def keyboard_keys(hotkey: Hotkey) -> tuple[str, ...]:
    """The hotkey as a tuple of keyboard-package key names (avoids its '+'/',' parsing)."""
    ordered = [m for m in ("ctrl", "alt", "shift", "win") if m in hotkey.modifiers]
    return tuple(_KEYBOARD_NAMES.get(k, k) for k in [*ordered, hotkey.key])


class KeyboardHotkeyBackend(GrabBackend):
    """:class:`~app.platform.hotkeys.HotkeyBackend` on the ``keyboard`` package."""

    name = "keyboard"

    def __init__(
        self,
        *,
        suppress: bool | None = None,
        probe_other_programs: bool | None = None,
        keyboard_module: Any = None,
    ) -> None:
        if QCoreApplication.instance() is None:
            raise HotkeyBackendError("the keyboard hotkey backend needs a running QApplication")
        if keyboard_module is None:
            try:
                import keyboard

                keyboard_module = keyboard
            except ImportError as exc:  # pragma: no cover - it is a dependency
                raise HotkeyBackendError(f"the keyboard package is missing ({exc})") from exc
        super().__init__()
        self._kb: Any = keyboard_module
        # Suppression only works with the Windows hook; elsewhere keys always pass through.
        self._suppress = sys.platform == "win32" if suppress is None else suppress
        self._probe = (
            sys.platform == "win32" if probe_other_programs is None else (probe_other_programs)
        )
        self._removers: dict[str, Callable[[], None]] = {}
        self._tickets: dict[str, relay.Ticket] = {}

    # -- the grab layer -----------------------------------------------------------------

    def grab(self, hotkey: Hotkey) -> None:
        canonical = str(hotkey)
        if self._probe and win32.hotkey_taken(hotkey):
            raise HotkeyTaken(f"{canonical} is already used by another program.")
        ticket = relay.register(functools.partial(self.pressed, canonical))
        post = ticket.post

        def on_hook_thread() -> None:
            # Runs on keyboard's thread inside the OS hook: queue the press, return at once.
            # Returning a falsy value makes keyboard suppress the key (suppress=True).
            post()

        try:
            remove = self._kb.add_hotkey(
                keyboard_keys(hotkey), on_hook_thread, suppress=self._suppress
            )
        except ValueError as exc:
            ticket.cancel()
            raise HotkeyUnsupported(
                f"{canonical}: the key '{hotkey.key}' is not on this keyboard layout."
            ) from exc
        except Exception as exc:  # ImportError (not root), OSError, AssertionError...
            ticket.cancel()
            raise HotkeyError(
                f"the keyboard package cannot watch the keyboard here: {exc or type(exc).__name__}"
            ) from exc
        self._tickets[canonical] = ticket
        self._removers[canonical] = remove
        log.info("hooked hotkey %s (keyboard, suppress=%s)", canonical, self._suppress)

    def ungrab(self, hotkey: Hotkey) -> None:
        ticket = self._tickets.pop(str(hotkey), None)
        if ticket is not None:
            ticket.cancel()  # a press already queued is dropped
        remove = self._removers.pop(str(hotkey), None)
        if remove is None:
            return
        try:
            remove()
        except (KeyError, ValueError):
            log.debug("hotkey %s was already removed", hotkey, exc_info=True)

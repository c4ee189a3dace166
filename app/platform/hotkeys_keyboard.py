"""Global hotkeys through the ``keyboard`` package (default on Windows).

On Windows it installs a low-level keyboard hook (no admin rights needed) and, with
``suppress=True``, swallows the hotkey so the focused window does not receive it. On
Linux it needs root and devices under /dev/input.

The package calls our handler on its own hook thread, and Windows removes hooks whose
callbacks are slow: the handler only emits a Qt signal, queued to the GUI thread, where
``activated`` is emitted.

Conflicts: hotkeys bound twice in Huashu are refused. On Windows a combination that
another program registered (``RegisterHotKey``) is detected by a short probe; hooks of
other programs cannot be seen.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from app.platform import win32
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


class _Bridge(QObject):
    """Carries a hotkey press from keyboard's hook thread to the thread it lives in
    (the GUI thread, where the backend is created)."""

    triggered = Signal(str)

    def __init__(self, handler: Callable[[str], object]) -> None:
        super().__init__()
        self._handler = handler
        self.triggered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(str)
    def _deliver(self, canonical: str) -> None:
        self._handler(canonical)


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
        self._bridge = _Bridge(self.pressed)

    # -- the grab layer -----------------------------------------------------------------

    def grab(self, hotkey: Hotkey) -> None:
        canonical = str(hotkey)
        if self._probe and win32.hotkey_taken(hotkey):
            raise HotkeyTaken(f"{canonical} is already used by another program.")
        emit = self._bridge.triggered.emit

        def on_hook_thread() -> None:
            # Runs on keyboard's thread inside the OS hook: emit and return at once.
            # Returning a falsy value makes keyboard suppress the key (suppress=True).
            emit(canonical)

        try:
            remove = self._kb.add_hotkey(
                keyboard_keys(hotkey), on_hook_thread, suppress=self._suppress
            )
        except ValueError as exc:
            raise HotkeyUnsupported(
                f"{canonical}: the key '{hotkey.key}' is not on this keyboard layout."
            ) from exc
        except Exception as exc:  # ImportError (not root), OSError, AssertionError...
            raise HotkeyError(
                f"the keyboard package cannot watch the keyboard here: {exc or type(exc).__name__}"
            ) from exc
        self._removers[canonical] = remove
        log.info("hooked hotkey %s (keyboard, suppress=%s)", canonical, self._suppress)

    def ungrab(self, hotkey: Hotkey) -> None:
        remove = self._removers.pop(str(hotkey), None)
        if remove is None:
            return
        try:
            remove()
        except (KeyError, ValueError):
            log.debug("hotkey %s was already removed", hotkey, exc_info=True)

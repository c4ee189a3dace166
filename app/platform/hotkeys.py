"""Global hotkeys: the backend protocol and its errors.

The notation (``ctrl+alt+1``: parse, normalise, compare) lives in :mod:`app.core.hotkeys`
and is re-exported here for the backends.

Backends (:mod:`app.platform.hotkeys_win` (RegisterHotKey, the Windows default),
:mod:`app.platform.hotkeys_x11`, :mod:`app.platform.hotkeys_keyboard`, the fake in
:mod:`app.platform.fake`) implement :class:`HotkeyBackend`; pick one with
:func:`app.platform.factory.make_hotkey_backend`. Whatever thread the OS reports a key
on, every backend calls the registered callbacks on the Qt GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from app.core.hotkeys import (  # the notation lives in the core; re-exported here
    FUNCTION_KEYS,
    KEY_NAMES,
    MODIFIER_ORDER,
    PUNCTUATION_KEYS,
    Hotkey,
    HotkeyError,
    normalise_hotkey,
    parse_hotkey,
)

__all__ = [
    "FUNCTION_KEYS",
    "KEY_NAMES",
    "MODIFIER_ORDER",
    "PUNCTUATION_KEYS",
    "Hotkey",
    "HotkeyBackend",
    "HotkeyBackendError",
    "HotkeyConflict",
    "HotkeyError",
    "NoHotkeys",
    "normalise_hotkey",
    "parse_hotkey",
]


class HotkeyConflict(HotkeyError):
    """The hotkey is already bound, by this app (``by_other_program`` False) or another one."""

    def __init__(self, hotkey: str, message: str, *, by_other_program: bool) -> None:
        super().__init__(message)
        self.hotkey = hotkey
        self.by_other_program = by_other_program


class HotkeyBackendError(RuntimeError):
    """The hotkey backend cannot work here (no X display, no permission, ...)."""


class HotkeyBackend(Protocol):
    """A source of global hotkeys. Callbacks always run on the Qt GUI thread."""

    name: str

    def register(self, hotkey: str, callback: Callable[[], None]) -> None:
        """Bind ``hotkey``; raises :class:`HotkeyError` if invalid and
        :class:`HotkeyConflict` if already bound here or held by another program."""
        ...

    def unregister(self, hotkey: str) -> None:
        """Release ``hotkey``; unknown or invalid hotkeys are ignored."""
        ...

    def unregister_all(self) -> None: ...

    def registered(self) -> list[str]:
        """Canonical forms of the bound hotkeys, sorted."""
        ...

    def set_paused(self, paused: bool) -> list[str]:
        """Temporarily release (True) or re-take (False) every binding, e.g. while the
        settings window records a new hotkey. Bindings are remembered. Returns the
        hotkeys that could not be re-taken (another program grabbed them meanwhile)."""
        ...

    def close(self) -> None:
        """Release everything; the backend is unusable afterwards."""
        ...


class NoHotkeys:
    """The backend used when no real one works: bindings are checked and kept, never fire.

    The app still runs (tray, picker from the tray menu, settings); the user is told why.
    """

    name = "none"

    def __init__(self) -> None:
        self._bound: set[str] = set()

    def register(self, hotkey: str, callback: Callable[[], None]) -> None:
        self._bound.add(normalise_hotkey(hotkey))

    def unregister(self, hotkey: str) -> None:
        try:
            self._bound.discard(normalise_hotkey(hotkey))
        except HotkeyError:
            pass

    def unregister_all(self) -> None:
        self._bound.clear()

    def registered(self) -> list[str]:
        return sorted(self._bound)

    def set_paused(self, paused: bool) -> list[str]:
        return []

    def close(self) -> None:
        self._bound.clear()

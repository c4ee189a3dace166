"""Global hotkeys: the backend protocol, the shared backend base and its errors.

The notation (``ctrl+alt+1``: parse, normalise, compare) and the binding table
(:class:`~app.core.hotkey_table.BindingTable`: diffing, duplicates, invalid notation,
pause and recording) live in the core. A backend takes the whole table with
:meth:`HotkeyBackend.apply` and emits ``activated(action)``; it only implements how one
key is grabbed and released (:class:`GrabBackend`).

Backends (:mod:`app.platform.hotkeys_win` (RegisterHotKey, the Windows default),
:mod:`app.platform.hotkeys_x11`, :mod:`app.platform.hotkeys_keyboard`, the fake in
:mod:`app.platform.fake`) are :class:`GrabBackend` subclasses; pick one with
:func:`app.platform.factory.make_hotkey_backend`. Whatever thread the OS reports a key
on, ``activated`` is emitted on the Qt GUI thread.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from app.core.hotkey_table import Bindings, BindingTable
from app.core.hotkeys import (  # the notation lives in the core; re-exported here
    FUNCTION_KEYS,
    KEY_NAMES,
    MODIFIER_ORDER,
    PUNCTUATION_KEYS,
    Binding,
    Hotkey,
    HotkeyError,
    HotkeyProblem,
    HotkeyTaken,
    HotkeyUnsupported,
    normalise_hotkey,
    parse_hotkey,
)

log = logging.getLogger(__name__)

__all__ = [
    "FUNCTION_KEYS",
    "KEY_NAMES",
    "MODIFIER_ORDER",
    "PUNCTUATION_KEYS",
    "Binding",
    "GrabBackend",
    "Hotkey",
    "HotkeyBackend",
    "HotkeyBackendError",
    "HotkeyError",
    "HotkeyProblem",
    "HotkeyTaken",
    "HotkeyUnsupported",
    "NoHotkeys",
    "normalise_hotkey",
    "parse_hotkey",
]


class HotkeyBackendError(RuntimeError):
    """The hotkey backend cannot work here (no X display, no permission, ...)."""


class HotkeyBackend(Protocol):
    """A source of global hotkeys; ``activated(action)`` is emitted on the GUI thread."""

    name: str
    activated: Any  # Signal(str): the action of the pressed hotkey

    def apply(
        self, bindings: Bindings, *, paused: bool = False, recording: bool = False
    ) -> list[HotkeyProblem]:
        """Hold exactly the hotkeys of ``bindings`` (hotkey -> action mapping, or
        :class:`Binding` rows); returns what could not be bound. While ``paused`` only the
        pause action stays; while ``recording`` (a settings field records a hotkey) none."""
        ...

    def registered(self) -> list[str]:
        """Canonical forms of the held hotkeys, sorted."""
        ...

    def close(self) -> None:
        """Release everything; the backend is unusable afterwards."""
        ...


class GrabBackend(QObject):
    """The bookkeeping every backend shares; subclasses implement :meth:`grab`,
    :meth:`ungrab` (one key each) and call :meth:`pressed` from their event source on
    the GUI thread."""

    activated = Signal(str)
    name = "base"

    def __init__(self) -> None:
        super().__init__()
        self._table = BindingTable(self)
        self._closed = False

    # -- the table ------------------------------------------------------------------------

    def apply(
        self, bindings: Bindings, *, paused: bool = False, recording: bool = False
    ) -> list[HotkeyProblem]:
        self._check_open()
        problems = self._table.apply(bindings, paused=paused, recording=recording)
        self._applied()
        return problems

    def registered(self) -> list[str]:
        return self._table.held()

    def close(self) -> None:
        if self._closed:
            return
        self._table.release_all()
        self._applied()
        self._closed = True
        self._close_source()

    def pressed(self, canonical: str) -> bool:
        """The event source saw ``canonical``: emit its action. False if not held."""
        action = None if self._closed else self._table.action_for(canonical)
        if action is None:
            return False
        log.debug("hotkey %s pressed: %s", canonical, action)
        self.activated.emit(action)
        return True

    def _check_open(self) -> None:
        if self._closed:
            raise HotkeyBackendError(f"the {self.name} hotkey backend is closed")

    # -- for subclasses -------------------------------------------------------------------

    def grab(self, hotkey: Hotkey) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def ungrab(self, hotkey: Hotkey) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _applied(self) -> None:
        """Called after the grabs changed (e.g. to flush a connection)."""

    def _close_source(self) -> None:
        """Stop the event source (after every grab was released)."""


class NoHotkeys(GrabBackend):
    """The backend used when no real one works: bindings are checked and kept, never fire.

    The app still runs (tray, picker from the tray menu, settings); the user is told why.
    """

    name = "none"

    def grab(self, hotkey: Hotkey) -> None:
        pass

    def ungrab(self, hotkey: Hotkey) -> None:
        pass

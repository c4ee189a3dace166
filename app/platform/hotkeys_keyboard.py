"""Global hotkeys through the ``keyboard`` package (default on Windows).

On Windows it installs a low-level keyboard hook (no admin rights needed) and, with
``suppress=True``, swallows the hotkey so the focused window does not receive it. On
Linux it needs root and devices under /dev/input.

The package calls our handler on its own hook thread, and Windows removes hooks whose
callbacks are slow: the handler only emits a Qt signal, queued to the GUI thread, where
the registered callback runs.

Conflicts: hotkeys bound twice in Huashu are refused. On Windows a combination that
another program registered (``RegisterHotKey``) is detected by a short probe; hooks of
other programs cannot be seen.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from app.platform import win32
from app.platform.hotkeys import (
    Hotkey,
    HotkeyBackendError,
    HotkeyConflict,
    HotkeyError,
    parse_hotkey,
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

    def __init__(self, handler: Callable[[str], None]) -> None:
        super().__init__()
        self._handler = handler
        self.triggered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(str)
    def _deliver(self, canonical: str) -> None:
        self._handler(canonical)


@dataclass
class _Binding:
    hotkey: Hotkey
    callback: Callable[[], None]
    remove: Callable[[], None] | None = None


class KeyboardHotkeyBackend:
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
        self._kb: Any = keyboard_module
        # Suppression only works with the Windows hook; elsewhere keys always pass through.
        self._suppress = sys.platform == "win32" if suppress is None else suppress
        self._probe = (
            sys.platform == "win32" if probe_other_programs is None else (probe_other_programs)
        )
        self._bindings: dict[str, _Binding] = {}
        self._paused = False
        self._closed = False
        self._bridge = _Bridge(self._dispatch)

    # -- public API ---------------------------------------------------------------------

    def register(self, hotkey: str, callback: Callable[[], None]) -> None:
        if self._closed:
            raise HotkeyBackendError("the keyboard hotkey backend is closed")
        parsed = parse_hotkey(hotkey)
        canonical = str(parsed)
        if canonical in self._bindings:
            raise HotkeyConflict(
                canonical, f"{canonical} is already registered in Huashu.", by_other_program=False
            )
        if self._probe and win32.hotkey_taken(parsed):
            raise HotkeyConflict(
                canonical,
                f"{canonical} is already used by another program.",
                by_other_program=True,
            )
        binding = _Binding(parsed, callback)
        if not self._paused:
            self._hook(binding)
        self._bindings[canonical] = binding
        log.info("registered hotkey %s (keyboard, suppress=%s)", canonical, self._suppress)

    def unregister(self, hotkey: str) -> None:
        try:
            canonical = str(parse_hotkey(hotkey))
        except HotkeyError:
            return
        binding = self._bindings.pop(canonical, None)
        if binding is not None:
            self._unhook(binding)
            log.info("unregistered hotkey %s", canonical)

    def unregister_all(self) -> None:
        for canonical in list(self._bindings):
            self.unregister(canonical)

    def registered(self) -> list[str]:
        return sorted(self._bindings)

    def set_paused(self, paused: bool) -> list[str]:
        """Remove or re-install the hooks; returns the hotkeys that could not come back."""
        if paused == self._paused:
            return []
        self._paused = paused
        failed: list[str] = []
        for canonical, binding in self._bindings.items():
            if paused:
                self._unhook(binding)
                continue
            try:
                self._hook(binding)
            except (HotkeyError, HotkeyBackendError) as exc:
                log.warning("could not re-install hotkey %s: %s", canonical, exc)
                failed.append(canonical)
        return failed

    def close(self) -> None:
        if self._closed:
            return
        for binding in self._bindings.values():
            self._unhook(binding)
        self._bindings.clear()
        self._closed = True

    # -- internals ----------------------------------------------------------------------

    def _hook(self, binding: _Binding) -> None:
        canonical = str(binding.hotkey)
        emit = self._bridge.triggered.emit

        def on_hook_thread() -> None:
            # Runs on keyboard's thread inside the OS hook: emit and return at once.
            # Returning a falsy value makes keyboard suppress the key (suppress=True).
            emit(canonical)

        try:
            binding.remove = self._kb.add_hotkey(
                keyboard_keys(binding.hotkey), on_hook_thread, suppress=self._suppress
            )
        except ValueError as exc:
            raise HotkeyError(
                f"{canonical}: the key '{binding.hotkey.key}' is not on this keyboard layout."
            ) from exc
        except Exception as exc:  # ImportError (not root), OSError, AssertionError...
            raise HotkeyBackendError(
                f"the keyboard package cannot watch the keyboard here: {exc or type(exc).__name__}"
            ) from exc

    def _unhook(self, binding: _Binding) -> None:
        remove, binding.remove = binding.remove, None
        if remove is None:
            return
        try:
            remove()
        except (KeyError, ValueError):
            log.debug("hotkey %s was already removed", binding.hotkey, exc_info=True)

    def _dispatch(self, canonical: str) -> None:
        binding = self._bindings.get(canonical)
        if binding is None or self._paused or self._closed:
            return
        log.debug("hotkey %s pressed", canonical)
        try:
            binding.callback()
        except Exception:
            log.exception("hotkey callback for %s failed", canonical)

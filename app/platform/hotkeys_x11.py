"""X11 global hotkeys: ``XGrabKey`` on the root window through python-xlib.

- A grab consumes the key: the focused window does not also receive it.
- Every NumLock/CapsLock/ScrollLock combination is grabbed too, otherwise the hotkey
  would stop working while NumLock is on.
- Another client holding the same combination makes the grab fail with ``BadAccess``;
  :meth:`X11HotkeyBackend.register` waits for the server's answer and raises
  :class:`~app.platform.hotkeys.HotkeyConflict`.
- The connection's socket is watched by a ``QSocketNotifier``: no thread, callbacks run
  on the GUI thread.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QSocketNotifier, QTimer

from app.platform.hotkeys import (
    Hotkey,
    HotkeyBackendError,
    HotkeyConflict,
    HotkeyError,
    parse_hotkey,
)
from app.platform.x11 import (
    X11Unavailable,
    keycodes_for_keysym,
    keysym_for_key,
    modifier_masks,
    open_display,
)

log = logging.getLogger(__name__)


@dataclass
class _Binding:
    hotkey: Hotkey
    callback: Callable[[], None]
    grabs: list[tuple[int, int]] = field(default_factory=list)  # (keycode, modifiers)


class X11HotkeyBackend:
    """:class:`~app.platform.hotkeys.HotkeyBackend` on an X server (Linux X11 sessions)."""

    name = "x11"

    def __init__(self, display_name: str | None = None) -> None:
        if QCoreApplication.instance() is None:
            raise HotkeyBackendError("the X11 hotkey backend needs a running QApplication")
        try:
            self._display: Any = open_display(display_name)
        except X11Unavailable as exc:
            raise HotkeyBackendError(str(exc)) from exc
        self._display.set_error_handler(self._on_async_error)
        self._root = self._display.screen().root
        self._bindings: dict[str, _Binding] = {}
        self._by_grab: dict[tuple[int, int], str] = {}
        self._paused = False
        self._closed = False
        self._last_release: tuple[int, int] | None = None  # (keycode, time)
        self._load_masks()
        self._notifier = QSocketNotifier(self._display.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._on_readable)
        log.info("X11 hotkeys on display %s", self._display.get_display_name())

    # -- public API ---------------------------------------------------------------------

    def register(self, hotkey: str, callback: Callable[[], None]) -> None:
        self._check_open()
        parsed = parse_hotkey(hotkey)
        canonical = str(parsed)
        if canonical in self._bindings:
            raise HotkeyConflict(
                canonical,
                f"{canonical} is already registered in Huashu.",
                by_other_program=False,
            )
        binding = _Binding(parsed, callback)
        if not self._paused:
            self._grab(binding)
        self._bindings[canonical] = binding
        log.info("registered hotkey %s", canonical)

    def unregister(self, hotkey: str) -> None:
        try:
            canonical = str(parse_hotkey(hotkey))
        except HotkeyError:
            return
        binding = self._bindings.pop(canonical, None)
        if binding is None or self._closed:
            return
        self._ungrab(binding)
        self._display.sync()
        self._drain_soon()
        log.info("unregistered hotkey %s", canonical)

    def unregister_all(self) -> None:
        for canonical in list(self._bindings):
            self.unregister(canonical)

    def registered(self) -> list[str]:
        return sorted(self._bindings)

    def set_paused(self, paused: bool) -> list[str]:
        """Release or re-take all grabs; returns the hotkeys that could not be re-taken."""
        self._check_open()
        if paused == self._paused:
            return []
        self._paused = paused
        failed: list[str] = []
        for canonical, binding in self._bindings.items():
            if paused:
                self._ungrab(binding)
                continue
            try:
                self._grab(binding)
            except HotkeyError as exc:
                log.warning("could not re-take hotkey %s: %s", canonical, exc)
                failed.append(canonical)
        self._display.sync()
        self._drain_soon()
        return failed

    def close(self) -> None:
        if self._closed:
            return
        for binding in self._bindings.values():
            self._ungrab(binding)
        self._bindings.clear()
        self._notifier.setEnabled(False)
        self._notifier.deleteLater()
        try:
            self._display.close()
        except Exception:  # the connection may already be gone
            log.debug("closing the X display failed", exc_info=True)
        self._closed = True

    # -- grabbing -----------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise HotkeyBackendError("the X11 hotkey backend is closed")

    def _load_masks(self) -> None:
        masks = modifier_masks(self._display)
        self._modifier_masks = {name: masks[name] for name in ("ctrl", "alt", "shift", "win")}
        self._relevant_mask = 0
        for mask in self._modifier_masks.values():
            self._relevant_mask |= mask
        locks = sorted({masks[n] for n in ("capslock", "numlock", "scrolllock") if masks[n]})
        # Every combination of the lock modifiers, including none.
        self._lock_variants = sorted(
            {
                sum(combo)
                for size in range(len(locks) + 1)
                for combo in itertools.combinations(locks, size)
            }
        )

    def _grab_targets(self, hotkey: Hotkey) -> list[tuple[int, int]]:
        keysym = keysym_for_key(hotkey.key)
        keycodes = keycodes_for_keysym(self._display, keysym) if keysym else []
        if not keycodes:
            raise HotkeyError(f"{hotkey}: the key '{hotkey.key}' is not on this keyboard layout.")
        base = 0
        for modifier in hotkey.modifiers:
            base |= self._modifier_masks[modifier]
        return [(keycode, base) for keycode in keycodes]

    def _grab(self, binding: _Binding) -> None:
        from Xlib import X
        from Xlib.error import BadAccess, CatchError

        canonical = str(binding.hotkey)
        targets = self._grab_targets(binding.hotkey)
        catcher = CatchError(BadAccess)
        for keycode, base in targets:
            for variant in self._lock_variants:
                self._root.grab_key(
                    keycode,
                    base | variant,
                    False,  # owner_events: always report to this connection's root grab
                    X.GrabModeAsync,
                    X.GrabModeAsync,
                    onerror=catcher,
                )
        # Round trip: BadAccess (if any) has arrived once sync() returns.
        self._display.sync()
        binding.grabs = targets
        if catcher.get_error() is not None:
            self._ungrab(binding)
            self._display.sync()
            self._drain_soon()
            raise HotkeyConflict(
                canonical,
                f"{canonical} is already used by another program.",
                by_other_program=True,
            )
        for target in targets:
            self._by_grab[target] = canonical
        self._drain_soon()

    def _ungrab(self, binding: _Binding) -> None:
        for keycode, base in binding.grabs:
            self._by_grab.pop((keycode, base), None)
            for variant in self._lock_variants:
                self._root.ungrab_key(keycode, base | variant)
        binding.grabs = []

    # -- events -------------------------------------------------------------------------

    def _drain_soon(self) -> None:
        # Round trips may have moved events from the socket into python-xlib's queue,
        # where the socket notifier cannot see them.
        QTimer.singleShot(0, self._on_readable)

    def _on_async_error(self, error: Any, request: Any = None) -> None:
        log.warning("X error: %s", error)

    def _on_readable(self) -> None:
        if self._closed:
            return
        try:
            while self._display.pending_events():
                self._handle_event(self._display.next_event())
        except Exception:
            log.exception("the X connection failed; X11 hotkeys stop working")
            self._notifier.setEnabled(False)

    def _handle_event(self, event: Any) -> None:
        from Xlib import X

        if event.type == X.KeyRelease:
            self._last_release = (event.detail, event.time)
            return
        if event.type == X.MappingNotify:
            self._on_mapping_changed(event)
            return
        if event.type != X.KeyPress:
            return
        if self._last_release == (event.detail, event.time):
            return  # auto-repeat: a release and a press with the same timestamp
        canonical = self._by_grab.get((event.detail, event.state & self._relevant_mask))
        binding = self._bindings.get(canonical) if canonical else None
        if binding is None:
            return
        log.debug("hotkey %s pressed", canonical)
        try:
            binding.callback()
        except Exception:
            log.exception("hotkey callback for %s failed", canonical)

    def _on_mapping_changed(self, event: Any) -> None:
        from Xlib import X

        self._display.refresh_keyboard_mapping(event)
        if event.request not in (X.MappingKeyboard, X.MappingModifier) or self._paused:
            return
        if event.request == X.MappingModifier:
            # Modifier bits may have moved: take every grab again.
            for binding in self._bindings.values():
                self._ungrab(binding)
            self._load_masks()
        for canonical, binding in self._bindings.items():
            try:
                if binding.grabs == self._grab_targets(binding.hotkey):
                    continue  # e.g. the XTEST typer remapped a spare keycode
                self._ungrab(binding)
                self._grab(binding)
            except HotkeyError as exc:
                log.warning("hotkey %s lost after a keyboard mapping change: %s", canonical, exc)

"""X11 global hotkeys: ``XGrabKey`` on the root window through python-xlib.

- A grab consumes the key: the focused window does not also receive it.
- Every NumLock/CapsLock/ScrollLock combination is grabbed too, otherwise the hotkey
  would stop working while NumLock is on.
- Another client holding the same combination makes the grab fail with ``BadAccess``;
  :meth:`X11HotkeyBackend.grab` waits for the server's answer and raises
  :class:`~app.core.hotkeys.HotkeyTaken`.
- The connection's socket is watched by a ``QSocketNotifier``: no thread, callbacks run
  on the GUI thread.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QSocketNotifier, QTimer

from app.platform.hotkeys import (
    GrabBackend,
    Hotkey,
    HotkeyBackendError,
    HotkeyError,
    HotkeyTaken,
    HotkeyUnsupported,
)
from app.platform.x11 import (
    X11Unavailable,
    keycodes_for_keysym,
    keysym_for_key,
    modifier_masks,
    open_display,
)

log = logging.getLogger(__name__)


class X11HotkeyBackend(GrabBackend):
    """:class:`~app.platform.hotkeys.HotkeyBackend` on an X server (Linux X11 sessions)."""

    name = "x11"

    def __init__(self, display_name: str | None = None) -> None:
        if QCoreApplication.instance() is None:
            raise HotkeyBackendError("the X11 hotkey backend needs a running QApplication")
        try:
            self._display: Any = open_display(display_name)
        except X11Unavailable as exc:
            raise HotkeyBackendError(str(exc)) from exc
        super().__init__()
        self._display.set_error_handler(self._on_async_error)
        self._root = self._display.screen().root
        self._grabs: dict[str, list[tuple[int, int]]] = {}  # canonical -> (keycode, mods)
        self._by_grab: dict[tuple[int, int], str] = {}
        self._last_release: tuple[int, int] | None = None  # (keycode, time)
        self._load_masks()
        self._notifier = QSocketNotifier(self._display.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._on_readable)
        log.info("X11 hotkeys on display %s", self._display.get_display_name())

    # -- the grab layer -----------------------------------------------------------------

    def grab(self, hotkey: Hotkey) -> None:
        from Xlib import X
        from Xlib.error import BadAccess, CatchError

        canonical = str(hotkey)
        targets = self._grab_targets(hotkey)
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
        self._grabs[canonical] = targets
        if catcher.get_error() is not None:
            self.ungrab(hotkey)
            self._display.sync()
            self._drain_soon()
            raise HotkeyTaken(f"{canonical} is already used by another program.")
        for target in targets:
            self._by_grab[target] = canonical
        self._drain_soon()

    def ungrab(self, hotkey: Hotkey) -> None:
        for keycode, base in self._grabs.pop(str(hotkey), []):
            self._by_grab.pop((keycode, base), None)
            for variant in self._lock_variants:
                self._root.ungrab_key(keycode, base | variant)

    def _applied(self) -> None:
        self._display.sync()
        self._drain_soon()

    def _close_source(self) -> None:
        self._notifier.setEnabled(False)
        self._notifier.deleteLater()
        try:
            self._display.close()
        except Exception:  # the connection may already be gone
            log.debug("closing the X display failed", exc_info=True)

    # -- grabbing -----------------------------------------------------------------------

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
            raise HotkeyUnsupported(
                f"{hotkey}: the key '{hotkey.key}' is not on this keyboard layout."
            )
        base = 0
        for modifier in hotkey.modifiers:
            base |= self._modifier_masks[modifier]
        return [(keycode, base) for keycode in keycodes]

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
        if canonical is not None:
            self.pressed(canonical)

    def _on_mapping_changed(self, event: Any) -> None:
        from Xlib import X

        self._display.refresh_keyboard_mapping(event)
        if event.request not in (X.MappingKeyboard, X.MappingModifier):
            return
        hotkeys = [h for h in self._table.hotkeys() if str(h) in self._grabs]
        if event.request == X.MappingModifier:
            # Modifier bits may have moved: take every grab again.
            for hotkey in hotkeys:
                self.ungrab(hotkey)
            self._load_masks()
        for hotkey in hotkeys:
            try:
                if self._grabs.get(str(hotkey)) == self._grab_targets(hotkey):
                    continue  # e.g. the XTEST typer remapped a spare keycode
                self.ungrab(hotkey)
                self.grab(hotkey)
            except HotkeyError as exc:
                log.warning("hotkey %s lost after a keyboard mapping change: %s", hotkey, exc)

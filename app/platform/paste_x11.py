"""Synthetic keystrokes on X11 through XTEST (``fake_input``), on its own X connection.

``type_text`` types characters found in the current keymap directly and the others
(Chinese, emoji) by mapping their Unicode keysyms onto spare keycodes, a batch at a time,
then puts the spare keycodes back. No external tool (xdotool) is needed. Chosen by
:func:`app.platform.paste.make_paster`.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from app.platform.paste_common import (
    CHORD_KEYSYMS,
    FOCUS_UNKNOWN,
    PasteError,
    chord_parts,
    normalise_newlines,
)
from app.platform.x11 import X11Unavailable, any_key_down, keysym_for_name, open_display

log = logging.getLogger(__name__)

#: In the list of taps :meth:`X11Paster.type_text` builds: "press the newline chord here".
NEWLINE_TAP = -1


def char_to_keysym(char: str) -> int:
    """The X keysym that types ``char`` (Latin-1 keysyms equal the code point)."""
    code = ord(char)
    if char == "\t":
        return keysym_for_name("Tab")
    if 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xFF:
        return code
    return 0x01000000 | code


class X11Paster:
    """:class:`~app.platform.paste.Paster` through the XTEST extension.

    Typing characters that are not on the keyboard layout (Chinese, emoji, fullwidth
    punctuation) maps their Unicode keysyms onto spare keycodes (two per keycode: plain
    and shifted). A target re-reads the keymap only when it processes the mapping
    notification, so changing a keycode again before the target has read the keys
    typed with it gives wrong characters (measured: a starved target garbles text even
    with 100 ms pauses). Hence: mappings are kept and reused across calls, a keycode is
    re-mapped only when every slot is taken, and before re-mapping the focused window
    is pinged (``_NET_WM_PING``, answered by Qt, GTK, Chromium...) and its answer, which
    it sends after handling the keys before it, awaited. A window that does not answer
    pings gets ``batch_pause_s`` instead. The spare keycodes are emptied again
    ``reset_after_ms`` after the last typing and on :meth:`close`.
    """

    name = "x11"

    def __init__(
        self,
        display_name: str | None = None,
        *,
        batch_pause_s: float = 0.1,
        reset_after_ms: int = 5000,
    ) -> None:
        try:
            self._display: Any = open_display(display_name)
        except X11Unavailable as exc:
            raise PasteError(str(exc)) from exc
        if not self._display.has_extension("XTEST"):
            self._display.close()
            raise PasteError("the X server has no XTEST extension")
        self._batch_pause_s = batch_pause_s
        self._reset_after_ms = reset_after_ms
        self._spare: list[int] | None = None
        self._mapped: dict[int, list[int]] = {}  # spare keycode -> [plain, shifted] keysyms
        self._slot_of: dict[int, tuple[int, bool]] = {}  # keysym -> (keycode, shifted)
        self._slot_age: dict[tuple[int, int], int] = {}  # (keycode, level) -> last use
        self._clock = 0
        self._last_sent = 0.0
        self._unconfirmed = False  # keys typed with spare keycodes not known to be read
        self._ping_timeout_s = 2.0
        self._ping_serial = 0
        self._watching_root = False
        self._reset_generation = 0
        self._closed = False
        self._newline = "shift+enter"

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._reset_spare_keycodes()
        self._display.close()

    # -- key primitives -----------------------------------------------------------------

    def _keycode(self, keysym_name: str) -> int:
        keycode = int(self._display.keysym_to_keycode(keysym_for_name(keysym_name)))
        if not keycode:
            raise PasteError(f"the key {keysym_name} is not on the current keyboard layout")
        return keycode

    def _key(self, keycode: int, press: bool) -> None:
        from Xlib import X
        from Xlib.ext import xtest

        xtest.fake_input(self._display, X.KeyPress if press else X.KeyRelease, keycode)

    def _tap(self, keycode: int, shift: bool = False) -> None:
        shift_code = self._keycode("Shift_L") if shift else 0
        if shift_code:
            self._key(shift_code, True)
        self._key(keycode, True)
        self._key(keycode, False)
        if shift_code:
            self._key(shift_code, False)

    def _sync(self) -> None:
        from Xlib import X

        try:
            self._display.sync()
            # Keep python-xlib's keymap cache current and its event queue empty.
            while self._display.pending_events():
                event = self._display.next_event()
                if event.type == X.MappingNotify:
                    self._display.refresh_keyboard_mapping(event)
        except Exception as exc:
            raise PasteError(f"the X connection failed: {exc}") from exc

    # -- Paster -------------------------------------------------------------------------

    def keys_released(self) -> bool:
        return not any_key_down(self._display)

    def focused_window(self) -> int | None:
        from Xlib import X

        focus = self._display.get_input_focus().focus
        if isinstance(focus, int):  # None, or PointerRoot (keys go under the pointer)
            return None if focus == X.NONE else FOCUS_UNKNOWN
        return int(focus.id)

    def send_paste(self, key: str = "ctrl+v") -> None:
        # Another program (e.g. xdotool typing Chinese) may have remapped keys since the
        # last call: read pending MappingNotify events first, or the keycode of "v" can be
        # stale and the target receives nothing.
        self._sync()
        self._chord(key)
        self._sync()

    def send_keys(self, chord: str) -> None:
        self._sync()
        self._chord(chord)
        self._sync()

    def _chord(self, chord: str) -> None:
        """Press the keys of ``chord`` in order, release them in reverse order."""
        codes = [self._keycode(CHORD_KEYSYMS[part]) for part in chord_parts(chord)]
        for code in codes:
            self._key(code, True)
        for code in reversed(codes):
            self._key(code, False)

    def press_left(self, count: int) -> None:
        if count <= 0:
            return
        left = self._keycode("Left")
        for _ in range(count):
            self._tap(left)
        self._sync()

    def type_text(self, text: str, newline: str = "shift+enter") -> None:
        self._reset_generation += 1  # cancel a pending reset of the spare keycodes
        chord_parts(newline)  # an unknown chord fails before any key is sent
        self._newline = newline
        pinned: set[int] = set()  # keysyms the current batch types
        changes: dict[int, list[int]] = {}  # keycodes to re-map before the batch
        taps: list[tuple[int, bool]] = []
        for char in normalise_newlines(text):
            if char == "\n":
                taps.append((NEWLINE_TAP, False))  # the profile's line break, never "send"
                continue
            keysym = char_to_keysym(char)
            found = self._lookup(keysym)
            if found is None:
                found = self._slot_of.get(keysym)
            if found is None:
                cased = char.lower() != char.upper()
                if not self._assign(keysym, cased, pinned, changes):
                    self._send_batch(changes, taps)
                    pinned, changes, taps = set(), {}, []
                    if not self._assign(keysym, cased, pinned, changes):
                        raise PasteError("no free keycode to type non-keyboard characters with")
                found = self._slot_of[keysym]
            if keysym in self._slot_of:
                pinned.add(keysym)
                keycode, shifted = self._slot_of[keysym]
                self._clock += 1
                self._slot_age[(keycode, int(shifted))] = self._clock
            taps.append(found)
        self._send_batch(changes, taps)
        if self._mapped:
            self._schedule_reset()

    # -- typing internals ---------------------------------------------------------------

    def _spare_keycodes(self) -> list[int]:
        if self._spare is None:
            info = self._display.display.info
            first, last = info.min_keycode, info.max_keycode
            mapping = self._display.get_keyboard_mapping(first, last - first + 1)
            # Keycode 8 is skipped: some toolkits ignore it.
            self._spare = [
                first + i for i, syms in enumerate(mapping) if first + i > 8 and not any(syms)
            ]
            log.debug("%d spare keycodes for typing", len(self._spare))
        return self._spare

    def _lookup(self, keysym: int) -> tuple[int, bool] | None:
        """Where the layout itself has ``keysym`` (plain or shifted, spare keycodes aside)."""
        spare = set(self._spare_keycodes())
        best: tuple[int, bool] | None = None
        for keycode, index in self._display.keysym_to_keycodes(keysym):
            if keycode in spare or index > 1:
                continue
            if index == 0:
                return keycode, False
            best = (keycode, True)
        return best

    def _assign(
        self, keysym: int, cased: bool, pinned: set[int], changes: dict[int, list[int]]
    ) -> bool:
        """Give ``keysym`` a spare slot not used by the current batch; False if none is left.

        The least recently used slot is taken. A letter with a case takes a whole keycode
        (both levels): given one level only, the server would add the other case itself.
        """

        def free(keycode: int, level: int) -> bool:
            current = self._mapped.get(keycode, [0, 0])[level]
            return current == 0 or current not in pinned

        candidates: list[tuple[int, int, int]] = []  # (last use, keycode, level)
        for keycode in self._spare_keycodes():
            if cased:
                if free(keycode, 0) and free(keycode, 1):
                    age = max(
                        self._slot_age.get((keycode, 0), 0), self._slot_age.get((keycode, 1), 0)
                    )
                    candidates.append((age, keycode, 0))
                continue
            for level in (0, 1):
                if free(keycode, level):
                    candidates.append((self._slot_age.get((keycode, level), 0), keycode, level))
        if not candidates:
            return False
        _, keycode, level = min(candidates)
        pair = self._mapped.setdefault(keycode, [0, 0])
        for replaced in (0, 1) if cased else (level,):
            old = pair[replaced]
            if old:  # forget the old character wherever it sat on this keycode
                self._slot_of.pop(old, None)
                pair[:] = [0 if sym == old else sym for sym in pair]
        if cased:
            pair[:] = [keysym, keysym]
        else:
            if level == 1 and pair[0] == 0:
                level = 0
            pair[level] = keysym
        changes[keycode] = list(pair)
        self._slot_of[keysym] = (keycode, level == 1)
        return True

    def _send_batch(self, changes: dict[int, list[int]], taps: list[tuple[int, bool]]) -> None:
        if changes:
            if self._unconfirmed:
                self._wait_until_read()
            for keycode, pair in changes.items():
                self._display.change_keyboard_mapping(keycode, [tuple(pair)])
            self._sync()
        spare = set(self._spare_keycodes())
        for keycode, shift in taps:
            if keycode == NEWLINE_TAP:
                self._chord(self._newline)
            else:
                self._tap(keycode, shift)
        self._sync()
        if any(keycode in spare for keycode, _ in taps):
            self._unconfirmed = True
            self._last_sent = time.monotonic()

    def _wait_until_read(self) -> None:
        """Return once the focused window has handled the keys sent so far."""
        started = time.monotonic()
        if self._ping_focus_window():
            log.debug("target read the keys after %.1f ms", (time.monotonic() - started) * 1000)
        else:
            wait = self._last_sent + self._batch_pause_s - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        self._unconfirmed = False

    def _ping_focus_window(self) -> bool:
        """``_NET_WM_PING`` the focused top-level window; True once it answered."""
        import select

        from Xlib import X, error
        from Xlib.protocol import event as xevent

        display = self._display
        try:
            wm_protocols = display.intern_atom("WM_PROTOCOLS")
            net_wm_ping = display.intern_atom("_NET_WM_PING")
            root = display.screen().root
            window = display.get_input_focus().focus
            target = None
            while isinstance(window, type(root)) and window.id != root.id:
                if net_wm_ping in (window.get_wm_protocols() or ()):
                    target = window
                    break
                window = window.query_tree().parent
            if target is None:
                return False
            if not self._watching_root:
                # The answer goes to the root window: Qt uses StructureNotify,
                # the EWMH spec (GTK...) SubstructureNotify.
                root.change_attributes(event_mask=X.StructureNotifyMask | X.SubstructureNotifyMask)
                self._watching_root = True
            self._ping_serial = (self._ping_serial + 1) & 0x7FFFFFFF
            serial = self._ping_serial
            ping = xevent.ClientMessage(
                window=target,
                client_type=wm_protocols,
                data=(32, [net_wm_ping, serial, target.id, 0, 0]),
            )
            target.send_event(ping, event_mask=0)
            display.flush()
            deadline = time.monotonic() + self._ping_timeout_s
            while time.monotonic() < deadline:
                while display.pending_events():
                    reply = display.next_event()
                    if reply.type == X.MappingNotify:
                        display.refresh_keyboard_mapping(reply)
                    elif (
                        reply.type == X.ClientMessage
                        and reply.data[1][0] == net_wm_ping
                        and reply.data[1][1] == serial
                    ):
                        return True
                select.select([display.fileno()], [], [], 0.01)
        except (error.XError, OSError, AttributeError):
            log.debug("pinging the focused window failed", exc_info=True)
            return False
        log.info("the focused window did not answer a ping within %.1f s", self._ping_timeout_s)
        return False

    def _schedule_reset(self) -> None:
        from PySide6.QtCore import QCoreApplication, QTimer

        if QCoreApplication.instance() is None:
            return  # reset on close()
        generation = self._reset_generation

        def reset() -> None:
            if generation == self._reset_generation and not self._closed:
                self._reset_spare_keycodes()

        QTimer.singleShot(self._reset_after_ms, reset)

    def _reset_spare_keycodes(self) -> None:
        if not self._mapped:
            return
        try:
            for keycode in sorted(self._mapped):
                self._display.change_keyboard_mapping(keycode, [(0, 0)])
            self._display.sync()
        except Exception:
            log.warning("could not reset the spare keycodes", exc_info=True)
        self._mapped.clear()
        self._slot_of.clear()
        self._slot_age.clear()

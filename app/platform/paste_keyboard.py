"""Synthetic keystrokes through the ``keyboard`` package (Windows ``SendInput``).

Used with the ``keyboard`` hotkey backend (its hook hides the held keys from
``GetAsyncKeyState``). Detects an elevated foreground window, which silently drops
synthetic input, and raises :class:`~app.platform.paste_common.ElevatedTargetError`
instead. Chosen by :func:`app.platform.paste.make_paster`.
"""

from __future__ import annotations

import time
from typing import Any

from app.platform import probe, win32
from app.platform.paste_common import (
    FOCUS_UNKNOWN,
    ElevatedTargetError,
    chord_parts,
    normalise_newlines,
)


class KeyboardPaster:
    """:class:`~app.platform.paste.Paster` through the ``keyboard`` package (default on Windows)."""

    name = "keyboard"

    def __init__(self, keyboard_module: Any = None, *, stale_after_s: float = 2.0) -> None:
        if keyboard_module is None:
            import keyboard

            keyboard_module = keyboard
        self._kb: Any = keyboard_module
        self._stale_after_s = stale_after_s

    def keys_released(self) -> bool:
        # keyboard's own table sees keys its hook suppressed (GetAsyncKeyState does not).
        # Held keys auto-repeat, so an entry not refreshed for a while is a lost key-up.
        now = time.time()
        with self._kb._pressed_events_lock:
            events = list(self._kb._pressed_events.values())
        for event in events:
            if event.time is None or now - float(event.time) < self._stale_after_s:
                return False
        return not win32.any_key_down()

    def focused_window(self) -> int | None:
        if not probe.is_windows():
            return FOCUS_UNKNOWN
        return win32.foreground_window()

    def _check_target(self) -> None:
        if win32.foreground_is_elevated():
            raise ElevatedTargetError()

    def send_paste(self, key: str = "ctrl+v") -> None:
        chord_parts(key)
        self._check_target()
        self._kb.send(key)

    def send_keys(self, chord: str) -> None:
        chord_parts(chord)
        self._check_target()
        self._kb.send(chord)

    def type_text(self, text: str, newline: str = "shift+enter") -> None:
        chord_parts(newline)
        self._check_target()
        lines = normalise_newlines(text).split("\n")
        for index, line in enumerate(lines):
            if line:
                self._kb.write(line)
            if index < len(lines) - 1:
                self._kb.send(newline)

    def press_left(self, count: int) -> None:
        for _ in range(max(0, count)):
            self._kb.send("left")

    def close(self) -> None:
        pass

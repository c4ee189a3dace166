"""Synthetic keystrokes into the focused window: paste (Ctrl+V), type text, move the caret.

This module holds the :class:`Paster` Protocol and the choice of backend
(:func:`choose_paster`, :func:`make_paster`). The backends live in their own modules:

- :class:`~app.platform.paste_x11.X11Paster`: XTEST (``fake_input``) on its own X
  connection; types characters off the keyboard layout (Chinese, emoji) through spare
  keycodes. No external tool (xdotool) is needed.
- :class:`~app.platform.paste_win.SendInputPaster` (Windows default).
- :class:`~app.platform.paste_keyboard.KeyboardPaster`: the ``keyboard`` package (Windows
  ``SendInput``), used with the ``keyboard`` hotkey backend (its hook hides the held keys
  from ``GetAsyncKeyState``).
  Both Windows backends detect an elevated foreground window, which silently drops
  synthetic input, and raise :class:`PasteError` instead of failing silently.

What they share (errors, chords, newline handling, :data:`FOCUS_UNKNOWN`) is in
:mod:`app.platform.paste_common`, re-exported here for callers.

A newline is always typed as Shift+Enter, never a bare Enter, so a chat window does
not send a half-written reply.
"""

from __future__ import annotations

import logging
from typing import Protocol

from app.platform import probe
from app.platform.paste_common import CHORD_KEYSYMS as CHORD_KEYSYMS
from app.platform.paste_common import ELEVATED_MESSAGE as ELEVATED_MESSAGE
from app.platform.paste_common import FOCUS_UNKNOWN as FOCUS_UNKNOWN
from app.platform.paste_common import ElevatedTargetError as ElevatedTargetError
from app.platform.paste_common import PasteError as PasteError
from app.platform.paste_common import chord_parts as chord_parts
from app.platform.paste_common import normalise_newlines as normalise_newlines
from app.platform.paste_keyboard import KeyboardPaster
from app.platform.paste_x11 import X11Paster

log = logging.getLogger(__name__)


class Paster(Protocol):
    name: str

    def keys_released(self) -> bool:
        """True when no key (in particular no modifier of the hotkey) is held down."""
        ...

    def focused_window(self) -> int | None:
        """Native id of the window keystrokes would reach now; None while no window has
        the keyboard focus (e.g. just after a dialog closed); :data:`FOCUS_UNKNOWN` when
        the backend cannot tell."""
        ...

    def send_paste(self, key: str = "ctrl+v") -> None:
        """Send the paste chord ``key`` (one of :data:`app.core.appprofiles.PASTE_KEYS`
        but ``type``) to the focused window; raises :class:`PasteError`."""
        ...

    def type_text(self, text: str, newline: str = "shift+enter") -> None:
        """Type ``text``; each newline as the chord ``newline`` (Shift+Enter unless the
        app's profile says otherwise). Raises :class:`PasteError`."""
        ...

    def send_keys(self, chord: str) -> None:
        """Press one chord of :data:`app.core.appprofiles.CHORDS` (``enter`` to send)."""
        ...

    def press_left(self, count: int) -> None:
        """Press the Left arrow ``count`` times (to place the caret at ``{cursor}``)."""
        ...

    def close(self) -> None:
        """Release OS resources (X connection, remapped keycodes)."""
        ...


# -- factory ----------------------------------------------------------------------------


PASTERS = ("auto", "sendinput", "x11", "keyboard")


def choose_paster(preference: str = "auto") -> tuple[str | None, str]:
    """Which paste backend ``preference`` leads to here, and why (no side effects).

    ``auto``: SendInput on Windows; on Linux XTEST when an X server is reachable, else the
    keyboard package when running as root with /dev/input. ``(None, reason)`` when
    nothing can work.
    """
    if preference not in PASTERS:
        return None, f"unknown paste backend '{preference}' ({', '.join(PASTERS)})"
    chosen = " (chosen in settings)" if preference != "auto" else ""
    if preference == "sendinput" or (preference == "auto" and probe.is_windows()):
        if not probe.is_windows():
            return None, "sendinput paste backend unavailable: not Windows"
        return "sendinput", (
            f"SendInput{chosen}; windows of programs run as administrator refuse it "
            "unless Huashu runs as administrator too"
        )
    x_problem: str | None = None
    if preference == "x11" or preference == "auto":
        x_problem = probe.x11_problem(need_xtest=True)
        if x_problem is None:
            reason = "XTEST on the X server" + chosen
            if probe.wayland_session():
                reason += "; Wayland session: only reaches XWayland windows"
            return "x11", reason
        if preference == "x11":
            return None, f"x11 paste backend unavailable: {x_problem}"
    kb_problem = probe.keyboard_problem()
    if kb_problem is None:
        if probe.is_windows():
            return "keyboard", (
                f"keyboard package (SendInput){chosen}; windows of programs run as "
                "administrator refuse it unless Huashu runs as administrator too"
            )
        fallback = f"; x11 unavailable: {x_problem}" if x_problem else ""
        return "keyboard", f"keyboard package (root with /dev/input){chosen}{fallback}"
    if preference == "keyboard":
        return None, f"keyboard paste backend unavailable: {kb_problem}"
    if x_problem:
        return None, f"no way to send keystrokes: x11: {x_problem}; keyboard: {kb_problem}"
    return None, f"no way to send keystrokes: {kb_problem}"


def make_paster(preference: str = "auto") -> tuple[Paster, str]:
    """Create the paste backend for ``preference`` (one of :data:`PASTERS`).

    Returns the backend and why; raises :class:`PasteError` with the reason when nothing
    (or not the explicit choice) can work. Without a paster, use the pipeline's copy mode
    (``PastePipeline(clipboard, None)``).
    """
    name, reason = choose_paster(preference)
    if name is None:
        raise PasteError(reason)
    paster: Paster
    if name == "sendinput":
        from app.platform.paste_win import SendInputPaster

        paster = SendInputPaster()
    elif name == "x11":
        paster = X11Paster()
    else:
        paster = KeyboardPaster()
    log.info("paste backend: %s (%s)", name, reason)
    return paster, reason

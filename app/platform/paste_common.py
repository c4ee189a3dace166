"""What every paste backend shares: the errors, the chords and newline handling.

Its own module so the backends (``paste_x11``, ``paste_keyboard``, ``paste_win``) need not
import ``paste``, which picks them in :func:`app.platform.paste.make_paster`: no import
circle.
"""

from __future__ import annotations

ELEVATED_MESSAGE = (
    "The focused window runs as administrator and Windows blocks keystrokes sent to it "
    "(run Huashu as administrator to paste there)."
)

#: :meth:`~app.platform.paste.Paster.focused_window` when the backend cannot tell which
#: window has the focus.
FOCUS_UNKNOWN = -1


class PasteError(RuntimeError):
    """Keystrokes cannot be delivered; the message is fit for the user."""


class ElevatedTargetError(PasteError):
    """The focused window runs as administrator: Windows drops the keys we would send."""

    def __init__(self) -> None:
        super().__init__(ELEVATED_MESSAGE)


#: Chord part -> X keysym name (the chords of app.core.appprofiles.CHORDS).
CHORD_KEYSYMS = {
    "ctrl": "Control_L",
    "shift": "Shift_L",
    "alt": "Alt_L",
    "v": "v",
    "s": "s",
    "insert": "Insert",
    "enter": "Return",
}


def chord_parts(chord: str) -> list[str]:
    """``"ctrl+shift+v"`` -> ``["ctrl", "shift", "v"]``; PasteError for an unknown part."""
    parts = [p.strip().lower() for p in chord.split("+")]
    for part in parts:
        if part not in CHORD_KEYSYMS:
            raise PasteError(f"unknown key '{part}' in '{chord}'")
    return parts


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")

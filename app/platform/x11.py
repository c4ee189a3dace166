"""Small helpers shared by the X11 backends (hotkeys, XTEST paste): python-xlib only.

Importing this module never opens a display; :func:`open_display` does, and raises
:class:`X11Unavailable` with a reason a user can act on.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from app.platform.hotkeys import FUNCTION_KEYS

log = logging.getLogger(__name__)

# Canonical key name (see app.platform.hotkeys.KEY_NAMES) -> X keysym name.
_KEYSYM_NAMES: dict[str, str] = {
    "space": "space",
    "enter": "Return",
    "tab": "Tab",
    "esc": "Escape",
    "backspace": "BackSpace",
    "delete": "Delete",
    "insert": "Insert",
    "home": "Home",
    "end": "End",
    "page up": "Prior",
    "page down": "Next",
    "up": "Up",
    "down": "Down",
    "left": "Left",
    "right": "Right",
    "print screen": "Print",
    "pause": "Pause",
    "-": "minus",
    "=": "equal",
    "[": "bracketleft",
    "]": "bracketright",
    ";": "semicolon",
    "'": "apostrophe",
    "comma": "comma",
    ".": "period",
    "/": "slash",
    "\\": "backslash",
    "`": "grave",
}
_KEYSYM_NAMES.update({f: f.upper() for f in FUNCTION_KEYS})


class X11Unavailable(RuntimeError):
    """No usable X server (no $DISPLAY, connection refused, python-xlib missing...)."""


# A connection the probe opened, handed to the first backend that needs one: opening a
# connection costs 10-30 ms because python-xlib queries every extension.
_spare: dict[str, Any] = {}


def keep_spare(display: Any) -> None:
    """Keep an open connection for the next :func:`open_display` of the same display."""
    name = display.get_display_name()
    old = _spare.pop(name, None)
    if old is not None:
        old.close()
    _spare[name] = display


def spare_uname_fork() -> None:
    """Keep python-xlib from running ``uname -p`` (a fork and exec at every start-up).

    Its ``unix_connect`` indexes ``platform.uname()`` at import, and CPython fills in the
    ``processor`` field of that cached result by running ``uname -p`` the first time any
    field is read by index. Huashu never reads the processor; it is set to "" (what
    CPython gives for ``unknown``, the answer of Debian's ``uname -p``) unless something
    already computed it.
    """
    import platform

    result = platform.uname()
    if "processor" not in vars(result):  # a functools.cached_property not yet computed
        vars(result)["processor"] = ""


def open_display(name: str | None = None) -> Any:
    """A new connection to the X server (``name`` or ``$DISPLAY``), or the kept spare."""
    target = name or os.environ.get("DISPLAY", "")
    if not target:
        raise X11Unavailable("no $DISPLAY (not an X11 session)")
    spare = _spare.pop(target, None)
    if spare is not None:
        return spare
    spare_uname_fork()
    try:
        import Xlib.display
        import Xlib.error
    except ImportError as exc:
        raise X11Unavailable(f"python-xlib is not installed ({exc})") from exc
    try:
        return _connect(target)
    except (Xlib.error.DisplayError, OSError) as exc:
        raise X11Unavailable(f"cannot connect to X display {target}: {exc}") from exc


#: The X extensions Huashu's backends use: XTEST (paste, and the probe's check for it).
EXTENSIONS = ("XTEST",)


def _connect(target: str) -> Any:
    """A python-xlib connection that sets up only :data:`EXTENSIONS`.

    python-xlib's ``Display`` imports a module and asks the server once for every extension
    it knows and the server has (13 on Xvfb); it takes that list from
    ``Xlib.ext.__extensions__`` as it connects. Narrowed to what Huashu uses, three
    connections take ~22 ms instead of ~40 ms of the start-up. The list is put back at
    once: other code in the process still gets every extension.
    """
    import Xlib.display
    import Xlib.ext

    known = Xlib.ext.__extensions__
    Xlib.ext.__extensions__ = [pair for pair in known if pair[0] in EXTENSIONS]
    try:
        return Xlib.display.Display(target)
    finally:
        Xlib.ext.__extensions__ = known


def keysym_for_key(key: str) -> int:
    """The X keysym of a canonical key name; 0 if unknown."""
    from Xlib import XK

    name = _KEYSYM_NAMES.get(key, key)
    return int(XK.string_to_keysym(name))


def keysym_for_name(name: str) -> int:
    from Xlib import XK

    return int(XK.string_to_keysym(name))


def keycodes_for_keysym(display: Any, keysym: int) -> list[int]:
    """Keycodes that produce ``keysym`` on the first two levels (plain or shifted)."""
    codes = [code for code, index in display.keysym_to_keycodes(keysym) if index < 2]
    return sorted(set(codes))


def modifier_masks(display: Any) -> dict[str, int]:
    """Mask bits of ctrl/shift/alt/win and the lock modifiers on this server.

    Alt and Super are found from the modifier mapping (usually Mod1 and Mod4);
    ``numlock``/``scrolllock`` are 0 when the server does not map them.
    """
    from Xlib import XK, X

    masks = {"ctrl": X.ControlMask, "shift": X.ShiftMask, "capslock": X.LockMask}
    wanted = {
        "alt": ("Alt_L", "Alt_R", "Meta_L", "Meta_R"),
        "win": ("Super_L", "Super_R", "Hyper_L", "Hyper_R"),
        "numlock": ("Num_Lock",),
        "scrolllock": ("Scroll_Lock",),
    }
    keysyms = {role: {int(XK.string_to_keysym(n)) for n in names} for role, names in wanted.items()}
    mapping = display.get_modifier_mapping()
    found: dict[str, int] = {}
    # Index 0..2 are Shift, Lock, Control; 3..7 are Mod1..Mod5.
    for index in range(3, 8):
        for keycode in mapping[index]:
            if not keycode:
                continue
            syms = {display.keycode_to_keysym(keycode, level) for level in range(4)}
            for role, wanted_syms in keysyms.items():
                if role not in found and syms & wanted_syms:
                    found[role] = 1 << index
    masks["alt"] = found.get("alt", X.Mod1Mask)
    masks["win"] = found.get("win", X.Mod4Mask)
    masks["numlock"] = found.get("numlock", 0)
    masks["scrolllock"] = found.get("scrolllock", 0)
    return masks


def any_key_down(display: Any) -> bool:
    """True while any key of the core keyboard is physically down (``XQueryKeymap``)."""
    keymap = display.query_keymap()
    return any(keymap)

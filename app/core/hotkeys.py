"""The hotkey notation: parse, normalise and compare hotkey strings (pure, no OS).

Hotkey strings use the ``keyboard`` package's notation: modifiers and one key joined by
``+`` (``ctrl+alt+1``, ``ctrl+alt+space``, ``ctrl+shift+f2``). Multi-step sequences
(``ctrl+a, b``) are not supported. :func:`parse_hotkey` validates a string and
``str(hotkey)`` gives its canonical form (modifiers in the order ctrl, alt, shift, win),
so ``alt+ctrl+1`` and ``Ctrl+Alt+1`` are the same hotkey (:func:`same_hotkey`).

Written once here; the settings, packs, the editor and every OS backend use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MODIFIER_ORDER: tuple[str, ...] = ("ctrl", "alt", "shift", "win")

_MODIFIER_ALIASES: dict[str, str] = {
    "ctrl": "ctrl",
    "control": "ctrl",
    "ctl": "ctrl",
    "alt": "alt",
    "option": "alt",
    "shift": "shift",
    "win": "win",
    "windows": "win",
    "super": "win",
    "meta": "win",
    "cmd": "win",
    "command": "win",
}

_NAMED_KEYS: tuple[str, ...] = (
    "space",
    "enter",
    "tab",
    "esc",
    "backspace",
    "delete",
    "insert",
    "home",
    "end",
    "page up",
    "page down",
    "up",
    "down",
    "left",
    "right",
    "print screen",
    "pause",
)

# Punctuation keys of a US layout, by canonical name. The comma is spelled out because
# a literal "," separates the steps of a sequence in the keyboard package's notation.
PUNCTUATION_KEYS: tuple[str, ...] = ("-", "=", "[", "]", ";", "'", "comma", ".", "/", "\\", "`")

FUNCTION_KEYS: tuple[str, ...] = tuple(f"f{n}" for n in range(1, 25))

#: Every key name :func:`parse_hotkey` accepts as the non-modifier key (canonical form).
KEY_NAMES: frozenset[str] = frozenset(
    [chr(c) for c in range(ord("a"), ord("z") + 1)]
    + [str(d) for d in range(10)]
    + list(FUNCTION_KEYS)
    + list(_NAMED_KEYS)
    + list(PUNCTUATION_KEYS)
)

_KEY_ALIASES: dict[str, str] = {
    "return": "enter",
    "escape": "esc",
    "del": "delete",
    "ins": "insert",
    "pgup": "page up",
    "pageup": "page up",
    "prior": "page up",
    "pgdn": "page down",
    "pagedown": "page down",
    "next": "page down",
    "spacebar": "space",
    "space bar": "space",
    "left arrow": "left",
    "right arrow": "right",
    "up arrow": "up",
    "down arrow": "down",
    "prtscn": "print screen",
    "printscreen": "print screen",
    "print": "print screen",
    "minus": "-",
    "hyphen": "-",
    "equal": "=",
    "equals": "=",
    "left bracket": "[",
    "bracketleft": "[",
    "right bracket": "]",
    "bracketright": "]",
    "semicolon": ";",
    "apostrophe": "'",
    "quote": "'",
    "period": ".",
    "dot": ".",
    "slash": "/",
    "backslash": "\\",
    "grave": "`",
    "backtick": "`",
}

# Keys that type a character or edit text: bound without ctrl/alt/win they would stop
# the agent from typing that key anywhere.
_TYPING_KEYS: frozenset[str] = frozenset(
    [chr(c) for c in range(ord("a"), ord("z") + 1)]
    + [str(d) for d in range(10)]
    + list(PUNCTUATION_KEYS)
    + ["space", "enter", "tab", "backspace", "delete", "up", "down", "left", "right"]
)


class HotkeyError(ValueError):
    """A hotkey string is invalid, or cannot be bound on this backend."""


@dataclass(frozen=True)
class Hotkey:
    """A parsed single-step hotkey: a set of modifiers plus one non-modifier key."""

    modifiers: frozenset[str]
    key: str

    def __str__(self) -> str:
        ordered = [m for m in MODIFIER_ORDER if m in self.modifiers]
        return "+".join([*ordered, self.key])

    @property
    def blocks_typing(self) -> bool:
        """True if the hotkey would swallow an ordinary typing key (no ctrl/alt/win)."""
        return not (self.modifiers & {"ctrl", "alt", "win"}) and self.key in _TYPING_KEYS


def _normalise_token(token: str) -> str:
    return re.sub(r"\s+", " ", token.strip()).lower()


def parse_hotkey(text: str) -> Hotkey:
    """Parse ``text`` (keyboard-package notation) into a :class:`Hotkey`.

    Raises :class:`HotkeyError` with an English message saying what is wrong.
    """
    if not isinstance(text, str):
        raise HotkeyError(f"A hotkey must be a string, not {type(text).__name__}.")
    stripped = text.strip()
    if not stripped:
        raise HotkeyError("The hotkey is empty.")
    if "," in stripped:
        raise HotkeyError(
            f"'{stripped}': key sequences (keys separated by ',') are not supported; "
            "use one combination such as ctrl+alt+1 (write 'comma' for the comma key)."
        )
    modifiers: list[str] = []
    keys: list[str] = []
    for raw in stripped.split("+"):
        token = _normalise_token(raw)
        if not token:
            raise HotkeyError(
                f"'{stripped}': empty key name between '+' signs "
                "(the plus key cannot be bound; use '=' for the +/= key)."
            )
        if token in _MODIFIER_ALIASES:
            modifier = _MODIFIER_ALIASES[token]
            if modifier in modifiers:
                raise HotkeyError(f"'{stripped}': the modifier '{modifier}' appears twice.")
            modifiers.append(modifier)
            continue
        if token.startswith(("left ", "right ")) and token.split(" ", 1)[1] in _MODIFIER_ALIASES:
            side_free = _MODIFIER_ALIASES[token.split(" ", 1)[1]]
            raise HotkeyError(
                f"'{stripped}': left/right modifiers are not supported; write '{side_free}'."
            )
        key = _KEY_ALIASES.get(token, token)
        if key not in KEY_NAMES:
            raise HotkeyError(f"'{stripped}': unknown key name '{raw.strip()}'.")
        if key in keys:
            raise HotkeyError(f"'{stripped}': the key '{key}' appears twice.")
        keys.append(key)
    if not keys:
        raise HotkeyError(
            f"'{stripped}': a hotkey needs one key besides the modifiers (e.g. ctrl+alt+1)."
        )
    if len(keys) > 1:
        listed = ", ".join(f"'{k}'" for k in keys)
        raise HotkeyError(
            f"'{stripped}': only one key besides the modifiers is allowed, found {listed}."
        )
    return Hotkey(frozenset(modifiers), keys[0])


def normalise_hotkey(text: str) -> str:
    """The canonical form of ``text`` (raises :class:`HotkeyError` if invalid)."""
    return str(parse_hotkey(text))


def same_hotkey(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` name the same combination; invalid strings compare as text."""
    return hotkey_key(a) == hotkey_key(b)


def hotkey_key(text: str) -> str:
    """A comparison key for ``text``: its canonical form, or the cleaned text if invalid."""
    try:
        return normalise_hotkey(text)
    except HotkeyError:
        return _normalise_token(text)


# -- bindings and their problems (data, no OS) ---------------------------------------------

#: The action whose hotkey stays bound while the hotkeys are paused (so it can resume).
PAUSE_ACTION = "pause"


class HotkeyTaken(HotkeyError):
    """Another program holds the combination (a grab layer raises it)."""


class HotkeyUnsupported(HotkeyError):
    """The key cannot be bound here, e.g. it is not on the keyboard layout."""


@dataclass(frozen=True)
class Binding:
    """One row of the binding table: ``hotkey`` (any spelling) runs ``action``."""

    hotkey: str
    action: str


@dataclass(frozen=True)
class HotkeyProblem:
    """Why a binding is not in effect, as a code the UI translates.

    ``hotkey`` is the canonical form (the text as written for ``INVALID``). ``detail``:
    for ``DUPLICATE`` the action that keeps the hotkey, for the other codes an English
    reason for the log (never shown: the UI words each code itself).
    """

    code: str
    hotkey: str
    action: str
    detail: str = ""

    INVALID = "invalid"
    DUPLICATE = "duplicate"
    TAKEN = "taken"
    UNSUPPORTED = "unsupported"
    REFUSED = "refused"

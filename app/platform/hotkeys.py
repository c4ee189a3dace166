"""Global hotkeys: the notation, its parser, the backend protocol and pure helpers.

Hotkey strings use the ``keyboard`` package's notation: modifiers and one key joined by
``+`` (``ctrl+alt+1``, ``ctrl+alt+space``, ``ctrl+shift+f2``). Multi-step sequences
(``ctrl+a, b``) are not supported. :func:`parse_hotkey` validates a string and
``str(hotkey)`` gives its canonical form (modifiers in the order ctrl, alt, shift, win).

Backends (:mod:`app.platform.hotkeys_x11`, :mod:`app.platform.hotkeys_keyboard`, the fake
in :mod:`app.platform.fake`) implement :class:`HotkeyBackend`; pick one with
:func:`app.platform.factory.make_hotkey_backend`. Whatever thread the OS reports a key
on, every backend calls the registered callbacks on the Qt GUI thread.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

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


class HotkeyConflict(HotkeyError):
    """The hotkey is already bound, by this app (``by_other_program`` False) or another one."""

    def __init__(self, hotkey: str, message: str, *, by_other_program: bool) -> None:
        super().__init__(message)
        self.hotkey = hotkey
        self.by_other_program = by_other_program


class HotkeyBackendError(RuntimeError):
    """The hotkey backend cannot work here (no X display, no permission, ...)."""


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


def find_conflicts(bindings: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Hotkeys claimed by more than one owner.

    ``bindings`` maps an owner (a phrase id, or an app action such as ``"picker"``) to the
    hotkey strings it wants. The result maps each canonical hotkey used by two or more
    owners to those owners, sorted; ``ctrl+alt+1`` and ``Alt+Ctrl+1`` are the same hotkey.
    Invalid strings are skipped here: validate them with :func:`parse_hotkey`.
    """
    owners_by_key: dict[str, set[str]] = {}
    for owner, hotkeys in bindings.items():
        for text in hotkeys:
            if not text or not text.strip():
                continue
            try:
                canonical = normalise_hotkey(text)
            except HotkeyError:
                continue
            owners_by_key.setdefault(canonical, set()).add(owner)
    return {key: sorted(owners) for key, owners in sorted(owners_by_key.items()) if len(owners) > 1}


class HotkeyBackend(Protocol):
    """A source of global hotkeys. Callbacks always run on the Qt GUI thread."""

    name: str

    def register(self, hotkey: str, callback: Callable[[], None]) -> None:
        """Bind ``hotkey``; raises :class:`HotkeyError` if invalid and
        :class:`HotkeyConflict` if already bound here or held by another program."""
        ...

    def unregister(self, hotkey: str) -> None:
        """Release ``hotkey``; unknown or invalid hotkeys are ignored."""
        ...

    def unregister_all(self) -> None: ...

    def registered(self) -> list[str]:
        """Canonical forms of the bound hotkeys, sorted."""
        ...

    def set_paused(self, paused: bool) -> list[str]:
        """Temporarily release (True) or re-take (False) every binding, e.g. while the
        settings window records a new hotkey. Bindings are remembered. Returns the
        hotkeys that could not be re-taken (another program grabbed them meanwhile)."""
        ...

    def close(self) -> None:
        """Release everything; the backend is unusable afterwards."""
        ...


class NoHotkeys:
    """The backend used when no real one works: bindings are checked and kept, never fire.

    The app still runs (tray, picker from the tray menu, settings); the user is told why.
    """

    name = "none"

    def __init__(self) -> None:
        self._bound: set[str] = set()

    def register(self, hotkey: str, callback: Callable[[], None]) -> None:
        self._bound.add(normalise_hotkey(hotkey))

    def unregister(self, hotkey: str) -> None:
        try:
            self._bound.discard(normalise_hotkey(hotkey))
        except HotkeyError:
            pass

    def unregister_all(self) -> None:
        self._bound.clear()

    def registered(self) -> list[str]:
        return sorted(self._bound)

    def set_paused(self, paused: bool) -> list[str]:
        return []

    def close(self) -> None:
        self._bound.clear()

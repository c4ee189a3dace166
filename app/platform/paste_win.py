"""Windows keystrokes through ``SendInput`` (default paster on Windows).

- :meth:`SendInputPaster.keys_released` reads ``GetAsyncKeyState``: with the
  ``RegisterHotKey`` backend no hook hides keys from it, so it sees the hotkey's
  modifiers until the agent lets go.
- Ctrl+V and the Left presses for ``{cursor}`` are virtual-key events with their scan
  codes (some chat clients read the scan code).
- ``type`` mode sends each UTF-16 unit as a ``KEYEVENTF_UNICODE`` event (any character,
  whatever the keyboard layout or input method); a newline is Shift+Enter, never a bare
  Enter, so a chat window does not send a half-written reply.
- Windows drops synthetic input sent to a window of a program run as administrator
  without saying so (``SendInput`` still reports success): the foreground window is
  checked first and :class:`~app.platform.paste.PasteError` tells the user to run Huashu
  as administrator too.

The event sequences are pure (:func:`paste_keys`, :func:`type_keys`, :func:`left_keys`);
the Win32 calls go through :class:`InputApi`, so both are tested on any OS.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import NamedTuple, Protocol

from app.platform.paste_common import (
    ElevatedTargetError,
    PasteError,
    chord_parts,
    normalise_newlines,
)

log = logging.getLogger(__name__)

VK_SHIFT = 0x10
VK_CONTROL = 0x11
VK_RETURN = 0x0D
VK_LEFT = 0x25
VK_V = 0x56
VK_MENU = 0x12
VK_INSERT = 0x2D
VK_S = 0x53

#: Chord part (app.core.appprofiles.CHORDS) -> virtual key.
CHORD_VKS = {
    "ctrl": VK_CONTROL,
    "shift": VK_SHIFT,
    "alt": VK_MENU,
    "v": VK_V,
    "s": VK_S,
    "insert": VK_INSERT,
    "enter": VK_RETURN,
}

KEYEVENTF_EXTENDEDKEY = 0x0001
KEYEVENTF_KEYUP = 0x0002
KEYEVENTF_UNICODE = 0x0004

#: Keys whose scan code needs the E0 prefix (else Left arrives as keypad 4 to scan readers).
_EXTENDED = frozenset({VK_LEFT, 0x26, 0x27, 0x28, 0x2D, 0x2E, 0x24, 0x23, 0x21, 0x22})

#: Events per ``SendInput`` call: long replies go in chunks so no input queue overflows.
CHUNK = 200


class KeyInput(NamedTuple):
    """One ``KEYBDINPUT``: a virtual key (0 for Unicode), a scan code or UTF-16 unit, flags."""

    vk: int
    scan: int
    flags: int


class InputApi(Protocol):
    """The Win32 calls the paster needs (real: :class:`User32InputApi`)."""

    def send(self, keys: Sequence[KeyInput]) -> int:
        """``SendInput``: how many events were inserted."""
        ...

    def scan_code(self, vk: int) -> int:
        """``MapVirtualKeyW(vk, MAPVK_VK_TO_VSC)``."""
        ...

    def key_down(self, vk: int) -> bool:
        """``GetAsyncKeyState(vk) & 0x8000``."""
        ...

    def foreground_window(self) -> int | None: ...

    def foreground_is_elevated(self) -> bool: ...


def _vk_tap(vk: int, scan: int) -> list[KeyInput]:
    extended = KEYEVENTF_EXTENDEDKEY if vk in _EXTENDED else 0
    return [KeyInput(vk, scan, extended), KeyInput(vk, scan, extended | KEYEVENTF_KEYUP)]


def _chord(modifier: int, modifier_scan: int, keys: list[KeyInput]) -> list[KeyInput]:
    return [
        KeyInput(modifier, modifier_scan, 0),
        *keys,
        KeyInput(modifier, modifier_scan, KEYEVENTF_KEYUP),
    ]


def paste_keys(scan: dict[int, int]) -> list[KeyInput]:
    """Ctrl+V; ``scan`` maps the virtual keys to their scan codes."""
    return _chord(VK_CONTROL, scan[VK_CONTROL], _vk_tap(VK_V, scan[VK_V]))


def chord_vks(chord: str) -> list[int]:
    """The virtual keys of a profile chord (``ctrl+shift+v``), in pressing order."""
    return [CHORD_VKS[part] for part in chord_parts(chord)]


def chord_keys(chord: str, scan: dict[int, int]) -> list[KeyInput]:
    """Press the chord's keys in order and release them in reverse order."""
    vks = chord_vks(chord)
    downs: list[KeyInput] = []
    ups: list[KeyInput] = []
    for vk in vks:
        down, up = _vk_tap(vk, scan[vk])  # a key without its scan code is a bug
        downs.append(down)
        ups.insert(0, up)
    return downs + ups


def left_keys(count: int, scan: dict[int, int]) -> list[KeyInput]:
    """``count`` presses of the Left arrow."""
    keys: list[KeyInput] = []
    for _ in range(max(0, count)):
        keys += _vk_tap(VK_LEFT, scan[VK_LEFT])
    return keys


def utf16_units(char: str) -> list[int]:
    """The UTF-16 code units of one character (two for characters beyond the BMP)."""
    data = char.encode("utf-16-le")
    return [int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data), 2)]


def type_keys(text: str, scan: dict[int, int], newline: str = "shift+enter") -> list[KeyInput]:
    """Key events typing ``text``: Unicode events, each newline as the chord ``newline``
    (Shift+Enter unless the app's profile says otherwise)."""
    keys: list[KeyInput] = []
    line_break = chord_keys(newline, scan)
    for char in normalise_newlines(text):
        if char == "\n":
            keys += line_break
            continue
        for unit in utf16_units(char):
            keys.append(KeyInput(0, unit, KEYEVENTF_UNICODE))
            keys.append(KeyInput(0, unit, KEYEVENTF_UNICODE | KEYEVENTF_KEYUP))
    return keys


def chunks(keys: Sequence[KeyInput], size: int = CHUNK) -> Iterable[Sequence[KeyInput]]:
    """``keys`` in pieces of at most ``size``, never splitting a key's down from its up
    nor a Shift+Enter chord (a chunk ends only where no key is held)."""
    held: set[tuple[int, int]] = set()
    start = 0
    for index, key in enumerate(keys):
        ident = (key.vk, key.scan)  # the scan code of a virtual key is the same down and up
        if key.flags & KEYEVENTF_KEYUP:
            held.discard(ident)
        else:
            held.add(ident)
        if not held and index + 1 - start >= size:
            yield keys[start : index + 1]
            start = index + 1
    if start < len(keys):
        yield keys[start:]


#: Virtual keys checked by :meth:`SendInputPaster.keys_released`: every keyboard key,
#: not the mouse buttons (0x01-0x06) nor codes that never reflect a physical key.
KEYBOARD_VKS: tuple[int, ...] = tuple(
    vk for vk in range(0x08, 0xFF) if vk not in (0x0A, 0x0B, 0x0E, 0x0F, 0xE7)
)


class SendInputPaster:
    """:class:`~app.platform.paste.Paster` on ``SendInput`` (Windows)."""

    name = "sendinput"

    def __init__(self, api: InputApi | None = None) -> None:
        if api is None:
            try:
                api = User32InputApi()
            except (ImportError, OSError, AttributeError) as exc:
                raise PasteError(f"user32 is not available here: {exc}") from exc
        self._api: InputApi = api
        self._scan: dict[int, int] = {}

    def _scans(self, *vks: int) -> dict[int, int]:
        for vk in vks:
            if vk not in self._scan:
                self._scan[vk] = self._api.scan_code(vk)
        return self._scan

    def _send(self, keys: Sequence[KeyInput]) -> None:
        for piece in chunks(keys):
            sent = self._api.send(piece)
            if sent != len(piece):
                raise PasteError(
                    f"Windows accepted {sent} of {len(piece)} keystrokes "
                    "(another program may be blocking input)."
                )

    def _check_target(self) -> None:
        if self._api.foreground_is_elevated():
            raise ElevatedTargetError()

    # -- Paster -------------------------------------------------------------------------

    def keys_released(self) -> bool:
        return not any(self._api.key_down(vk) for vk in KEYBOARD_VKS)

    def focused_window(self) -> int | None:
        return self._api.foreground_window()

    def send_paste(self, key: str = "ctrl+v") -> None:
        vks = chord_vks(key)
        self._check_target()
        self._send(chord_keys(key, self._scans(*vks)))

    def send_keys(self, chord: str) -> None:
        vks = chord_vks(chord)
        self._check_target()
        self._send(chord_keys(chord, self._scans(*vks)))

    def type_text(self, text: str, newline: str = "shift+enter") -> None:
        vks = chord_vks(newline)
        self._check_target()
        self._send(type_keys(text, self._scans(*vks), newline))

    def press_left(self, count: int) -> None:
        self._send(left_keys(count, self._scans(VK_LEFT)))

    def close(self) -> None:
        pass


class User32InputApi:
    """:class:`InputApi` on user32 (Windows only), through :mod:`app.platform.win32api`."""

    def __init__(self) -> None:
        from app.platform import win32, win32api

        self._win32 = win32
        self._api = win32api
        win32api.function("SendInput")  # fail here, not at the first paste

    def send(self, keys: Sequence[KeyInput]) -> int:
        import ctypes

        api = self._api
        inputs = (api.INPUT * len(keys))()
        for item, key in zip(inputs, keys, strict=True):
            item.type = api.INPUT_KEYBOARD
            item.ki = api.KEYBDINPUT(key.vk, key.scan, key.flags, 0, 0)
        return int(api.SendInput(len(keys), inputs, ctypes.sizeof(api.INPUT)))

    def scan_code(self, vk: int) -> int:
        return int(self._api.MapVirtualKeyW(vk, 0))  # MAPVK_VK_TO_VSC

    def key_down(self, vk: int) -> bool:
        return bool(self._api.GetAsyncKeyState(vk) & 0x8000)

    def foreground_window(self) -> int | None:
        return self._win32.foreground_window()

    def foreground_is_elevated(self) -> bool:
        return self._win32.foreground_is_elevated()

"""The pure parts of the Windows helpers (the ctypes calls only run on Windows)."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from app.platform import win32
from app.platform.hotkeys import KEY_NAMES, parse_hotkey


def test_every_key_name_has_a_virtual_key() -> None:
    assert set(win32.VIRTUAL_KEYS) == set(KEY_NAMES)
    assert len(set(win32.VIRTUAL_KEYS.values())) == len(win32.VIRTUAL_KEYS)


@pytest.mark.parametrize(
    ("text", "flags", "vk"),
    [
        ("ctrl+alt+1", win32.MOD_CONTROL | win32.MOD_ALT, 0x31),
        ("ctrl+alt+space", win32.MOD_CONTROL | win32.MOD_ALT, 0x20),
        ("ctrl+shift+f2", win32.MOD_CONTROL | win32.MOD_SHIFT, 0x71),
        ("win+a", win32.MOD_WIN, 0x41),
        ("ctrl+comma", win32.MOD_CONTROL, 0xBC),
        ("f24", 0, 0x87),
    ],
)
def test_hotkey_flags(text: str, flags: int, vk: int) -> None:
    assert win32.hotkey_flags(parse_hotkey(text)) == (flags | win32.MOD_NOREPEAT, vk)


def test_hotkey_taken_probes_and_releases() -> None:
    calls: list[tuple[Any, ...]] = []
    taken = {(win32.MOD_CONTROL | win32.MOD_ALT | win32.MOD_NOREPEAT, 0x31)}

    def register(ident: int, flags: int, vk: int) -> bool:
        calls.append(("register", ident, flags, vk))
        return (flags, vk) not in taken

    def unregister(ident: int) -> bool:
        calls.append(("unregister", ident))
        return True

    assert win32.hotkey_taken(parse_hotkey("ctrl+alt+1"), register, unregister) is True
    assert [c[0] for c in calls] == ["register"]  # nothing to release after a failure
    calls.clear()
    assert win32.hotkey_taken(parse_hotkey("ctrl+alt+2"), register, unregister) is False
    assert [c[0] for c in calls] == ["register", "unregister"]
    assert calls[0][1] == calls[1][1]


@pytest.mark.skipif(sys.platform == "win32", reason="checks the non-Windows answers")
def test_neutral_answers_elsewhere() -> None:
    assert win32.hotkey_taken(parse_hotkey("ctrl+alt+1")) is False
    assert win32.any_key_down() is False
    assert win32.foreground_is_elevated() is False

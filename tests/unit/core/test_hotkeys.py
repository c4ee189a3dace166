from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.hotkeys import (
    KEY_NAMES,
    MODIFIER_ORDER,
    Hotkey,
    HotkeyError,
    HotkeyTaken,
    HotkeyUnsupported,
    hotkey_key,
    normalise_hotkey,
    parse_hotkey,
    same_hotkey,
)


@pytest.mark.parametrize(
    ("text", "modifiers", "key", "canonical"),
    [
        ("ctrl+alt+1", {"ctrl", "alt"}, "1", "ctrl+alt+1"),
        ("ctrl+alt+space", {"ctrl", "alt"}, "space", "ctrl+alt+space"),
        ("ctrl+shift+f2", {"ctrl", "shift"}, "f2", "ctrl+shift+f2"),
        ("Alt+Ctrl+1", {"ctrl", "alt"}, "1", "ctrl+alt+1"),
        ("shift + ctrl + A", {"ctrl", "shift"}, "a", "ctrl+shift+a"),
        ("win+shift+alt+ctrl+z", {"ctrl", "alt", "shift", "win"}, "z", "ctrl+alt+shift+win+z"),
        ("windows+d", {"win"}, "d", "win+d"),
        ("super+d", {"win"}, "d", "win+d"),
        ("control+Return", {"ctrl"}, "enter", "ctrl+enter"),
        ("ctrl+pgup", {"ctrl"}, "page up", "ctrl+page up"),
        ("ctrl+Page  Down", {"ctrl"}, "page down", "ctrl+page down"),
        ("ctrl+alt+comma", {"ctrl", "alt"}, "comma", "ctrl+alt+comma"),
        ("ctrl+alt+minus", {"ctrl", "alt"}, "-", "ctrl+alt+-"),
        ("ctrl+alt+.", {"ctrl", "alt"}, ".", "ctrl+alt+."),
        ("ctrl+escape", {"ctrl"}, "esc", "ctrl+esc"),
        ("f9", set(), "f9", "f9"),
        ("F24", set(), "f24", "f24"),
        ("  ctrl+alt+1  ", {"ctrl", "alt"}, "1", "ctrl+alt+1"),
    ],
)
def test_parse_valid(text: str, modifiers: set[str], key: str, canonical: str) -> None:
    hotkey = parse_hotkey(text)
    assert hotkey == Hotkey(frozenset(modifiers), key)
    assert str(hotkey) == canonical
    assert normalise_hotkey(text) == canonical


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("ctrl+alt", "needs one key besides the modifiers"),
        ("ctrl", "needs one key besides the modifiers"),
        ("ctrl+alt+foo", "unknown key name 'foo'"),
        ("ctrl+alt+1+2", "only one key besides the modifiers is allowed, found '1', '2'"),
        ("ctrl+a+a", "the key 'a' appears twice"),
        ("ctrl+control+a", "the modifier 'ctrl' appears twice"),
        ("ctrl+a, b", "sequences"),
        ("ctrl+,", "sequences"),
        ("ctrl++", "empty key name"),
        ("ctrl+alt+", "empty key name"),
        ("+a", "empty key name"),
        ("left ctrl+a", "left/right modifiers are not supported; write 'ctrl'"),
        ("ctrl+f25", "unknown key name 'f25'"),
        ("ctrl+alt+中", "unknown key name '中'"),
    ],
)
def test_parse_invalid(text: str, fragment: str) -> None:
    with pytest.raises(HotkeyError) as info:
        parse_hotkey(text)
    assert fragment in str(info.value)


def test_parse_rejects_non_string() -> None:
    with pytest.raises(HotkeyError, match="must be a string"):
        parse_hotkey(1)  # type: ignore[arg-type]


def test_hotkey_is_frozen_and_hashable() -> None:
    a = parse_hotkey("ctrl+alt+1")
    b = parse_hotkey("alt+ctrl+1")
    assert a == b and hash(a) == hash(b)
    with pytest.raises(AttributeError):
        a.key = "2"  # type: ignore[misc]


def test_grab_errors_are_hotkey_errors() -> None:
    assert isinstance(HotkeyTaken("taken"), HotkeyError)
    assert isinstance(HotkeyUnsupported("no key"), HotkeyError)


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ("a", True),
        ("shift+a", True),
        ("space", True),
        ("f9", False),
        ("ctrl+a", False),
        ("alt+1", False),
        ("win+1", False),
        ("shift+f2", False),
    ],
)
def test_blocks_typing(text: str, blocks: bool) -> None:
    assert parse_hotkey(text).blocks_typing is blocks


@given(
    modifiers=st.sets(st.sampled_from(MODIFIER_ORDER)),
    key=st.sampled_from(sorted(KEY_NAMES)),
    data=st.data(),
)
def test_canonical_form_round_trips(modifiers: set[str], key: str, data: st.DataObject) -> None:
    order = data.draw(st.permutations([*modifiers, key]))
    text = "+".join(part.upper() for part in order)
    hotkey = parse_hotkey(text)
    assert hotkey == Hotkey(frozenset(modifiers), key)
    assert parse_hotkey(str(hotkey)) == hotkey
    # canonical order: ctrl, alt, shift, win, then the key
    parts = str(hotkey).split("+")
    assert parts[-1] == key
    assert parts[:-1] == [m for m in MODIFIER_ORDER if m in modifiers]


def test_all_permutations_give_one_canonical_form() -> None:
    forms = {
        normalise_hotkey("+".join(p)) for p in itertools.permutations(["shift", "alt", "ctrl", "q"])
    }
    assert forms == {"ctrl+alt+shift+q"}


def test_same_hotkey_whatever_the_spelling() -> None:
    assert same_hotkey("ctrl+alt+1", "Alt + CTRL+1")
    assert same_hotkey("control+esc", "ctrl+escape")
    assert not same_hotkey("ctrl+alt+1", "ctrl+alt+2")
    assert not same_hotkey("ctrl+alt+1", "ctrl+shift+1")
    # invalid strings compare by their cleaned text, never by accident as valid ones
    assert same_hotkey("ctrl+alt+nope", " CTRL+ALT+NOPE ")
    assert not same_hotkey("ctrl+alt+nope", "ctrl+alt+1")


def test_hotkey_key() -> None:
    assert hotkey_key("Alt+Ctrl+1") == "ctrl+alt+1"
    assert hotkey_key("  Ctrl+Alt+Nope ") == "ctrl+alt+nope"
    assert hotkey_key("ctrl+a, b") == "ctrl+a, b"

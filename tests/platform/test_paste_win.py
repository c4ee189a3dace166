"""The SendInput paster with a fake user32: key sequences, chunks, release check, elevation.

Runs on any OS; the real SendInput under Windows/Wine is proven by tests/e2e_win.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from app.platform import paste_win
from app.platform.paste import ElevatedTargetError, PasteError
from app.platform.paste_win import (
    KEYEVENTF_EXTENDEDKEY,
    KEYEVENTF_KEYUP,
    KEYEVENTF_UNICODE,
    VK_CONTROL,
    VK_LEFT,
    VK_RETURN,
    VK_SHIFT,
    VK_V,
    KeyInput,
    SendInputPaster,
    chunks,
    left_keys,
    paste_keys,
    type_keys,
    utf16_units,
)

SCAN = {
    VK_CONTROL: 0x1D,
    VK_V: 0x2F,
    VK_SHIFT: 0x2A,
    VK_RETURN: 0x1C,
    VK_LEFT: 0x4B,
    paste_win.VK_INSERT: 0x52,
    paste_win.VK_MENU: 0x38,
    paste_win.VK_S: 0x1F,
}
UP = KEYEVENTF_KEYUP
UNI = KEYEVENTF_UNICODE


def typed(keys: Sequence[KeyInput]) -> str:
    """What a target makes of ``keys``: Unicode units as text, Shift+Enter as "⏎"."""
    out: list[int] = []
    shift = False
    for key in keys:
        if key.vk == VK_SHIFT:
            shift = not key.flags & UP
        elif key.vk == VK_RETURN and not key.flags & UP:
            assert shift, "a bare Enter would send the chat message"
            out.append(ord("⏎"))
        elif key.flags & UNI and not key.flags & UP:
            out.append(key.scan)
    data = b"".join(unit.to_bytes(2, "little") for unit in out)
    return data.decode("utf-16-le")


class FakeInput:
    def __init__(self) -> None:
        self.sent: list[list[KeyInput]] = []
        self.down: set[int] = set()
        self.accept: int | None = None  # how many events of a call Windows takes
        self.elevated = False
        self.foreground: int | None = 0x77
        self.scan_calls: list[int] = []

    def send(self, keys: Sequence[KeyInput]) -> int:
        self.sent.append(list(keys))
        return len(keys) if self.accept is None else self.accept

    def scan_code(self, vk: int) -> int:
        self.scan_calls.append(vk)
        return SCAN[vk]

    def key_down(self, vk: int) -> bool:
        return vk in self.down

    def foreground_window(self) -> int | None:
        return self.foreground

    def foreground_is_elevated(self) -> bool:
        return self.elevated

    def all_keys(self) -> list[KeyInput]:
        return [k for call in self.sent for k in call]


@pytest.fixture
def api() -> FakeInput:
    return FakeInput()


@pytest.fixture
def paster(api: FakeInput) -> SendInputPaster:
    return SendInputPaster(api)


# -- pure sequences ----------------------------------------------------------------------


def test_paste_keys_is_ctrl_v_with_scan_codes() -> None:
    assert paste_keys(SCAN) == [
        KeyInput(VK_CONTROL, 0x1D, 0),
        KeyInput(VK_V, 0x2F, 0),
        KeyInput(VK_V, 0x2F, UP),
        KeyInput(VK_CONTROL, 0x1D, UP),
    ]


def test_left_keys_are_extended() -> None:
    ext = KEYEVENTF_EXTENDEDKEY
    assert left_keys(2, SCAN) == [
        KeyInput(VK_LEFT, 0x4B, ext),
        KeyInput(VK_LEFT, 0x4B, ext | UP),
        KeyInput(VK_LEFT, 0x4B, ext),
        KeyInput(VK_LEFT, 0x4B, ext | UP),
    ]
    assert left_keys(0, SCAN) == [] and left_keys(-3, SCAN) == []


def test_flag_values_are_the_documented_ones() -> None:
    assert (KEYEVENTF_EXTENDEDKEY, KEYEVENTF_KEYUP, KEYEVENTF_UNICODE) == (1, 2, 4)
    assert (VK_SHIFT, VK_CONTROL, VK_RETURN, VK_LEFT, VK_V) == (0x10, 0x11, 0x0D, 0x25, 0x56)


def test_type_keys_unicode_and_shift_enter() -> None:
    keys = type_keys("您好\r\n1", SCAN)
    assert keys == [
        KeyInput(0, ord("您"), UNI),
        KeyInput(0, ord("您"), UNI | UP),
        KeyInput(0, ord("好"), UNI),
        KeyInput(0, ord("好"), UNI | UP),
        KeyInput(VK_SHIFT, 0x2A, 0),
        KeyInput(VK_RETURN, 0x1C, 0),
        KeyInput(VK_RETURN, 0x1C, UP),
        KeyInput(VK_SHIFT, 0x2A, UP),
        KeyInput(0, ord("1"), UNI),
        KeyInput(0, ord("1"), UNI | UP),
    ]


@pytest.mark.parametrize(
    "text",
    ["亲爱的顾客您好", "a\nb\rc\r\nd", "😀 emoji 𠀀", "\n\n", "tab\there", ""],
)
def test_type_keys_round_trip(text: str) -> None:
    want = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "⏎")
    assert typed(type_keys(text, SCAN)) == want


def test_utf16_units() -> None:
    assert utf16_units("A") == [0x41]
    assert utf16_units("您") == [0x60A8]
    assert utf16_units("😀") == [0xD83D, 0xDE00]


def test_chunks_never_split_a_key_or_a_chord() -> None:
    keys = type_keys("ab\ncd\nef", SCAN)
    for size in range(1, len(keys) + 2):
        pieces = list(chunks(keys, size))
        assert [k for piece in pieces for k in piece] == keys
        for piece in pieces:
            downs = [k for k in piece if not k.flags & UP]
            ups = [k for k in piece if k.flags & UP]
            assert len(downs) == len(ups), (size, piece)
            assert len(piece) >= min(size, 2) or piece is pieces[-1]


def test_chunks_sizes() -> None:
    keys = type_keys("abcdef", SCAN)  # 12 events, each key 2
    assert [len(p) for p in chunks(keys, 4)] == [4, 4, 4]
    assert [len(p) for p in chunks(keys, 5)] == [6, 6]
    assert [len(p) for p in chunks(keys, 12)] == [12]
    assert [len(p) for p in chunks(keys, 13)] == [12]
    assert list(chunks([], 4)) == []
    assert paste_win.CHUNK == 200
    same = type_keys("aa", SCAN)  # the same character twice: down/up pairs by unit
    assert [len(p) for p in chunks(same, 2)] == [2, 2]


# -- the paster --------------------------------------------------------------------------


def test_send_paste(paster: SendInputPaster, api: FakeInput) -> None:
    paster.send_paste()
    assert api.sent == [paste_keys(SCAN)]
    paster.send_paste()
    assert api.scan_calls == [VK_CONTROL, VK_V]  # scan codes are looked up once


def test_type_text_sends_every_character_in_chunks(paster: SendInputPaster, api: FakeInput) -> None:
    text = "您好，" * 60 + "\n第二行"
    paster.type_text(text)
    assert len(api.sent) > 1 and all(len(call) <= paste_win.CHUNK for call in api.sent)
    assert typed(api.all_keys()) == text.replace("\n", "⏎")


def test_press_left(paster: SendInputPaster, api: FakeInput) -> None:
    paster.press_left(3)
    assert api.sent == [left_keys(3, SCAN)]
    paster.press_left(0)
    paster.press_left(-1)
    assert len(api.sent) == 1


def test_sequences_need_every_scan_code() -> None:
    # A scan code missing from the map is a bug in the caller, not a silent 0.
    with pytest.raises(KeyError):
        paste_keys({VK_CONTROL: 1})
    with pytest.raises(KeyError):
        type_keys("a\nb", {VK_RETURN: 1})
    with pytest.raises(KeyError):
        left_keys(1, {})


def test_type_text_looks_up_shift_and_enter(paster: SendInputPaster, api: FakeInput) -> None:
    paster.type_text("a\nb")
    assert sorted(api.scan_calls) == sorted([VK_SHIFT, VK_RETURN])


def test_windows_taking_fewer_events_is_an_error(paster: SendInputPaster, api: FakeInput) -> None:
    api.accept = 0
    with pytest.raises(PasteError) as info:
        paster.send_paste()
    assert str(info.value) == (
        "Windows accepted 0 of 4 keystrokes (another program may be blocking input)."
    )
    api.accept = 3
    with pytest.raises(PasteError, match="accepted 3 of 4"):
        paster.send_paste()


def test_elevated_window_is_reported_and_nothing_sent(
    paster: SendInputPaster, api: FakeInput
) -> None:
    api.elevated = True
    with pytest.raises(ElevatedTargetError, match="run Huashu as administrator"):
        paster.send_paste()
    with pytest.raises(ElevatedTargetError, match="administrator"):
        paster.type_text("x")
    assert api.sent == []


def test_keys_released_reads_every_keyboard_key(paster: SendInputPaster, api: FakeInput) -> None:
    assert paster.keys_released()
    for vk in (0x08, VK_CONTROL, 0x12, 0x31, 0xA2, 0xFE):
        api.down = {vk}
        assert not paster.keys_released(), hex(vk)
    for vk in (0x01, 0x02, 0x04, 0x07, 0x0A, 0xE7, 0xFF):  # mouse buttons, unassigned
        api.down = {vk}
        assert paster.keys_released(), hex(vk)


def test_focused_window_and_close(paster: SendInputPaster, api: FakeInput) -> None:
    assert paster.focused_window() == 0x77
    api.foreground = None
    assert paster.focused_window() is None
    paster.close()
    assert paster.name == "sendinput"


def test_without_user32_it_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> Any:
        raise OSError("no user32 here")

    monkeypatch.setattr(paste_win, "User32InputApi", missing)
    with pytest.raises(PasteError, match="user32 is not available here: no user32 here"):
        SendInputPaster()


# -- app profile chords ------------------------------------------------------------------


def test_chord_keys_press_in_order_release_in_reverse() -> None:
    keys = paste_win.chord_keys("ctrl+shift+v", SCAN)
    assert keys == [
        KeyInput(VK_CONTROL, 0x1D, 0),
        KeyInput(VK_SHIFT, 0x2A, 0),
        KeyInput(VK_V, 0x2F, 0),
        KeyInput(VK_V, 0x2F, UP),
        KeyInput(VK_SHIFT, 0x2A, UP),
        KeyInput(VK_CONTROL, 0x1D, UP),
    ]
    assert paste_win.chord_keys("ctrl+v", SCAN) == paste_keys(SCAN)
    insert = paste_win.chord_keys("shift+insert", SCAN)
    assert insert[1] == KeyInput(paste_win.VK_INSERT, 0x52, KEYEVENTF_EXTENDEDKEY)
    assert insert[2] == KeyInput(paste_win.VK_INSERT, 0x52, KEYEVENTF_EXTENDEDKEY | UP)
    assert [k.vk for k in paste_win.chord_keys("alt+s", SCAN)][:2] == [
        paste_win.VK_MENU,
        paste_win.VK_S,
    ]


def test_type_keys_with_the_profile_newline() -> None:
    keys = type_keys("a\nb", SCAN, "ctrl+enter")
    assert keys[2:6] == paste_win.chord_keys("ctrl+enter", SCAN)
    assert VK_SHIFT not in [k.vk for k in keys]
    plain = type_keys("a\nb", SCAN, "enter")
    assert plain[2:4] == [KeyInput(VK_RETURN, 0x1C, 0), KeyInput(VK_RETURN, 0x1C, UP)]


def test_profile_keys_through_the_paster(paster: SendInputPaster, api: FakeInput) -> None:
    paster.send_paste("ctrl+shift+v")
    paster.send_keys("enter")
    paster.type_text("x\ny", newline="ctrl+enter")
    assert api.sent[0] == paste_win.chord_keys("ctrl+shift+v", SCAN)
    assert api.sent[1] == [KeyInput(VK_RETURN, 0x1C, 0), KeyInput(VK_RETURN, 0x1C, UP)]
    assert api.sent[2] == type_keys("x\ny", SCAN, "ctrl+enter")


@pytest.mark.parametrize("chord", ["ctrl+x", "win+v", ""])
def test_unknown_chords_send_nothing(paster: SendInputPaster, api: FakeInput, chord: str) -> None:
    for call in (
        lambda: paster.send_paste(chord),
        lambda: paster.send_keys(chord),
        lambda: paster.type_text("a", newline=chord),
    ):
        with pytest.raises(PasteError, match="unknown key"):
            call()
    assert api.sent == []


def test_send_keys_checks_for_an_elevated_window(paster: SendInputPaster, api: FakeInput) -> None:
    api.elevated = True
    with pytest.raises(ElevatedTargetError):
        paster.send_keys("enter")
    assert api.sent == []

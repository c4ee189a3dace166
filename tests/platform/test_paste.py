"""Paste backends without an X server: helpers, factory choice, KeyboardPaster on the
keyboard package's fake OS layer."""

from __future__ import annotations

import sys
import time
from typing import Any

import pytest

from app.platform import paste, paste_x11, probe, win32
from app.platform.paste import (
    PasteError,
    choose_paster,
    make_paster,
    normalise_newlines,
)
from app.platform.paste_keyboard import KeyboardPaster
from app.platform.paste_x11 import char_to_keysym


def test_normalise_newlines() -> None:
    assert normalise_newlines("a\r\nb\rc\nd") == "a\nb\nc\nd"


@pytest.mark.linux_only("X keysyms: needs python-xlib")
def test_char_to_keysym() -> None:
    assert char_to_keysym("a") == ord("a")
    assert char_to_keysym("é") == 0xE9  # Latin-1 keysyms equal the code point
    assert char_to_keysym("您") == 0x01000000 | ord("您")
    assert char_to_keysym("😀") == 0x01000000 | 0x1F600
    assert char_to_keysym("\t") == 0xFF09


# -- KeyboardPaster on the real keyboard package with a fake OS layer --------------------


@pytest.fixture
def paster(fake_keyboard: Any, monkeypatch: pytest.MonkeyPatch) -> KeyboardPaster:
    monkeypatch.setattr(win32, "foreground_is_elevated", lambda: False)
    return KeyboardPaster()


def test_send_paste_is_ctrl_v(paster: KeyboardPaster, fake_keyboard: Any) -> None:
    paster.send_paste()
    assert fake_keyboard.sent == [
        ("down", "left ctrl"),
        ("down", "v"),
        ("up", "v"),
        ("up", "left ctrl"),
    ]


def test_type_text_newline_is_shift_enter(paster: KeyboardPaster, fake_keyboard: Any) -> None:
    paster.type_text("亲，您好\r\n第二行\n\nok")
    sent = fake_keyboard.sent
    enter_downs = [i for i, event in enumerate(sent) if event == ("down", "enter")]
    assert len(enter_downs) == 3
    for index in enter_downs:
        # shift is down around every Enter: never a bare Enter
        shift_state = [e for e in sent[:index] if e[1] == "left shift"]
        assert shift_state and shift_state[-1] == ("down", "left shift")
        assert ("up", "left shift") in sent[index:]
    if sys.platform == "win32":
        # keyboard.write types every character as Unicode on Windows (its exact mode)
        assert "".join(fake_keyboard.typed) == "亲，您好第二行ok"
        assert ("down", "o") not in sent and ("down", "k") not in sent
    else:
        # the Chinese characters are typed as unicode, the ASCII ones as keys
        assert "".join(fake_keyboard.typed) == "亲，您好第二行"
        assert ("down", "o") in sent and ("down", "k") in sent


def test_profile_chords(paster: KeyboardPaster, fake_keyboard: Any) -> None:
    paster.send_paste("ctrl+shift+v")
    assert [e for e in fake_keyboard.sent if e[0] == "down"] == [
        ("down", "left ctrl"),
        ("down", "left shift"),
        ("down", "v"),
    ]
    fake_keyboard.sent.clear()
    paster.send_keys("enter")
    assert fake_keyboard.sent == [("down", "enter"), ("up", "enter")]
    fake_keyboard.sent.clear()
    paster.type_text("a\nb", newline="ctrl+enter")
    enter = fake_keyboard.sent.index(("down", "enter"))
    assert ("down", "left ctrl") in fake_keyboard.sent[:enter]
    assert ("down", "left shift") not in fake_keyboard.sent


@pytest.mark.parametrize("chord", ["ctrl+x", "meta+v", ""])
def test_unknown_chords_fail_before_any_key(
    paster: KeyboardPaster, fake_keyboard: Any, chord: str
) -> None:
    from app.platform.paste import PasteError

    for call in (
        lambda: paster.send_paste(chord),
        lambda: paster.send_keys(chord),
        lambda: paster.type_text("a\nb", newline=chord),
    ):
        with pytest.raises(PasteError, match="unknown key"):
            call()
    assert fake_keyboard.sent == []


def test_chord_parts() -> None:
    from app.core.appprofiles import CHORDS
    from app.platform.paste import chord_parts

    assert chord_parts(" Ctrl + Shift+V") == ["ctrl", "shift", "v"]
    for chord in CHORDS:  # every chord a profile can name can be sent
        assert chord_parts(chord)


def test_press_left(paster: KeyboardPaster, fake_keyboard: Any) -> None:
    paster.press_left(3)
    paster.press_left(0)
    assert fake_keyboard.sent == [("down", "left"), ("up", "left")] * 3


def test_keys_released_follows_the_hook(paster: KeyboardPaster, fake_keyboard: Any) -> None:
    assert paster.keys_released()
    fake_keyboard.push("down:left ctrl", "down:left alt")
    assert not paster.keys_released()
    fake_keyboard.push("up:left alt")
    assert not paster.keys_released()
    fake_keyboard.push("up:left ctrl")
    assert paster.keys_released()


def test_keys_released_ignores_a_lost_key_up(paster: KeyboardPaster, fake_keyboard: Any) -> None:
    import keyboard

    old = fake_keyboard.event("down", "left ctrl", when=time.time() - 60)
    with keyboard._pressed_events_lock:
        keyboard._pressed_events[old.scan_code] = old
    assert paster.keys_released()


def test_elevated_window_is_reported(fake_keyboard: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(win32, "foreground_is_elevated", lambda: True)
    paster = KeyboardPaster()
    with pytest.raises(paste.ElevatedTargetError, match="run Huashu as administrator"):
        paster.send_paste()
    with pytest.raises(paste.ElevatedTargetError, match="run Huashu as administrator"):
        paster.type_text("x")
    assert fake_keyboard.sent == []


# -- choosing a backend ------------------------------------------------------------------


def _fake_probes(
    monkeypatch: pytest.MonkeyPatch,
    *,
    windows: bool = False,
    x11: str | None = None,
    keyboard: str | None = None,
    wayland: bool = False,
) -> None:
    monkeypatch.setattr(probe, "is_windows", lambda: windows)
    monkeypatch.setattr(probe, "x11_problem", lambda need_xtest=False: x11)
    monkeypatch.setattr(probe, "keyboard_problem", lambda: keyboard)
    monkeypatch.setattr(probe, "wayland_session", lambda: wayland)


def test_choose_paster_auto_on_x11(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_probes(monkeypatch, keyboard="needs root")
    assert choose_paster("auto") == ("x11", "XTEST on the X server")


def test_choose_paster_auto_on_wayland_mentions_it(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_probes(monkeypatch, wayland=True)
    name, reason = choose_paster("auto")
    assert name == "x11" and "XWayland" in reason


def test_choose_paster_auto_on_windows_is_sendinput(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_probes(monkeypatch, windows=True, x11=None)
    name, reason = choose_paster("auto")
    assert name == "sendinput"
    assert reason == (
        "SendInput; windows of programs run as administrator refuse it "
        "unless Huashu runs as administrator too"
    )
    assert choose_paster("sendinput")[1].startswith("SendInput (chosen in settings);")


def test_choose_paster_keyboard_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_probes(monkeypatch, windows=True, x11="no $DISPLAY")
    name, reason = choose_paster("keyboard")
    assert name == "keyboard" and "administrator" in reason and "chosen" in reason


def test_sendinput_is_refused_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_probes(monkeypatch)
    assert choose_paster("sendinput") == (
        None,
        "sendinput paste backend unavailable: not Windows",
    )
    with pytest.raises(PasteError, match="not Windows"):
        make_paster("sendinput")


def test_make_paster_sendinput(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.platform import paste_win

    class FakeApi:
        pass

    made: list[Any] = []

    def fake_paster(api: Any = None) -> Any:
        made.append(api)
        return "sendinput paster"

    _fake_probes(monkeypatch, windows=True)
    monkeypatch.setattr(paste_win, "SendInputPaster", fake_paster)
    paster, reason = make_paster("auto")
    assert paster == "sendinput paster" and made == [None]
    assert reason.startswith("SendInput;")


def test_choose_paster_falls_back_to_keyboard(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_probes(monkeypatch, x11="no $DISPLAY")
    name, reason = choose_paster("auto")
    assert name == "keyboard" and "x11 unavailable: no $DISPLAY" in reason


def test_choose_paster_nothing_works(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_probes(monkeypatch, x11="no $DISPLAY", keyboard="keyboard needs root and /dev/input")
    name, reason = choose_paster("auto")
    assert name is None
    assert "no $DISPLAY" in reason and "keyboard needs root" in reason
    with pytest.raises(PasteError, match="no way to send keystrokes"):
        make_paster("auto")


def test_explicit_choice_that_fails_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_probes(monkeypatch, x11="no $DISPLAY", keyboard="needs root")
    with pytest.raises(PasteError, match="x11 paste backend unavailable: no \\$DISPLAY"):
        make_paster("x11")
    with pytest.raises(PasteError, match="keyboard paste backend unavailable: needs root"):
        make_paster("keyboard")
    with pytest.raises(
        PasteError, match="unknown paste backend 'xdotool' \\(auto, sendinput, x11, keyboard\\)"
    ):
        make_paster("xdotool")


def test_make_paster_keyboard(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_probes(monkeypatch, x11="no $DISPLAY")
    made, reason = make_paster("keyboard")
    assert isinstance(made, KeyboardPaster) and "chosen in settings" in reason


def test_x11_paster_without_display(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    with pytest.raises(PasteError, match="no \\$DISPLAY"):
        paste_x11.X11Paster()


def test_keyboard_paster_cannot_tell_the_focus_off_windows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.platform.paste import FOCUS_UNKNOWN

    monkeypatch.setattr(probe, "is_windows", lambda: False)
    assert KeyboardPaster(keyboard_module=object()).focused_window() == FOCUS_UNKNOWN

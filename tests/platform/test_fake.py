from __future__ import annotations

import pytest

from app.platform.fake import FakeClipboard, FakeHotkeys, FakePaster
from app.platform.hotkeys import HotkeyBackendError, HotkeyConflict, HotkeyError
from app.platform.paste import PasteError


def test_fake_hotkeys_register_and_trigger() -> None:
    hotkeys = FakeHotkeys()
    hits: list[str] = []
    hotkeys.register("Alt+Ctrl+1", lambda: hits.append("one"))
    hotkeys.register("ctrl+alt+space", lambda: hits.append("picker"))
    assert hotkeys.registered() == ["ctrl+alt+1", "ctrl+alt+space"]
    assert hotkeys.trigger("ctrl+alt+1") is True
    assert hotkeys.trigger("ctrl+alt+2") is False
    assert hotkeys.trigger("alt+ctrl+space") is True
    assert hits == ["one", "picker"]


def test_fake_hotkeys_conflicts_and_errors() -> None:
    hotkeys = FakeHotkeys(held_by_other_programs=["alt+ctrl+9"])
    with pytest.raises(HotkeyConflict, match="another program") as other:
        hotkeys.register("ctrl+alt+9", lambda: None)
    assert other.value.by_other_program and other.value.hotkey == "ctrl+alt+9"
    hotkeys.register("ctrl+alt+1", lambda: None)
    with pytest.raises(HotkeyConflict, match="already registered in Huashu") as ours:
        hotkeys.register("ctrl+alt+1", lambda: None)
    assert not ours.value.by_other_program
    with pytest.raises(HotkeyError, match="unknown key"):
        hotkeys.register("ctrl+alt+nope", lambda: None)
    assert hotkeys.log == [("register", "ctrl+alt+1")]


def test_fake_hotkeys_pause_unregister_close() -> None:
    hotkeys = FakeHotkeys()
    hits: list[int] = []
    hotkeys.register("ctrl+alt+1", lambda: hits.append(1))
    assert hotkeys.set_paused(True) == []
    assert hotkeys.trigger("ctrl+alt+1") is False
    hotkeys.set_paused(False)
    assert hotkeys.trigger("ctrl+alt+1") is True
    hotkeys.unregister("ctrl+alt+1")
    hotkeys.unregister("garbage+")
    assert hotkeys.trigger("ctrl+alt+1") is False
    hotkeys.register("ctrl+alt+2", lambda: None)
    hotkeys.unregister_all()
    assert hotkeys.registered() == []
    hotkeys.close()
    with pytest.raises(HotkeyBackendError):
        hotkeys.register("ctrl+alt+3", lambda: None)
    assert hits == [1]


def test_fake_clipboard() -> None:
    board = FakeClipboard("旧", {"text/html": b"<b>x</b>"})
    snapshot = board.snapshot()
    assert snapshot.formats == {"text/html": b"<b>x</b>", "text/plain": "旧".encode()}
    token = board.change_token()
    board.set_text("新")
    assert board.get_text() == "新" and not board.changed_since(token)
    board.restore(snapshot)
    assert board.content == snapshot and board.restores == 1
    board.simulate_user_copy("用户")
    assert board.changed_since(token) and board.get_text() == "用户"
    assert board.writes == ["新"]


def test_fake_paster_records() -> None:
    board = FakeClipboard("剪贴板")
    paster = FakePaster(board)
    paster.hold_keys(2)
    assert [paster.keys_released() for _ in range(3)] == [False, False, True]
    paster.send_paste()
    paster.type_text("打字")
    paster.press_left(2)
    assert paster.pasted == ["剪贴板"] and paster.typed == ["打字"]
    assert paster.events == ["paste", "type", "left:2"]
    paster.fail_with = PasteError("nope")
    with pytest.raises(PasteError):
        paster.send_paste()

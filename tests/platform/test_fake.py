from __future__ import annotations

import pytest

from app.platform.fake import FakeClipboard, FakeHotkeys, FakePaster
from app.platform.hotkeys import Binding, HotkeyBackendError, HotkeyProblem
from app.platform.paste import PasteError


def test_fake_hotkeys_apply_and_trigger(qapp: object) -> None:
    hotkeys = FakeHotkeys()
    hits: list[str] = []
    hotkeys.activated.connect(hits.append)
    assert hotkeys.apply({"Alt+Ctrl+1": "one", "ctrl+alt+space": "picker"}) == []
    assert hotkeys.registered() == ["ctrl+alt+1", "ctrl+alt+space"]
    assert hotkeys.trigger("ctrl+alt+1") is True
    assert hotkeys.trigger("ctrl+alt+2") is False
    assert hotkeys.trigger("alt+ctrl+space") is True
    assert hits == ["one", "picker"]
    assert hotkeys.log == [("grab", "ctrl+alt+1"), ("grab", "ctrl+alt+space")]


def test_fake_hotkeys_conflicts_and_errors(qapp: object) -> None:
    hotkeys = FakeHotkeys(held_by_other_programs=["alt+ctrl+9"])
    problems = hotkeys.apply(
        [Binding("ctrl+alt+9", "nine"), Binding("ctrl+alt+1", "one"), Binding("ctrl+alt+1", "x")]
    )
    assert [(p.code, p.hotkey, p.action) for p in problems] == [
        (HotkeyProblem.DUPLICATE, "ctrl+alt+1", "x"),
        (HotkeyProblem.TAKEN, "ctrl+alt+9", "nine"),
    ]
    assert hotkeys.log == [("grab", "ctrl+alt+1")]


def test_fake_hotkeys_pause_and_close(qapp: object) -> None:
    hotkeys = FakeHotkeys()
    hits: list[str] = []
    hotkeys.activated.connect(hits.append)
    table = {"ctrl+alt+1": "one", "ctrl+alt+p": "pause"}
    hotkeys.apply(table, paused=True)
    assert hotkeys.trigger("ctrl+alt+1") is False
    assert hotkeys.trigger("ctrl+alt+p") is True
    hotkeys.apply(table)
    assert hotkeys.trigger("ctrl+alt+1") is True
    hotkeys.close()
    assert hotkeys.closed and hotkeys.registered() == []
    assert hotkeys.trigger("ctrl+alt+1") is False
    with pytest.raises(HotkeyBackendError, match="closed"):
        hotkeys.apply(table)
    hotkeys.close()  # twice is fine
    assert hits == ["pause", "one"]


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

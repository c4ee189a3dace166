"""The wired app gives the keyboard to its forms and back to the chat window.

Fake backends (hotkeys, paster) and a recording Foreground stand in for the OS: the
real Windows behaviour is proven by tests/e2e_win.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.core.fsutil import Paths
from app.core.workspace import Workspace
from app.main import HuashuApp
from app.platform import factory, foreground, paste
from app.platform.fake import OTHER_WINDOW, FakeHotkeys, FakePaster

from .conftest import dispose_app

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


class RecordingForeground:
    def __init__(self) -> None:
        self.asked: list[int] = []

    def bring_to_front(self, window: int) -> bool:
        self.asked.append(window)
        return True


@pytest.fixture
def rig(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    hotkeys = FakeHotkeys()
    paster = FakePaster()
    front = RecordingForeground()
    monkeypatch.setattr(factory, "make_hotkey_backend", lambda p="auto": (hotkeys, "fake"))
    monkeypatch.setattr(paste, "make_paster", lambda p="auto": (paster, "fake"))
    monkeypatch.setattr(foreground, "make_foreground", lambda: front)
    ws = Workspace.open(Paths.default())
    app = HuashuApp(ws)
    app.register_hotkeys(report=False)

    class Rig:
        pass

    r = Rig()
    r.app, r.hotkeys, r.paster, r.front = app, hotkeys, paster, front  # type: ignore[attr-defined]
    yield r
    dispose_app(app)


def test_form_from_a_hotkey_takes_the_keyboard_then_gives_it_back(rig: Any, qtbot: QtBot) -> None:
    assert rig.hotkeys.trigger("ctrl+alt+2")  # 催付-通用 has a {商品} field
    qtbot.waitUntil(lambda: rig.app.flow.fillin is not None and rig.app.flow.fillin.isVisible())
    form = rig.app.flow.fillin
    form_window = int(form.winId())
    qtbot.waitUntil(lambda: rig.front.asked == [form_window], timeout=2000)
    form.editors()[0].setEditText("连衣裙")
    with qtbot.waitSignal(rig.app.pipeline.done, timeout=3000):
        form.accept()
    assert rig.front.asked == [form_window, OTHER_WINDOW]
    assert rig.paster.events == ["paste"]


def test_cancelled_form_also_gives_the_keyboard_back(rig: Any, qtbot: QtBot) -> None:
    rig.paster.focus = 0x5151
    assert rig.hotkeys.trigger("ctrl+alt+2")
    qtbot.waitUntil(lambda: rig.app.flow.fillin is not None and rig.app.flow.fillin.isVisible())
    form = rig.app.flow.fillin
    qtbot.waitUntil(lambda: len(rig.front.asked) == 1, timeout=2000)
    form.reject()
    assert rig.front.asked[-1] == 0x5151
    form.reject()  # only once: the target is forgotten after use
    assert rig.front.asked.count(0x5151) == 1


def test_picker_from_a_hotkey_gives_the_keyboard_back_when_dismissed(
    rig: Any, qtbot: QtBot
) -> None:
    rig.paster.focus = 0x6161
    assert rig.hotkeys.trigger("ctrl+alt+space")
    picker = rig.app.picker
    qtbot.waitUntil(picker.isVisible)
    picker_window = int(picker.winId())
    assert rig.front.asked == [picker_window]
    picker.dismiss()
    assert rig.front.asked == [picker_window, 0x6161]


@pytest.mark.parametrize("focus", [None, paste.FOCUS_UNKNOWN])
def test_unknown_or_no_focus_is_not_given_back(rig: Any, qtbot: QtBot, focus: int | None) -> None:
    rig.paster.focus = focus
    assert rig.hotkeys.trigger("ctrl+alt+space")
    picker = rig.app.picker
    qtbot.waitUntil(picker.isVisible)
    picker_window = int(picker.winId())
    picker.dismiss()
    assert rig.front.asked == [picker_window]


def test_our_own_window_is_not_a_target(rig: Any, qtbot: QtBot) -> None:
    picker = rig.app.picker
    picker.popup()
    rig.front.asked.clear()
    rig.paster.focus = int(picker.winId())  # the picker itself has the keyboard
    assert rig.hotkeys.trigger("ctrl+alt+2")
    qtbot.waitUntil(lambda: rig.app.flow.fillin is not None and rig.app.flow.fillin.isVisible())
    rig.app.flow.fillin.reject()
    assert int(picker.winId()) not in rig.front.asked[1:]


def test_a_broken_focus_query_is_not_fatal(rig: Any, qtbot: QtBot) -> None:
    def broken() -> int:
        raise OSError("no focus today")

    rig.paster.focused_window = broken
    assert rig.hotkeys.trigger("ctrl+alt+space")
    picker = rig.app.picker
    qtbot.waitUntil(picker.isVisible)
    picker_window = int(picker.winId())
    picker.dismiss()
    assert rig.front.asked == [picker_window]


def test_direct_hotkey_paste_keeps_the_target_in_front(rig: Any, qtbot: QtBot) -> None:
    rig.paster.focus = 0x7171
    with qtbot.waitSignal(rig.app.pipeline.done, timeout=3000):
        assert rig.hotkeys.trigger("ctrl+alt+1")
    assert rig.front.asked == [0x7171]


def test_form_after_the_picker_opens_once_the_chat_window_had_the_focus_back(
    rig: Any, qtbot: QtBot
) -> None:
    rig.paster.focus = 0x8181
    assert rig.hotkeys.trigger("ctrl+alt+space")
    picker = rig.app.picker
    qtbot.waitUntil(picker.isVisible)
    picker.search_box.setText("cf1")
    assert picker.choose_row(0)
    assert rig.app.flow.fillin is None  # not from inside the picker's key event
    qtbot.waitUntil(lambda: rig.app.flow.fillin is not None and rig.app.flow.fillin.isVisible())
    rig.app.flow.fillin.reject()
    assert rig.front.asked[-1] == 0x8181

"""PastePipeline with per-app profiles: the focused app's profile decides the keys."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.appprofiles import AppProfile, ProfileSet, TargetWindow
from app.platform.fake import OTHER_WINDOW, FakeClipboard, FakePaster
from app.platform.paste import PasteError
from app.platform.pipeline import PastePipeline
from app.platform.window import FakeWindowInfo

TERMINAL = AppProfile("term", "Term", ("XTerm",), paste_key="ctrl+shift+v", newline="enter")
TYPER = AppProfile("typer", "Typer", ("typer",), paste_key="type", newline="ctrl+enter")
SENDER = AppProfile(
    "sender", "Sender", ("chat",), send_after_paste=True, send_key="ctrl+enter", send_delay_ms=5
)
SLOW = AppProfile("slow", "Slow", ("slow",), delay_ms=30)


class Rig:
    def __init__(self, qtbot: Any, app: str, **options: Any) -> None:
        self.qtbot = qtbot
        self.clipboard = FakeClipboard("旧的")
        self.paster = FakePaster(self.clipboard)
        self.windows = FakeWindowInfo()
        self.windows.add(TargetWindow(OTHER_WINDOW, app, app.lower(), "title"))
        self.windows.focus = OTHER_WINDOW
        options.setdefault("restore_delay_ms", 20)
        self.pipeline = PastePipeline(
            self.clipboard,
            self.paster,
            windows=self.windows,
            profiles=ProfileSet([TERMINAL, TYPER, SENDER, SLOW], []),
            **options,
        )
        self.delivered: list[tuple[str, str]] = []
        self.messages: list[str] = []
        self.profiles: list[str] = []
        self.pipeline.delivered.connect(lambda tag, how: self.delivered.append((tag, how)))
        self.pipeline.message.connect(self.messages.append)
        self.pipeline.profile_used.connect(self.profiles.append)

    def run(self, text: str, mode: str = "paste", **kw: Any) -> list[str]:
        with self.qtbot.waitSignal(self.pipeline.done, timeout=2000) as blocker:
            self.pipeline.run(text, mode=mode, tag="p1", **kw)
        self.qtbot.waitUntil(lambda: not self.pipeline.busy(), timeout=2000)
        return blocker.args


def test_terminal_gets_ctrl_shift_v(qtbot: Any) -> None:
    rig = Rig(qtbot, "XTerm")
    assert rig.run("ls\nwho") == ["paste"]
    assert rig.paster.paste_keys == ["ctrl+shift+v"]
    assert rig.paster.pasted == ["ls\nwho"]
    assert rig.paster.events == ["paste"]
    assert rig.profiles == ["term"]
    assert rig.delivered == [("p1", "paste")]
    assert rig.clipboard.get_text() == "旧的"  # restored after the paste


def test_unknown_app_gets_the_default(qtbot: Any) -> None:
    rig = Rig(qtbot, "Unknown")
    rig.run("hi")
    assert rig.paster.paste_keys == ["ctrl+v"]
    assert rig.profiles == ["default"]
    rig.run("a\nb", mode="type")
    assert rig.paster.newlines == ["shift+enter"]


def test_profile_that_types_uses_its_newline_and_restores(qtbot: Any) -> None:
    rig = Rig(qtbot, "typer")
    assert rig.run("一\n二") == ["type"]
    assert rig.paster.typed == ["一\n二"] and rig.paster.pasted == []
    assert rig.paster.newlines == ["ctrl+enter"]
    assert rig.delivered == [("p1", "type")]
    # The clipboard was set for a paste and is given back although the text was typed.
    assert rig.clipboard.get_text() == "旧的"


def test_send_after_paste_presses_the_send_key_once(qtbot: Any) -> None:
    rig = Rig(qtbot, "chat")
    rig.run("您好")
    assert rig.paster.events == ["paste", "key:ctrl+enter"]
    assert rig.delivered == [("p1", "paste")]


def test_flagged_reply_is_never_sent(qtbot: Any) -> None:
    rig = Rig(qtbot, "chat")
    rig.run("全网最低", flagged=True)
    assert rig.paster.events == ["paste"]


def test_reply_with_a_cursor_is_never_sent(qtbot: Any) -> None:
    rig = Rig(qtbot, "chat", caret_delay_ms=1)
    rig.run("您好，", cursor=2)
    assert rig.paster.events == ["paste", "left:1"]


def test_copy_mode_sends_no_key_and_counts(qtbot: Any) -> None:
    rig = Rig(qtbot, "chat")
    assert rig.run("x", mode="copy") == ["copy"]
    assert rig.paster.events == []
    assert rig.delivered == [("p1", "copy")]


def test_failed_send_key_says_so_but_the_reply_counts(qtbot: Any) -> None:
    rig = Rig(qtbot, "chat")
    rig.paster.fail_keys_with = PasteError("blocked")
    rig.run("您好")
    assert rig.paster.events == ["paste"]
    assert len(rig.messages) == 1 and "blocked" in rig.messages[0]
    assert rig.delivered == [("p1", "paste")]


def test_failed_paste_leaves_the_text_and_does_not_count(qtbot: Any) -> None:
    rig = Rig(qtbot, "XTerm")
    rig.paster.fail_with = PasteError("no keys here")
    assert rig.run("回复") == ["copy"]
    assert rig.delivered == []
    assert rig.clipboard.get_text() == "回复"  # stays for Ctrl+V, never restored
    qtbot.wait(60)
    assert rig.clipboard.get_text() == "回复"
    assert "no keys here" in rig.messages[0]


def test_profile_delay_waits_before_the_keys(qtbot: Any) -> None:
    rig = Rig(qtbot, "slow")
    rig.pipeline.run("x", tag="p1")
    qtbot.wait(5)
    assert rig.paster.events == []  # still waiting for the profile's delay
    qtbot.waitUntil(lambda: rig.paster.events == ["paste"], timeout=2000)


def test_window_info_failure_falls_back_to_default(qtbot: Any) -> None:
    rig = Rig(qtbot, "XTerm")

    def broken() -> None:
        raise OSError("display gone")

    rig.windows.focused = broken  # type: ignore[method-assign,assignment]
    rig.run("x")
    assert rig.paster.paste_keys == ["ctrl+v"]


def test_without_windows_or_profiles_the_default_applies(qtbot: Any) -> None:
    clipboard = FakeClipboard()
    paster = FakePaster(clipboard)
    pipeline = PastePipeline(clipboard, paster, restore_delay_ms=5)
    plan, target = pipeline.plan_for_focus("paste")
    assert target is None and plan.profile_id == "default"
    with qtbot.waitSignal(pipeline.done, timeout=2000):
        pipeline.run("x")
    assert paster.paste_keys == ["ctrl+v"]


@pytest.mark.parametrize("flagged", [False, True])
def test_plan_for_focus_passes_flagged(qtbot: Any, flagged: bool) -> None:
    rig = Rig(qtbot, "chat")
    plan, target = rig.pipeline.plan_for_focus("paste", flagged)
    assert target is not None and target.app == "chat"
    assert (plan.send_key is None) is flagged

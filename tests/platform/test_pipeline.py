"""PastePipeline with the fakes: order of operations, restore rules, fallbacks, timers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from app.platform.clipboard import ClipboardError
from app.platform.fake import FakeClipboard, FakePaster
from app.platform.paste import ElevatedTargetError, PasteError
from app.platform.pipeline import PastePipeline

OLD = {"text/plain": "旧的".encode(), "text/html": b"<i>old</i>", "image/png": b"\x89PNG..."}


class Rig:
    def __init__(self, qtbot: Any, **options: Any) -> None:
        self.qtbot = qtbot
        self.clipboard = FakeClipboard("旧的", OLD)
        self.paster = FakePaster(self.clipboard)
        options.setdefault("restore_delay_ms", 40)
        self.pipeline = PastePipeline(self.clipboard, self.paster, **options)
        self.done: list[str] = []
        self.messages: list[str] = []
        self.restored: list[bool] = []
        self.failed: list[str] = []
        self.pipeline.done.connect(self.done.append)
        self.pipeline.message.connect(self.messages.append)
        self.pipeline.restored.connect(self.restored.append)
        self.pipeline.failed.connect(self.failed.append)

    def timers_active(self) -> list[QTimer]:
        return [t for t in self.pipeline.findChildren(QTimer) if t.isActive()]

    def wait_idle(self, timeout: int = 3000) -> None:
        self.qtbot.waitUntil(lambda: not self.pipeline.busy(), timeout=timeout)


@pytest.fixture
def rig(qtbot: Any) -> Iterator[Rig]:
    yield Rig(qtbot)


def test_paste_then_restore_all_formats(rig: Rig) -> None:
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=1000) as blocker:
        rig.pipeline.run("亲，您好！")
    assert blocker.args == ["paste"]
    assert rig.paster.pasted == ["亲，您好！"]  # the clipboard held our text at Ctrl+V
    assert rig.clipboard.get_text() == "亲，您好！"  # not restored yet
    with rig.qtbot.waitSignal(rig.pipeline.restored, timeout=1000) as restored:
        pass
    assert restored.args == [True]
    assert rig.clipboard.content.formats == OLD
    assert rig.clipboard.get_text() == "旧的"
    assert rig.messages == []
    assert rig.timers_active() == []  # nothing ticks while idle


def test_restore_waits_for_the_configured_delay(qtbot: Any) -> None:
    rig = Rig(qtbot, restore_delay_ms=300)
    start = time.monotonic()
    with qtbot.waitSignal(rig.pipeline.restored, timeout=2000):
        rig.pipeline.run("x")
    elapsed = time.monotonic() - start
    assert 0.28 <= elapsed < 1.5


def test_no_restore_over_a_later_user_copy(rig: Rig) -> None:
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=1000):
        rig.pipeline.run("话术")
    rig.clipboard.simulate_user_copy("用户复制的")
    with rig.qtbot.waitSignal(rig.pipeline.restored, timeout=1000) as restored:
        pass
    assert restored.args == [False]
    assert rig.clipboard.get_text() == "用户复制的"
    assert rig.clipboard.restores == 0


def test_waits_until_keys_are_released(rig: Rig) -> None:
    rig.paster.hold_keys(6)
    start = time.monotonic()
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=2000):
        rig.pipeline.run("稍等")
    assert rig.paster.polls == 7
    assert rig.paster.pasted == ["稍等"]
    assert time.monotonic() - start >= 0.02  # 6 polls of 5 ms happened on a timer


def test_keys_never_released_falls_back_to_copy(qtbot: Any) -> None:
    rig = Rig(qtbot, release_timeout_ms=100)
    rig.paster.always_held = True
    with qtbot.waitSignal(rig.pipeline.done, timeout=2000) as blocker:
        rig.pipeline.run("复制我")
    assert blocker.args == ["copy"]
    assert rig.paster.events == []
    assert rig.clipboard.get_text() == "复制我"
    assert len(rig.messages) == 1 and "Ctrl+V" in rig.messages[0]
    assert "still held" in rig.messages[0]
    qtbot.wait(100)
    assert rig.restored == []  # the user needs the text: never restored
    assert rig.clipboard.get_text() == "复制我"
    assert rig.timers_active() == []


def test_gui_thread_stays_responsive_while_waiting(rig: Rig) -> None:
    rig.paster.hold_keys(20)
    ticks: list[float] = []
    other = QTimer()
    other.timeout.connect(lambda: ticks.append(time.monotonic()))
    other.start(1)
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=2000):
        rig.pipeline.run("x")
    other.stop()
    assert len(ticks) >= 5  # the event loop kept running during the wait


def test_copy_mode(rig: Rig) -> None:
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=1000) as blocker:
        rig.pipeline.run("只复制", mode="copy")
    assert blocker.args == ["copy"]
    assert rig.paster.events == [] and rig.paster.polls == 0
    assert rig.clipboard.get_text() == "只复制"
    assert rig.messages == ["Copied to the clipboard: paste with Ctrl+V."]
    rig.qtbot.wait(80)
    assert rig.restored == [] and rig.clipboard.get_text() == "只复制"


def test_type_mode_leaves_the_clipboard_alone(rig: Rig) -> None:
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=1000) as blocker:
        rig.pipeline.run("第一行\n第二行", mode="type")
    assert blocker.args == ["type"]
    assert rig.paster.typed == ["第一行\n第二行"]
    assert rig.clipboard.writes == []
    assert rig.clipboard.get_text() == "旧的"


@pytest.mark.parametrize(
    ("text", "cursor", "moves"),
    [
        ("您好，{}再见", 3, 4),
        ("ab", 2, 0),
        ("ab", 0, 2),
        ("x\r\ny", 1, 2),
        # one caret step each: an emoji with its skin tone, a flag, e + combining accent
        ("请看👍🏽", 2, 1),
        ("a🇨🇳", 1, 1),
        ("e\u0301!", 0, 2),
    ],
)
def test_cursor_moves_the_caret_after_the_paste(
    rig: Rig, text: str, cursor: int, moves: int
) -> None:
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=1000):
        rig.pipeline.run(text, cursor=cursor)
    expected = ["paste", f"left:{moves}"] if moves else ["paste"]
    assert rig.paster.events == expected


def test_cursor_in_type_mode(rig: Rig) -> None:
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=1000):
        rig.pipeline.run("订单号：，谢谢", cursor=4, mode="type")
    assert rig.paster.events == ["type", "left:3"]


def test_invalid_arguments(rig: Rig) -> None:
    with pytest.raises(ValueError, match="unknown paste mode 'send'"):
        rig.pipeline.run("x", mode="send")
    with pytest.raises(ValueError, match="outside the text"):
        rig.pipeline.run("ab", cursor=3)
    assert not rig.pipeline.busy()


def test_paste_error_falls_back_to_copy(rig: Rig) -> None:
    rig.paster.fail_with = PasteError("The focused window runs as administrator.")
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=1000) as blocker:
        rig.pipeline.run("管理员窗口")
    assert blocker.args == ["copy"]
    assert rig.clipboard.get_text() == "管理员窗口"
    assert rig.messages == [
        "The focused window runs as administrator. The text is on the clipboard: paste with Ctrl+V."
    ]
    rig.qtbot.wait(80)
    assert rig.restored == []


def test_elevated_target_tells_the_user_what_to_do(rig: Rig) -> None:
    rig.paster.fail_with = ElevatedTargetError()
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=1000) as blocker:
        rig.pipeline.run("管理员窗口")
    assert blocker.args == ["copy"]
    assert rig.clipboard.get_text() == "管理员窗口"
    assert len(rig.messages) == 1
    message = rig.messages[0]
    assert message.startswith("The focused window runs as administrator")
    assert "start it with right-click > Run as administrator." in message
    assert message.endswith("The text is on the clipboard: paste with Ctrl+V.")


def test_type_error_puts_text_on_the_clipboard(rig: Rig) -> None:
    rig.paster.fail_with = PasteError("no free keycode")
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=1000) as blocker:
        rig.pipeline.run("打字失败", mode="type")
    assert blocker.args == ["copy"]
    assert rig.clipboard.get_text() == "打字失败"


def test_without_a_paster_it_copies(qtbot: Any) -> None:
    board = FakeClipboard("old")
    pipeline = PastePipeline(board, None)
    with (
        qtbot.waitSignal(pipeline.done, timeout=1000) as blocker,
        qtbot.waitSignal(pipeline.message, timeout=1000) as note,
    ):
        pipeline.run("无法发送按键")
    assert blocker.args == ["copy"]
    assert board.get_text() == "无法发送按键"
    assert "copied" in note.args[0]


def test_broken_clipboard_in_paste_mode_types_instead(rig: Rig, monkeypatch: Any) -> None:
    def broken(text: str) -> None:
        raise ClipboardError("cannot write the clipboard")

    monkeypatch.setattr(rig.clipboard, "set_text", broken)
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=1000) as blocker:
        rig.pipeline.run("改为打字")
    assert blocker.args == ["type"]
    assert rig.paster.typed == ["改为打字"]


def test_broken_clipboard_in_copy_mode_fails(rig: Rig, monkeypatch: Any) -> None:
    def broken(text: str) -> None:
        raise ClipboardError("cannot write the clipboard")

    monkeypatch.setattr(rig.clipboard, "set_text", broken)
    with rig.qtbot.waitSignal(rig.pipeline.failed, timeout=1000) as blocker:
        rig.pipeline.run("x", mode="copy")
    assert "cannot write the clipboard" in blocker.args[0]
    assert rig.done == [] and not rig.pipeline.busy()


def test_jobs_queue_and_the_original_clipboard_comes_back(rig: Rig) -> None:
    rig.paster.hold_keys(3)
    rig.pipeline.run("第一条")
    rig.pipeline.run("第二条")
    rig.pipeline.run("第三条", mode="type")
    rig.qtbot.waitUntil(lambda: len(rig.done) == 3, timeout=2000)
    assert rig.done == ["paste", "paste", "type"]
    assert rig.paster.pasted == ["第一条", "第二条"]
    assert rig.paster.typed == ["第三条"]
    rig.wait_idle()
    assert rig.restored == [True]  # one restore, of the clipboard before the first paste
    assert rig.clipboard.content.formats == OLD


def test_second_paste_during_restore_delay_keeps_the_first_snapshot(rig: Rig) -> None:
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=1000):
        rig.pipeline.run("一")
    assert rig.pipeline.busy()  # restore pending
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=1000):
        rig.pipeline.run("二")
    with rig.qtbot.waitSignal(rig.pipeline.restored, timeout=1000):
        pass
    assert rig.clipboard.get_text() == "旧的"
    assert rig.restored == [True]


def test_user_copy_between_two_pastes_is_what_comes_back(rig: Rig) -> None:
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=1000):
        rig.pipeline.run("一")
    rig.clipboard.simulate_user_copy("用户的")
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=1000):
        rig.pipeline.run("二")
    with rig.qtbot.waitSignal(rig.pipeline.restored, timeout=1000) as restored:
        pass
    assert restored.args == [True]
    assert rig.clipboard.get_text() == "用户的"


def test_flush_restore(rig: Rig) -> None:
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=1000):
        rig.pipeline.run("马上恢复")
    rig.pipeline.flush_restore()
    assert rig.clipboard.get_text() == "旧的"
    assert rig.restored == [True] and not rig.pipeline.busy()


def test_delay_before_sending(rig: Rig) -> None:
    start = time.monotonic()
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=1000):
        rig.pipeline.run("x", delay_ms=120)
    assert time.monotonic() - start >= 0.11


def test_unexpected_backend_errors_fall_back_to_copy(rig: Rig, monkeypatch: Any) -> None:
    def broken_state() -> bool:
        raise OSError("X connection lost")

    monkeypatch.setattr(rig.paster, "keys_released", broken_state)
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=1000) as blocker:
        rig.pipeline.run("一")
    assert blocker.args == ["copy"]
    assert "X connection lost" in rig.messages[-1]
    monkeypatch.undo()

    def broken_paste() -> None:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(rig.paster, "send_paste", broken_paste)
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=1000) as blocker:
        rig.pipeline.run("二")
    assert blocker.args == ["copy"]
    assert rig.clipboard.get_text() == "二"
    assert not rig.pipeline.busy()


def test_waits_while_no_window_has_the_focus(rig: Rig) -> None:
    rig.paster.focus = None  # e.g. the fill-in form just closed
    QTimer.singleShot(60, lambda: setattr(rig.paster, "focus", 4242))
    start = time.monotonic()
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=2000) as blocker:
        rig.pipeline.run("等焦点")
    assert blocker.args == ["paste"]
    assert time.monotonic() - start >= 0.05
    assert rig.paster.pasted == ["等焦点"]


def test_never_pastes_into_its_own_window(qtbot: Any) -> None:
    from PySide6.QtWidgets import QWidget

    rig = Rig(qtbot, release_timeout_ms=150)
    own = QWidget()
    qtbot.addWidget(own)
    own.show()
    rig.paster.focus = int(own.winId())
    with qtbot.waitSignal(rig.pipeline.done, timeout=2000) as blocker:
        rig.pipeline.run("不要贴给自己")
    assert blocker.args == ["copy"]
    assert rig.paster.events == []
    assert "keyboard focus" in rig.messages[-1] and "Ctrl+V" in rig.messages[-1]
    # a hidden window that still has its native window counts as ours too
    own.hide()
    rig.messages.clear()
    with qtbot.waitSignal(rig.pipeline.done, timeout=2000) as blocker:
        rig.pipeline.run("还是自己")
    assert blocker.args == ["copy"]
    # once another program's window has the focus, it pastes
    rig.paster.focus = int(own.winId()) + 1000
    with qtbot.waitSignal(rig.pipeline.done, timeout=2000) as blocker:
        rig.pipeline.run("别的窗口")
    assert blocker.args == ["paste"]


def test_focus_wait_can_be_switched_off(qtbot: Any) -> None:
    rig = Rig(qtbot, wait_for_focus=False)
    rig.paster.focus = None
    with qtbot.waitSignal(rig.pipeline.done, timeout=1000) as blocker:
        rig.pipeline.run("直接贴")
    assert blocker.args == ["paste"]


def test_pointer_root_focus_gets_a_grace_period(rig: Rig) -> None:
    """Right after our dialog closes the X focus is PointerRoot until the window manager
    focuses the chat window: pasting then would send the keys under the pointer."""
    from app.platform.paste import FOCUS_UNKNOWN
    from app.platform.pipeline import UNKNOWN_FOCUS_GRACE_S

    rig.paster.focus = FOCUS_UNKNOWN
    QTimer.singleShot(100, lambda: setattr(rig.paster, "focus", 4242))
    start = time.monotonic()
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=2000) as blocker:
        rig.pipeline.run("等窗口管理器")
    waited = time.monotonic() - start
    assert blocker.args == ["paste"]
    assert 0.09 <= waited < UNKNOWN_FOCUS_GRACE_S + 0.2
    # A desktop that really uses PointerRoot still gets the paste, after the grace period.
    rig.wait_idle()
    rig.paster.focus = FOCUS_UNKNOWN
    start = time.monotonic()
    with rig.qtbot.waitSignal(rig.pipeline.done, timeout=2000) as blocker:
        rig.pipeline.run("指针所在窗口")
    assert blocker.args == ["paste"]
    assert time.monotonic() - start >= UNKNOWN_FOCUS_GRACE_S

"""XTEST keystrokes into a separate Qt process on a real Xvfb server (end-to-end)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.platform.paste import make_paster
from app.platform.paste_x11 import X11Paster

pytestmark = [pytest.mark.e2e, pytest.mark.linux_only("X server (Xvfb, xdotool)")]

LONG_CHINESE = (
    "亲，您好！欢迎光临本店，我是3号客服小美，很高兴为您服务。您拍下的商品我们会在48小时内"
    "安排发货，发货后物流信息会同步更新，请耐心等待哦～如有其他问题随时联系我们，祝您购物愉快！"
)


@pytest.fixture
def paster(qapp: Any, x11_env: str) -> Iterator[X11Paster]:
    p = X11Paster()
    yield p
    p.close()


def test_send_paste_delivers_chinese(paster: X11Paster, xtools: Any, start_target: Any) -> None:
    target = start_target("lineedit")
    xtools.clip_set("剪贴板里的中文：您好 ok".encode())
    paster.send_paste()
    target.wait_text("剪贴板里的中文：您好 ok")


def test_type_text_multiline_uses_shift_enter(
    qtbot: Any, paster: X11Paster, start_target: Any
) -> None:
    target = start_target("textedit")
    text = '亲，您好！\r\n第二行 Hello World 123 ~!@#$%^&*()_+{}|:"<>?\n😀 结束。'
    paster.type_text(text)
    expected = text.replace("\r\n", "\n")
    target.wait_text(expected)
    dump = target.dump()
    assert dump["bare_enter"] == 0
    assert dump["shift_enter"] == 2


def test_type_text_long_chinese_repeatedly(
    qtbot: Any, paster: X11Paster, start_target: Any
) -> None:
    # More distinct characters than spare slots (2 per spare keycode): several batches,
    # slots re-mapped while the target reads the keys.
    distinct = {c for c in LONG_CHINESE if ord(c) > 0x7F}
    assert len(distinct) > 2 * len(paster._spare_keycodes())
    target = start_target("lineedit")
    typed = ""
    for text in (LONG_CHINESE, LONG_CHINESE[::-1], LONG_CHINESE):
        paster.type_text(text)
        typed += text
        target.wait_text(typed, timeout=10)
    assert target.dump()["bare_enter"] == 0


def test_type_text_cased_letters_off_the_layout(paster: X11Paster, start_target: Any) -> None:
    target = start_target("lineedit")
    text = "ÉéÀàΩωЖжÇç Café Ωmega"
    paster.type_text(text)
    target.wait_text(text)


def test_press_left_places_the_caret(paster: X11Paster, start_target: Any) -> None:
    target = start_target("lineedit")
    paster.type_text("您好再见")
    target.wait_text("您好再见")
    paster.press_left(2)
    paster.type_text("，")
    target.wait_text("您好，再见")


def test_spare_keycodes_are_reset(qtbot: Any, x11_env: str, start_target: Any) -> None:
    start_target("lineedit")
    paster = X11Paster(reset_after_ms=200)
    try:
        paster.type_text("中文")
        remapped = sorted(paster._mapped)
        assert len(remapped) == 1  # two characters share one keycode (plain and shifted)
        display = paster._display

        def all_reset() -> bool:
            return all(not any(display.get_keyboard_mapping(code, 1)[0]) for code in remapped)

        assert not all_reset()
        qtbot.waitUntil(all_reset, timeout=3000)
    finally:
        paster.close()


def test_keys_released(paster: X11Paster, xtools: Any) -> None:
    assert paster.keys_released()
    xtools.xdotool("keydown", "ctrl+alt")
    try:
        assert not paster.keys_released()
    finally:
        xtools.xdotool("keyup", "ctrl+alt")
    assert paster.keys_released()


def test_auto_factory_picks_xtest(qapp: Any, x11_env: str) -> None:
    made, reason = make_paster("auto")
    assert isinstance(made, X11Paster) and "XTEST" in reason
    made.close()


def test_ping_waits_for_the_focused_window(paster: X11Paster, start_target: Any) -> None:
    assert paster._ping_focus_window() is False  # no window has the focus yet
    start_target("lineedit")
    assert paster._ping_focus_window() is True  # Qt answers _NET_WM_PING


def test_focused_window_is_the_target(paster: X11Paster, xtools: Any, start_target: Any) -> None:
    start_target("lineedit")
    assert paster.focused_window() == int(xtools.output("getwindowfocus"))

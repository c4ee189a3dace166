"""The running Huashu on Windows (Wine) against Wine's notepad, real keys from xdotool.

See conftest.py for how it runs and how to run it. Each test runs once per locale.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from wine_e2e import TAKEN, Huashu, WinEnv, wait_for

pytestmark = pytest.mark.e2e

FORM_TITLES = {"en": "Fill in: ", "zh": "填写："}
PICKER_TITLES = {"en": "Huashu picker", "zh": "话术快捷选择"}


def wait_notepad(env: WinEnv, want: str, timeout: float = 15) -> float:
    """Poll notepad until its text is ``want``; returns when (monotonic)."""
    seen: list[str] = []

    def done() -> bool:
        seen.append(env.notepad_text())
        return seen[-1] == want

    try:
        wait_for(done, timeout, "notepad's text")
    except AssertionError:
        raise AssertionError(f"notepad never showed {want!r}; last {seen[-1:]!r}") from None
    return time.monotonic()


def used_at(log: str, phrase: str) -> float:
    """Wall-clock time of Huashu's "using phrase" log line for ``phrase``."""
    import datetime

    for line in log.splitlines():
        if f"using phrase {phrase} " in line:
            stamp = datetime.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
            return stamp.timestamp()
    raise AssertionError(f"no 'using phrase {phrase}' in the log")


def wait_keyboard_on(
    env: WinEnv, is_it: Callable[[dict[str, Any]], bool], what: str, timeout: float = 15
) -> dict[str, Any]:
    """Wait until ``what`` has the keyboard, with no click: it is the Win32 foreground
    window and its thread's keyboard focus is inside it (what Windows types into; the
    app's part). Then the X focus follows it (the Wine lane's part, see
    WinEnv.keyboard_follows). Returns the foreground answer."""
    seen: list[dict[str, Any]] = []

    def has_it() -> bool:
        seen.append(env.foreground())
        return is_it(seen[-1]) and seen[-1]["focus_root"] == seen[-1]["hwnd"]

    try:
        wait_for(has_it, timeout, what)
    except AssertionError:
        raise AssertionError(f"{what} never had the keyboard; last {seen[-1:]!r}") from None
    env.keyboard_follows(seen[-1])
    return seen[-1]


def titled(start: str) -> Callable[[dict[str, Any]], bool]:
    return lambda front: str(front["title"]).startswith(start)


def is_notepad(front: dict[str, Any]) -> bool:
    return front["class"] == "Notepad"


def assert_notepad_keyboard_is_normal(env: WinEnv, text: str) -> None:
    """A stray Alt press/release would leave notepad in menu mode: typed keys then select
    menus instead of appearing. Typing after the paste proves it is not (once notepad has
    the keyboard back: Huashu gives it back after its own window)."""
    wait_keyboard_on(env, is_notepad, "notepad")
    env.type("ok")
    wait_notepad(env, text + "ok")


def test_ctrl_alt_1_pastes_the_exact_reply(huashu: Huashu, notepad: WinEnv) -> None:
    want = huashu.render("greeting-welcome")
    assert "7号客服" in want and "小美服饰旗舰店" in want
    log_before = len(huashu.log())
    pressed, pressed_wall = time.monotonic(), time.time()
    notepad.key("ctrl+alt+1")
    landed = wait_notepad(notepad, want)
    handled = used_at(huashu.log()[log_before:], "greeting-welcome")
    print(
        f"\n[{notepad.locale}] hotkey to text in notepad: {(landed - pressed) * 1000:.0f} ms "
        f"(Huashu had the hotkey and started the paste after "
        f"{(handled - pressed_wall) * 1000:.0f} ms)"
    )
    # Exactly the reply: the hotkey's "1" never reached notepad, and notepad's keyboard
    # state is normal (no Ctrl/Alt left behind, no menu opened by a lone Alt).
    assert not notepad.notepad_text().endswith("1")
    assert_notepad_keyboard_is_normal(notepad, want)


def test_picker_cf_enter(huashu: Huashu, notepad: WinEnv) -> None:
    import json

    hits = json.loads(huashu.cli("search", "cf", "--json"))
    top = hits[0]
    assert top["category"].startswith("payment"), top
    assert all(not f.startswith("choice:") for f in top["fields"]), top
    want = huashu.render(top["id"], **{f: "Dress" for f in top["fields"]})
    notepad.key("ctrl+alt+space")
    picker = wait_keyboard_on(notepad, titled(PICKER_TITLES[notepad.locale]), "the picker")
    notepad.type("cf")
    notepad.key("Return")
    if top["fields"]:
        form = wait_keyboard_on(notepad, titled(FORM_TITLES[notepad.locale]), "the form")
        assert form["hwnd"] != picker["hwnd"]
        for _ in top["fields"]:
            notepad.type("Dress")
            notepad.key("Tab")
        notepad.key("Return")
    wait_notepad(notepad, want)
    assert_notepad_keyboard_is_normal(notepad, want)


def test_fill_in_form_takes_the_keyboard_at_once(huashu: Huashu, notepad: WinEnv) -> None:
    assert notepad.helper is not None
    # 张女士 arrives through the clipboard (xdotool cannot type CJK into Wine reliably);
    # what matters is that the keys after the hotkey reach the form without a click.
    notepad.helper.ask("clip_set", text="张女士", image=False)
    want = huashu.render("e2e-fillin", 顾客="张女士")
    assert want.startswith("张女士您好")
    notepad.key("ctrl+alt+6")
    form = wait_keyboard_on(notepad, titled(FORM_TITLES[notepad.locale]), "the form")
    assert "发货通知" in str(form["title"])
    notepad.key("ctrl+v")
    notepad.key("Return")
    wait_notepad(notepad, want)
    assert_notepad_keyboard_is_normal(notepad, want)


def paste_then_clipboard(
    huashu: Huashu, env: WinEnv, text: str, image: bool
) -> tuple[dict[str, object], Callable[[], dict[str, object]]]:
    """Put ``text`` (and a DIB image) on the clipboard as another program would, paste
    with Ctrl+Alt+1, and return (before, a reader of the clipboard now)."""
    assert env.helper is not None
    before = env.helper.ask("clip_set", text=text, image=image)
    assert before["text"] == text and bool(before["image"]) == image, before
    env.key("ctrl+alt+1")
    wait_notepad(env, huashu.render("greeting-welcome"))
    return before, lambda: env.helper.ask("clip_get")  # type: ignore[union-attr]


def test_clipboard_text_comes_back(huashu: Huashu, notepad: WinEnv) -> None:
    before, now = paste_then_clipboard(huashu, notepad, "顾客的订单号 123456", image=True)
    seen: list[dict[str, object]] = []
    try:
        wait_for(lambda: seen.append(now()) or seen[-1]["text"] == before["text"], 10, "text")
    except AssertionError:
        raise AssertionError(f"clipboard before: {before}; after: {seen[-1]}") from None


@pytest.mark.xfail(
    strict=True,
    reason="Under Wine 8, Qt reads no image from the Windows clipboard (hasImage() is True, "
    "imageData() is null, for a CF_DIB of a Win32 program and for another Qt process's "
    "image alike), so the Qt clipboard snapshot cannot keep it: see FINDINGS.md",
)
def test_clipboard_image_comes_back(huashu: Huashu, notepad: WinEnv) -> None:
    before, now = paste_then_clipboard(huashu, notepad, "截图和文字", image=True)
    seen: list[dict[str, object]] = []
    wait_for(lambda: seen.append(now()) or seen[-1]["text"] == before["text"], 10, "text")
    assert seen[-1]["image"] == before["image"], (before, seen[-1])


def test_hotkey_held_by_another_program_is_a_conflict(huashu: Huashu, notepad: WinEnv) -> None:
    log = huashu.log()
    assert f"{TAKEN} is already used by another program." in log, log[-3000:]
    # Huashu did not take it: pressing it does nothing here, the other program has it.
    want = huashu.render("greeting-welcome")
    notepad.key(TAKEN)
    notepad.key("ctrl+alt+1")
    wait_notepad(notepad, want)
    assert "这句不应出现" not in notepad.notepad_text()


def test_type_mode_types_a_multi_line_reply(huashu_typing: Huashu, notepad: WinEnv) -> None:
    assert notepad.helper is not None
    clip = notepad.helper.ask("clip_set", text="别动我的剪贴板", image=False)
    want = huashu_typing.render("e2e-lines")
    assert want.count("\n") == 2
    notepad.key("ctrl+alt+8")
    wait_notepad(notepad, want)
    assert_notepad_keyboard_is_normal(notepad, want)
    # Typing never touches the clipboard.
    assert notepad.helper.ask("clip_get")["text"] == clip["text"]

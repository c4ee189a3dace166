"""Per-app paste profiles and the docked panel with real programs on Xvfb.

- xterm (a real terminal nobody here wrote): Ctrl+V would only give ^V there.
- chat_target.py: a stand-in web workbench whose bare Enter SENDS the message.
- The docked panel: a click pastes while the chat window keeps the keyboard focus.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from xenv import (
    HERE,
    Huashu,
    XServer,
    activate,
    huashu_env,
    start_huashu,
    stop,
    wait_for,
    wait_for_focus,
)

pytestmark = pytest.mark.e2e

PACK = """
[pack]
format = 1
name = "e2e"

[[categories]]
id = "e2e"
name = "测试"

[[phrases]]
id = "e2e-multi"
title = "多行回复"
body = "您好，这是首行\\n次行 line2\\n末行"
category = "e2e"
hotkey = "ctrl+alt+7"

[[phrases]]
id = "e2e-flagged"
title = "有提示的回复"
body = "这是全网最好的价格"
category = "e2e"
hotkey = "ctrl+alt+8"

[[phrases]]
id = "e2e-plain"
title = "单行回复"
body = "您好，马上为您查询 ok"
category = "e2e"
hotkey = "ctrl+alt+9"
"""

MULTI = "您好，这是首行\n次行 line2\n末行"
PLAIN = "您好，马上为您查询 ok"


def write_profiles(home: Path, *tables: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "app-profiles.toml").write_text("format = 1\n" + "\n".join(tables), "utf-8")


def start(xserver: XServer, home: Path, *, mode: str = "paste") -> Huashu:
    env = huashu_env(xserver, home)
    pack = home.parent / "e2e-pack.toml"
    pack.write_text(PACK, "utf-8")
    for args in (
        ["pack", "import", str(pack), "--accept-hotkeys"],
        ["profile", "--agent-no", "7"],
    ):
        out = subprocess.run(
            [sys.executable, "-m", "app", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert out.returncode == 0, out.stdout + out.stderr
    if mode != "paste":
        settings = home / "settings.toml"
        text = settings.read_text("utf-8")
        settings.write_text(text.replace('mode = "paste"', f'mode = "{mode}"'), "utf-8")
    return start_huashu(xserver, home)


def log_text(h: Huashu) -> str:
    f = h.home / "logs" / "huashu.log"
    return f.read_text("utf-8") if f.exists() else ""


def active_window(xserver: XServer) -> str:
    return xserver.xdotool("getactivewindow")


class Chat:
    def __init__(self, xserver: XServer, out: Path, name: str = "huashuchat") -> None:
        self.out = out
        self.xserver = xserver
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "chat_target.py"), str(out), name],
            env=xserver.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: (out / "ready").exists(), 15, what="chat window")
        self.wid = wait_for(
            lambda: xserver.xdotool("search", "--name", "huashu-e2e-chat"), 10, what="chat id"
        ).split()[0]
        self.activate()

    def activate(self) -> None:
        activate(self.xserver, self.wid, "huashu-e2e-chat")

    def text(self) -> str:
        f = self.out / "text.txt"
        return f.read_text("utf-8") if f.exists() else ""

    def sent(self) -> list[str]:
        f = self.out / "sent.jsonl"
        if not f.exists():
            return []
        return [json.loads(line) for line in f.read_text("utf-8").splitlines()]


@pytest.fixture
def chat(xserver: XServer, tmp_path: Path) -> Iterator[Chat]:
    c = Chat(xserver, tmp_path / "chat")
    try:
        yield c
    finally:
        stop(c.proc)


def press(xserver: XServer, hotkey: str) -> None:
    xserver.xdotool("key", "--clearmodifiers", hotkey)


# -- xterm --------------------------------------------------------------------------------


def start_xterm(xserver: XServer, out: Path, *xterm_args: str) -> tuple[subprocess.Popen, str]:  # type: ignore[type-arg]
    """xterm running a reader that writes every byte it gets (raw tty, no echo) to out."""
    if shutil.which("xterm") is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("xterm is missing (Debian package xterm)")
        pytest.skip("xterm is missing")
    out.parent.mkdir(parents=True, exist_ok=True)
    script = f"stty raw -echo; exec cat > '{out}'"
    # C.UTF-8 is built into glibc; en_US.UTF-8 exists only where someone generated it (a
    # fresh Debian has C, C.utf8 and POSIX), and xterm in a missing locale drops Chinese.
    env = dict(xserver.env, LANG="C.UTF-8", LC_ALL="C.UTF-8")
    proc = subprocess.Popen(
        ["xterm", "-u8", "-title", "huashu-e2e-xterm", *xterm_args, "-e", "sh", "-c", script],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wid = wait_for(
        lambda: xserver.xdotool("search", "--name", "huashu-e2e-xterm"), 10, what="xterm"
    ).split()[0]
    wait_for(out.exists, 30, what="xterm reader")
    activate(xserver, wid, "huashu-e2e-xterm")
    return proc, wid


def received(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "replace") if path.exists() else ""


def test_xterm_ctrl_shift_v_profile_pastes_the_text(xserver: XServer, tmp_path: Path) -> None:
    home = tmp_path / "home"
    write_profiles(
        home,
        '[[profile]]\nid = "xterm"\nname = "xterm"\nmatch = ["XTerm"]\n'
        'paste_key = "ctrl+shift+v"\nnewline = "enter"\n',
    )
    h = start(xserver, home)
    out = tmp_path / "xterm.bin"
    proc, _wid = start_xterm(
        xserver,
        out,
        "-xrm",
        "XTerm*VT100.translations: #override Ctrl Shift <Key>V: insert-selection(CLIPBOARD)",
    )
    try:
        press(xserver, "ctrl+alt+9")
        wait_for(lambda: PLAIN in received(out), 30, what="the reply in xterm")
        assert received(out) == PLAIN  # no ^V (0x16) and nothing else
        assert "\x16" not in received(out)
    finally:
        stop(proc)
        stop(h.proc)


def test_stock_xterm_gets_the_reply_typed(xserver: XServer, tmp_path: Path) -> None:
    """The built-in xterm profile types (a stock xterm binds no clipboard-paste key)."""
    home = tmp_path / "home"
    h = start(xserver, home)
    out = tmp_path / "xterm.bin"
    proc, _wid = start_xterm(xserver, out)
    try:
        press(xserver, "ctrl+alt+9")
        wait_for(lambda: PLAIN in received(out), 30, what="the reply in xterm")
        assert received(out) == PLAIN
    finally:
        stop(proc)
        stop(h.proc)


# -- a page where Enter sends -------------------------------------------------------------


@pytest.mark.parametrize("mode", ["paste", "type"])
def test_multi_line_reply_arrives_whole_and_unsent(
    xserver: XServer, tmp_path: Path, chat: Chat, mode: str
) -> None:
    h = start(xserver, tmp_path / "home", mode=mode)
    try:
        chat.activate()
        press(xserver, "ctrl+alt+7")
        wait_for(lambda: chat.text() == MULTI, 30, what=f"the reply ({mode})")
        # A check that something does NOT happen needs a grace period (no condition to poll
        # for); under load it can only let a late Enter slip by, never fail a good run.
        time.sleep(0.5)
        assert chat.sent() == []
        assert chat.text() == MULTI
    finally:
        stop(h.proc)


def test_send_after_paste_sends_exactly_once(xserver: XServer, tmp_path: Path, chat: Chat) -> None:
    home = tmp_path / "home"
    write_profiles(
        home,
        '[[profile]]\nid = "testchat"\nname = "Test chat"\nmatch = ["huashuchat"]\n'
        "send_after_paste = true\nsend_delay_ms = 100\n",
    )
    h = start(xserver, home)
    try:
        chat.activate()
        press(xserver, "ctrl+alt+7")
        wait_for(lambda: chat.sent(), 30, what="the reply to be sent")
        time.sleep(0.7)  # a second Enter would send an empty message now (a grace period,
        # as above: nothing to poll for)
        assert chat.sent() == [MULTI]
        assert chat.text() == ""
        # A reply lint warns about is pasted but never sent for the agent.
        press(xserver, "ctrl+alt+8")
        wait_for(lambda: chat.text() == "这是全网最好的价格", 30, what="the flagged reply")
        time.sleep(0.7)  # grace period for an Enter that must not come
        assert chat.sent() == [MULTI]
    finally:
        stop(h.proc)


# -- the docked panel ---------------------------------------------------------------------


def window_geometry(xserver: XServer, wid: str) -> tuple[int, int, int, int]:
    out = xserver.xdotool("getwindowgeometry", "--shell", wid)
    values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])


def used_phrases(h: Huashu) -> list[str]:
    return [
        line.split("using phrase ", 1)[1].split()[0]
        for line in log_text(h).splitlines()
        if "using phrase " in line
    ]


def test_click_in_docked_panel_pastes_and_chat_keeps_focus(
    xserver: XServer, tmp_path: Path, chat: Chat
) -> None:
    h = start(xserver, tmp_path / "home")
    try:
        chat.activate()
        press(xserver, "ctrl+alt+q")
        panel = wait_for(
            lambda: xserver.xdotool("search", "--onlyvisible", "--name", "Huashu panel"),
            30,
            what="the panel",
        ).split()[0]
        cx, cy, cw, ch = window_geometry(xserver, chat.wid)
        # docked on the right of the chat window (the panel moves there once it is shown)
        wait_for(
            lambda: window_geometry(xserver, panel)[0] >= cx + cw - 2, 30, what="the panel docked"
        )
        px, py, pw, ph = window_geometry(xserver, panel)
        assert abs(py - cy) <= 40 and ph >= ch - 40
        assert active_window(xserver) == chat.wid
        # The phrase list starts below the title, the search box and the categories.
        xserver.xdotool("mousemove", str(px + pw // 2), str(py + 235), "click", "1")
        wait_for(lambda: used_phrases(h), 30, what="a phrase chosen in the panel")
        phrase_id = used_phrases(h)[0]
        out = h.cli("render", phrase_id)
        assert out.returncode == 0, out.stderr
        wanted = out.stdout.rstrip("\n")
        wait_for(lambda: chat.text() == wanted, 30, what="the clicked reply in the chat")
        assert active_window(xserver) == chat.wid
        assert chat.sent() == []
        # The panel follows the chat window when it moves.
        before = window_geometry(xserver, chat.wid)
        xserver.xdotool("windowmove", chat.wid, "100", "80")
        wait_for(
            lambda: window_geometry(xserver, chat.wid)[:2] != before[:2], 30, what="the chat moved"
        )
        cx, cy, cw, ch = window_geometry(xserver, chat.wid)
        wait_for(
            lambda: abs(window_geometry(xserver, panel)[0] - (cx + cw)) <= 12,
            30,
            what="the panel to follow",
        )
        # Minimised chat window: the panel hides; closed: it stays hidden.
        xserver.xdotool("windowminimize", "--sync", chat.wid)
        wait_for(
            lambda: not xserver.xdotool("search", "--onlyvisible", "--name", "Huashu panel"),
            30,
            what="the panel to hide",
        )
    finally:
        stop(h.proc)


def test_panel_search_takes_the_keyboard_then_gives_it_back(
    xserver: XServer, tmp_path: Path, chat: Chat
) -> None:
    h = start(xserver, tmp_path / "home")
    try:
        chat.activate()
        press(xserver, "ctrl+alt+q")
        panel = wait_for(
            lambda: xserver.xdotool("search", "--onlyvisible", "--name", "Huashu panel"),
            30,
            what="the panel",
        ).split()[0]
        cx, _cy, cw, _ch = window_geometry(xserver, chat.wid)
        wait_for(
            lambda: window_geometry(xserver, panel)[0] >= cx + cw - 2, 30, what="the panel docked"
        )
        px, py, pw, _ph = window_geometry(xserver, panel)
        xserver.xdotool("mousemove", str(px + pw // 2), str(py + 45), "click", "1")  # search box
        wait_for_focus(xserver, "Huashu panel")
        # the panel searches on every keystroke (no timer): Return takes the hit for "ok"
        xserver.xdotool("type", "--delay", "40", "ok")  # only PLAIN's body has "ok"
        xserver.xdotool("key", "Return")
        wait_for(lambda: chat.text() == PLAIN, 30, what="the searched reply in the chat")
        wait_for(lambda: active_window(xserver) == chat.wid, 30, what="the chat to get it back")
        assert chat.sent() == []
    finally:
        stop(h.proc)

"""The real huashu process on Xvfb: hotkeys pressed with xdotool, text read from another
process's window (tests/e2e/target_app.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from xenv import (
    Huashu,
    Target,
    XServer,
    activate,
    huashu_env,
    start_huashu,
    start_target,
    stop,
    wait_for,
    wait_for_focus,
)

pytestmark = pytest.mark.e2e

AGENT_NO = "7"
SHOP = "小美服饰旗舰店"


@pytest.fixture
def huashu(xserver: XServer, tmp_path: Path) -> Iterator[Huashu]:
    home = tmp_path / "home"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "profile",
            "--agent-no",
            AGENT_NO,
            "--agent-name",
            "阿华",
            "--shop",
            SHOP,
        ],
        env=huashu_env(xserver, home),
        check=True,
        capture_output=True,
        timeout=60,
    )
    h = start_huashu(xserver, home)
    try:
        yield h
    finally:
        stop(h.proc)


@pytest.fixture
def target(xserver: XServer, tmp_path: Path) -> Iterator[Target]:
    t = start_target(xserver, tmp_path / "target")
    try:
        yield t
    finally:
        stop(t.proc)


def expected(h: Huashu, key: str, *sets: str) -> str:
    args = ["render", key]
    for s in sets:
        args += ["--set", s]
    out = h.cli(*args)
    assert out.returncode == 0, out.stderr
    return out.stdout.rstrip("\n")


def focus(xserver: XServer, target: Target) -> None:
    wid = xserver.xdotool("search", "--name", "huashu-e2e-target").split()[0]
    activate(xserver, wid, "huashu-e2e-target")


def open_picker(xserver: XServer) -> None:
    """The picker hotkey, then wait until the picker has the keyboard (keys typed before
    that would reach the target window)."""
    xserver.xdotool("key", "--clearmodifiers", "ctrl+alt+space")
    wait_for_focus(xserver, "Huashu picker")


def visible_menus(xserver: XServer, h: Huashu) -> list[str]:
    """Ids of huashu's visible windows (the tray icon, and each open menu)."""
    return xserver.xdotool("search", "--onlyvisible", "--pid", str(h.proc.pid)).split()


def test_phrase_hotkey_pastes_rendered_text_and_is_consumed(
    xserver: XServer, huashu: Huashu, target: Target
) -> None:
    want = expected(huashu, "greeting-welcome")
    assert AGENT_NO in want and SHOP in want
    focus(xserver, target)
    # The target's key log is live: a plain Shift press shows up in it.
    xserver.xdotool("key", "shift")
    wait_for(lambda: target.key_log(), 30, what="the target to log a key press")
    xserver.xdotool("key", "--clearmodifiers", "ctrl+alt+1")
    wait_for(lambda: target.text() == want, 30, what=f"target text {want!r}, got {target.text()!r}")
    # The target never saw the hotkey itself: no key press of "1" with ctrl+alt.
    assert not [k for k in target.key_log() if k.startswith("49 ")], target.key_log()


def test_picker_search_cf_enter_pastes_top_payment_phrase(
    xserver: XServer, huashu: Huashu, target: Target
) -> None:
    hits = json.loads(huashu.cli("search", "cf", "--json").stdout)
    top = hits[0]
    assert top["category"].startswith("payment"), top
    # Free-text fields (if the top phrase has any) get "Dress" in the fill-in form.
    assert all(not f.startswith("choice:") for f in top["fields"]), top
    want = expected(huashu, top["id"], *(f"{f}=Dress" for f in top["fields"]))
    focus(xserver, target)
    open_picker(xserver)
    # the picker searches on every keystroke (no timer): Return picks the hit for "cf"
    xserver.xdotool("type", "--delay", "30", "cf")
    xserver.xdotool("key", "Return")
    if top["fields"]:
        wait_for_focus(xserver, "Fill in: ")
        for _ in top["fields"]:
            xserver.xdotool("type", "--delay", "30", "Dress")
            xserver.xdotool("key", "Tab")
        xserver.xdotool("key", "Return")
    wait_for(lambda: target.text() == want, 30, what=f"target text {want!r}, got {target.text()!r}")


def test_fill_in_form_fills_customer(xserver: XServer, huashu: Huashu, target: Target) -> None:
    phrases = json.loads(huashu.cli("list", "--json").stdout)
    p = next(p for p in phrases if p["fields"] == ["customer"] and p["code"])
    want = expected(huashu, p["id"], "customer=张女士")
    assert "张女士" in want
    focus(xserver, target)
    open_picker(xserver)
    xserver.xdotool("type", "--delay", "30", p["code"])
    xserver.xdotool("key", "Return")
    # It once failed under load: the name was typed while the form did not have the
    # keyboard yet, and xdotool types a character missing from the keymap by remapping a
    # spare keycode for each one without waiting until the window has read the key (Qt
    # reads the keymap when it handles the mapping change, by then already the next
    # character's or the original). So: wait for the form, then paste the name from the
    # clipboard, as an agent copying it from the chat does.
    wait_for_focus(xserver, "Fill in: ")
    xserver.set_clipboard("张女士")
    xserver.xdotool("key", "--clearmodifiers", "ctrl+v")
    xserver.xdotool("key", "Return")
    wait_for(lambda: target.text() == want, 30, what=f"target text {want!r}, got {target.text()!r}")


def test_previous_clipboard_is_restored(xserver: XServer, huashu: Huashu, target: Target) -> None:
    xserver.set_clipboard("用户自己复制的内容")
    want = expected(huashu, "greeting-welcome")
    focus(xserver, target)
    xserver.xdotool("key", "--clearmodifiers", "ctrl+alt+1")
    wait_for(lambda: target.text() == want, 30, what="pasted text")
    wait_for(lambda: xserver.get_clipboard() == "用户自己复制的内容", 30, what="clipboard restored")


def test_tray_menu_click_pastes_phrase(xserver: XServer, huashu: Huashu, target: Target) -> None:
    log = huashu.home / "logs" / "huashu.log"
    line = wait_for(
        lambda: next(
            (ln for ln in log.read_text("utf-8").splitlines() if "tray geometry" in ln), ""
        ),
        30,
        what="tray geometry in the log",
    )
    x, y, w, h = (int(v) for v in line.rsplit(" ", 1)[1].split(","))
    assert w > 0 and h > 0, line
    focus(xserver, target)
    menus_before = visible_menus(xserver, huashu)
    xserver.xdotool("mousemove", str(x + w // 2), str(y + h // 2), "click", "3")
    wait_for(
        lambda: len(visible_menus(xserver, huashu)) > len(menus_before), 30, what="the tray menu"
    )
    # First category submenu (欢迎语): its subcategories come first (nested submenus),
    # then its own phrases; pick the first of those.
    from app.core.fsutil import Paths
    from app.core.workspace import Workspace

    ws = Workspace.open(Paths(huashu.home), seed=False)
    lib = ws.library
    nested = [c for c in lib.children("greeting") if any(p.category == c.id for p in lib.phrases)]
    ws.close()
    shown = visible_menus(xserver, huashu)
    xserver.xdotool("key", "Down")
    xserver.xdotool("key", "Right")
    wait_for(lambda: len(visible_menus(xserver, huashu)) > len(shown), 30, what="the submenu")
    for _ in nested:
        xserver.xdotool("key", "Down")
    xserver.xdotool("key", "Return")
    phrases = json.loads(huashu.cli("list", "--category", "greeting", "--json").stdout)
    first = next(p for p in phrases if p["category"] == "greeting")
    want = expected(huashu, first["id"])
    wait_for(lambda: target.text() == want, 30, what=f"target text {want!r}, got {target.text()!r}")


TEAM_PACK = """[pack]
format = 1
name = "客服团队话术"
version = "{version}"

[[categories]]
id = "team"
name = "团队"

[[phrases]]
id = "team-hello"
title = "团队欢迎"
body = "您好,这里是团队统一欢迎语。"
category = "team"
code = "tdhy"
{extra}
"""

NEW_PHRASE = """
[[phrases]]
id = "team-new"
title = "团队新话术"
body = "您好,这是主管刚刚更新的话术。"
category = "team"
code = "tdnew"
"""


def test_team_pack_rewritten_by_another_process_is_reloaded(
    xserver: XServer, tmp_path: Path, target: Target
) -> None:
    shared = tmp_path / "nas" / "team.toml"
    shared.parent.mkdir()
    shared.write_text(TEAM_PACK.format(version="1", extra=""), "utf-8")
    home = tmp_path / "home"
    env = huashu_env(xserver, home)
    subprocess.run(
        [sys.executable, "-m", "app", "subscribe", str(shared)],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    h = start_huashu(xserver, home)
    try:
        # Version 1 pastes: the app has warmed up (it builds the picker, then starts
        # watching the team pack, in one go), so the rewrite below is seen by the watcher.
        hello = "您好,这里是团队统一欢迎语。"
        focus(xserver, target)
        open_picker(xserver)
        xserver.xdotool("type", "--delay", "30", "tdhy")
        xserver.xdotool("key", "Return")
        wait_for(lambda: target.text() == hello, 30, what=f"{hello!r}, got {target.text()!r}")
        # The team lead's machine rewrites the shared file (a separate process).
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import pathlib, sys; pathlib.Path(sys.argv[1]).write_text(sys.argv[2], 'utf-8')",
                str(shared),
                TEAM_PACK.format(version="2", extra=NEW_PHRASE),
            ],
            check=True,
            timeout=30,
        )
        log = home / "logs" / "huashu.log"
        wait_for(lambda: "1 added" in log.read_text("utf-8"), 30, what="the reload in the log")
        focus(xserver, target)
        open_picker(xserver)
        xserver.xdotool("type", "--delay", "30", "tdnew")
        xserver.xdotool("key", "Return")
        want = hello + "您好,这是主管刚刚更新的话术。"
        wait_for(lambda: target.text() == want, 30, what=f"{want!r}, got {target.text()!r}")
    finally:
        stop(h.proc)


def test_second_launch_opens_the_running_picker_and_exits(xserver: XServer, huashu: Huashu) -> None:
    assert not xserver.xdotool("search", "--onlyvisible", "--name", "Huashu picker")
    second = subprocess.run(
        [sys.executable, "-m", "app"], env=huashu.env, capture_output=True, text=True, timeout=30
    )
    assert second.returncode == 0
    assert "already running" in second.stdout
    wait_for(
        lambda: xserver.xdotool("search", "--onlyvisible", "--name", "Huashu picker"),
        5,
        what="the running instance's picker",
    )
    assert huashu.proc.poll() is None
    xserver.xdotool("key", "Escape")

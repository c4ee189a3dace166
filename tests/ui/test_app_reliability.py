"""Issue 9 in the running app: other processes' changes are followed, a suspicious team
pack refresh is held and asked about, a failing disk never blocks a reply."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from pytestqt.qtbot import QtBot

from app.core import subscriptions as subs
from app.core.fsutil import Paths
from app.core.model import Phrase
from app.core.workspace import Workspace
from app.main import HuashuApp
from app.platform import factory, paste
from app.platform.display import display_problem
from app.platform.fake import FakePaster
from app.platform.hotkeys import HotkeyBackendError
from app.platform.paste import PasteError

from .conftest import dispose_app

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")
ROOT = Path(__file__).resolve().parents[2]


def no_hotkeys(preference: str = "auto") -> Any:
    raise HotkeyBackendError(f"no OS hotkey backend in this test ({preference})")


def no_paster(preference: str = "auto") -> Any:
    raise PasteError(f"no OS paste backend in this test ({preference})")


@pytest.fixture(autouse=True)
def no_backends(monkeypatch: pytest.MonkeyPatch) -> None:
    """No real OS backend (on Windows they would press real keys): see test_app.py."""
    monkeypatch.setattr(factory, "make_hotkey_backend", no_hotkeys)
    monkeypatch.setattr(paste, "make_paster", no_paster)


@pytest.fixture
def huashu(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> HuashuApp:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    ws = Workspace.open(Paths.default())
    app = HuashuApp(ws)
    shown: list[tuple[str, str]] = []
    app.notifier.shown.connect(lambda level, text: shown.append((level, text)))
    app.shown = shown  # type: ignore[attr-defined]
    yield app
    if app._data_watcher is not None:
        app._data_watcher.stop()
    if app.team_packs.watcher is not None:
        app.team_packs.watcher.stop()
    _dispose(app, ws)


def _dispose(app: HuashuApp, ws: Workspace) -> None:
    """Take the app apart while the QApplication is alive (tests/ui/conftest.py)."""
    dispose_app(app)


def _cli(home: Path, *args: str) -> None:
    env = dict(os.environ, HUASHU_HOME=str(home))
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run(
        [sys.executable, "-m", "app", *args],
        env=env,
        capture_output=True,
        encoding="utf-8",  # the CLI writes UTF-8; the locale's is cp936 on Chinese Windows
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr


def _menu_titles(app: HuashuApp) -> str:
    out = []
    for action in app.tray.menu().actions():
        out.append(action.text())
        if action.menu() is not None:
            out.extend(a.text() for a in action.menu().actions())
    return "\n".join(out)


def _pack(path: Path, n: int) -> None:
    data = {
        "pack": {"format": 1, "name": "团队包"},
        "categories": [{"id": "t", "name": "团队"}],
        "phrases": [
            {"id": f"t{i}", "title": f"团队话术{i}", "body": f"您好 {i}", "category": "t"}
            for i in range(n)
        ],
    }
    path.write_text(tomli_w.dumps(data), "utf-8")


def test_app_follows_the_command_line_without_a_restart(
    huashu: HuashuApp, qtbot: QtBot, huashu_home: Path, tmp_path: Path
) -> None:
    huashu.follow_data_folder()
    _pack(tmp_path / "team.toml", 3)
    _cli(huashu_home, "pack", "import", str(tmp_path / "team.toml"))
    _cli(huashu_home, "profile", "--agent-no", "42", "--shop", "新店")
    qtbot.waitUntil(lambda: huashu.ws.settings.profile.agent_no == "42", timeout=10_000)
    qtbot.waitUntil(lambda: huashu.ws.library.phrase("t2") is not None, timeout=10_000)
    assert "团队话术2" in _menu_titles(huashu)
    assert huashu.ws.settings.profile.shop == "新店"
    # the app's own next save keeps all of it
    cat = huashu.ws.library.top_categories()[0].id
    huashu.ws.library.add_phrase(Phrase("mine", "我的", "您好", cat))
    huashu.ws.save_library()
    huashu.select_shop("第二家店")
    again = Workspace.open(Paths(huashu_home), seed=False)
    assert again.library.phrase("t2") is not None and again.library.phrase("mine") is not None
    assert again.settings.profile.agent_no == "42"
    assert set(again.settings.profile.shops) == {"新店", "第二家店"}
    again.close()


def test_open_settings_window_shows_external_profile_change(
    huashu: HuashuApp, qtbot: QtBot, huashu_home: Path
) -> None:
    huashu.follow_data_folder()
    huashu.open_settings()
    window = huashu._settings_window
    assert window is not None
    qtbot.addWidget(window)
    _cli(huashu_home, "profile", "--agent-no", "77")
    qtbot.waitUntil(lambda: huashu.ws.settings.profile.agent_no == "77", timeout=10_000)
    qtbot.waitUntil(lambda: window.profile_page.agent_no_edit.text() == "77", timeout=5_000)
    window.close()


def test_refresh_removing_most_of_a_team_pack_is_held_and_asked(
    huashu: HuashuApp, qtbot: QtBot, tmp_path: Path
) -> None:
    team = tmp_path / "team.toml"
    _pack(team, 10)
    subs.subscribe(huashu.ws, team)
    huashu.start_subscriptions()
    packs = huashu.team_packs
    qtbot.waitUntil(lambda: packs.watcher is not None and not packs.watcher.busy())
    assert len([p for p in huashu.ws.library.phrases if p.source]) == 10
    _pack(team, 2)  # 8 of 10 removed
    huashu.team_packs.watcher.check_now(True)
    qtbot.waitUntil(lambda: huashu.team_packs.shrink_box is not None, timeout=10_000)
    box = huashu.team_packs.shrink_box
    assert box is not None and "8" in box.text() and "10" in box.text()
    assert len([p for p in huashu.ws.library.phrases if p.source]) == 10  # held
    from PySide6.QtWidgets import QMessageBox

    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(
        lambda: len([p for p in huashu.ws.library.phrases if p.source]) == 2, timeout=10_000
    )
    assert huashu.team_packs.shrink_box is None


def test_refused_refresh_keeps_the_last_good_copy(
    huashu: HuashuApp, qtbot: QtBot, tmp_path: Path
) -> None:
    team = tmp_path / "team.toml"
    _pack(team, 4)
    subs.subscribe(huashu.ws, team)
    huashu.start_subscriptions()
    qtbot.waitUntil(lambda: not huashu.team_packs.watcher.busy())  # type: ignore[union-attr]
    _pack(team, 0)
    huashu.team_packs.watcher.check_now(True)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: huashu.team_packs.shrink_box is not None, timeout=10_000)
    from PySide6.QtWidgets import QMessageBox

    huashu.team_packs.shrink_box.button(QMessageBox.StandardButton.No).click()  # type: ignore[union-attr]
    qtbot.wait(200)
    assert len([p for p in huashu.ws.library.phrases if p.source]) == 4
    assert len(subs.read_copy(huashu.ws.paths, str(team)).phrases) == 4


def test_fill_in_reply_is_pasted_when_settings_cannot_be_saved(
    huashu: HuashuApp, qtbot: QtBot, huashu_home: Path
) -> None:
    lib = huashu.ws.library
    cat = lib.top_categories()[0].id
    lib.add_phrase(Phrase("ask", "称呼", "{顾客}您好", cat))
    settings = Paths(huashu_home).settings
    settings.unlink(missing_ok=True)
    settings.mkdir()
    (settings / "x").write_text("a directory where settings.toml belongs: writes fail")
    for name in ("小王", "小李"):
        huashu.use_phrase("ask")
        dialog = huashu.flow.fillin
        assert dialog is not None
        with qtbot.waitSignal(huashu.pipeline.done, timeout=3000):
            dialog.submitted.emit({"customer": name})
        dialog.close()
    warnings = [t for level, t in huashu.shown if "could not be saved" in t]  # type: ignore[attr-defined]
    assert len(warnings) == 1


def test_use_counts_that_cannot_be_saved_warn_once(
    huashu: HuashuApp, qtbot: QtBot, huashu_home: Path
) -> None:
    usage = huashu.ws.usage
    usage._db.close()
    usage._db = sqlite3.connect(f"file:{Paths(huashu_home).usage}?mode=ro", uri=True)
    huashu.ws.settings.profile.agent_no = "7"
    huashu.ws.settings.profile.set_shop("店")
    huashu.pipeline.set_paster(FakePaster())  # a use counts once the reply was delivered
    for _ in range(3):
        with qtbot.waitSignal(huashu.pipeline.done, timeout=3000):
            huashu.use_phrase("greeting-welcome")
    warnings = [t for level, t in huashu.shown if "Use counts" in t]  # type: ignore[attr-defined]
    assert len(warnings) == 1
    assert usage.get("greeting-welcome")[0] == 3  # still ranked in this session


def test_empty_profile_value_is_warned_before_pasting(huashu: HuashuApp, qtbot: QtBot) -> None:
    huashu.ws.settings.profile.agent_no = ""
    with qtbot.waitSignal(huashu.pipeline.done, timeout=3000):
        huashu.use_phrase("greeting-welcome")
    texts = [t for level, t in huashu.shown if "empty in your profile" in t]  # type: ignore[attr-defined]
    assert len(texts) == 1 and "{工号}" in texts[0]
    huashu.shown.clear()  # type: ignore[attr-defined]
    huashu.ws.settings.profile.agent_no = "7"
    huashu.ws.settings.profile.set_shop("店")
    with qtbot.waitSignal(huashu.pipeline.done, timeout=3000):
        huashu.use_phrase("greeting-welcome")
    assert not [t for _l, t in huashu.shown if "empty in your profile" in t]  # type: ignore[attr-defined]


def test_corrupt_usage_data_is_one_warning_at_start(
    qtbot: QtBot, huashu_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    huashu_home.mkdir(parents=True)
    Paths(huashu_home).usage.write_bytes(b"SQLite format 3\x00" + os.urandom(3000))
    ws = Workspace.open(Paths.default())
    app = HuashuApp(ws)
    shown: list[str] = []
    app.notifier.shown.connect(lambda level, text: shown.append(text))
    app.start()
    qtbot.waitUntil(lambda: any("usage" in t for t in shown))
    assert len([t for t in shown if "usage statistics were damaged" in t]) == 1
    assert list(huashu_home.glob("usage.sqlite3.corrupt-*"))
    if app._data_watcher is not None:
        app._data_watcher.stop()
    _dispose(app, ws)


@pytest.mark.parametrize(
    ("env", "platform", "problem"),
    [
        ({}, "linux", True),
        ({"DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({}, "win32", False),
    ],
)
def test_display_problem(env: dict[str, str], platform: str, problem: bool) -> None:
    assert bool(display_problem(env, platform)) is problem


def test_shop_that_cannot_be_saved_is_an_error_not_a_crash(
    huashu: HuashuApp, huashu_home: Path
) -> None:
    settings = Paths(huashu_home).settings
    settings.unlink(missing_ok=True)
    settings.mkdir()
    (settings / "x").write_text("blocks the write")
    huashu.select_shop("新店")
    errors = [t for level, t in huashu.shown if "shop could not be saved" in t]  # type: ignore[attr-defined]
    assert len(errors) == 1
    assert huashu.ws.settings.profile.shop == "新店"  # used in this session anyway


def test_without_a_tray_paste_time_warnings_wait_for_the_paste(
    huashu: HuashuApp, qtbot: QtBot
) -> None:
    assert not huashu.tray.available() or not huashu.tray.is_visible()
    huashu.ws.settings.profile.agent_no = ""
    order: list[str] = []
    done = huashu.pipeline.done
    done.disconnect(huashu.flow.flush_after_paste)  # record "pasted" first, then let it flush
    done.connect(lambda mode: order.append("pasted"))
    done.connect(huashu.flow.flush_after_paste)
    huashu.notifier.shown.connect(lambda level, text: order.append("warned"))
    with qtbot.waitSignal(huashu.pipeline.done, timeout=3000):
        huashu.use_phrase("greeting-welcome")
    assert order[:2] == ["pasted", "warned"]


def test_with_a_tray_the_warning_comes_before_the_paste(
    huashu: HuashuApp, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(huashu.tray, "available", lambda: True)
    monkeypatch.setattr(huashu.tray, "is_visible", lambda: True)
    monkeypatch.setattr(huashu.tray, "show_message", lambda *a: None)
    huashu.ws.settings.profile.agent_no = ""
    with qtbot.waitSignal(huashu.pipeline.done, timeout=3000):
        huashu.use_phrase("greeting-welcome")
        assert [t for _l, t in huashu.shown if "empty in your profile" in t]  # type: ignore[attr-defined]

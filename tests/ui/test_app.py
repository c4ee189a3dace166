"""The wired app (app/main.py HuashuApp) offscreen, where no OS backend works.

It must not crash: hotkeys fall back to a backend that never fires, paste falls back to
copying, and the user is told why, once. "No backend" is explicit (the factories are
replaced), not a side effect of a missing DISPLAY: on Windows that would give the real
keyboard hook and SendInput, pressing Ctrl+V into whatever window has the focus.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.core.fsutil import Paths
from app.core.workspace import Workspace
from app.main import HuashuApp
from app.platform import factory, paste
from app.platform.hotkeys import HotkeyBackendError
from app.platform.paste import PasteError

from .conftest import dispose_app

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


def no_hotkeys(preference: str = "auto") -> Any:
    raise HotkeyBackendError(f"no OS hotkey backend in this test ({preference})")


def no_paster(preference: str = "auto") -> Any:
    raise PasteError(f"no OS paste backend in this test ({preference})")


@pytest.fixture
def huashu(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> HuashuApp:
    monkeypatch.setattr(factory, "make_hotkey_backend", no_hotkeys)
    monkeypatch.setattr(paste, "make_paster", no_paster)
    monkeypatch.delenv("DISPLAY", raising=False)  # pyperclip and the X11 probes see none
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    ws = Workspace.open(Paths.default())
    ws.settings.profile.agent_no = "7"
    ws.settings.profile.set_shop("小美服饰旗舰店")
    app = HuashuApp(ws)
    yield app
    dispose_app(app)


def test_without_backends_it_starts_and_says_why(huashu: HuashuApp, qtbot: QtBot) -> None:
    assert huashu.hotkeys.name == "none"
    assert huashu.paster is None
    shown: list[tuple[str, str]] = []
    huashu.notifier.shown.connect(lambda level, text: shown.append((level, text)))
    huashu.start()
    qtbot.waitUntil(lambda: len(shown) >= 2)
    texts = " ".join(t for _, t in shown)
    assert "Global hotkeys are not available (no OS hotkey backend in this test (auto))" in texts
    assert "cannot send keystrokes here (no OS paste backend in this test (auto))" in texts
    # The bindings are still checked: the welcome greeting's hotkey is known.
    assert "ctrl+alt+1" in huashu.hotkeys.registered()
    for box in huashu.notifier.open_boxes():
        box.close()


def test_using_a_phrase_copies_it_when_paste_is_impossible(huashu: HuashuApp, qtbot: QtBot) -> None:
    with qtbot.waitSignal(huashu.pipeline.done, timeout=3000) as blocker:
        huashu.use_phrase("greeting-welcome")
    assert blocker.args == ["copy"]
    text = QGuiApplication.clipboard().text()
    assert "7号客服" in text and "小美服饰旗舰店" in text
    # The reply did not reach a chat window: it is not counted as used.
    assert huashu.ws.usage.get("greeting-welcome")[0] == 0


def test_a_reply_copied_in_copy_mode_counts(huashu: HuashuApp, qtbot: QtBot) -> None:
    huashu.ws.settings.paste_mode = "copy"  # the agent's own choice: copying is the delivery
    with qtbot.waitSignal(huashu.pipeline.done, timeout=3000):
        huashu.use_phrase("greeting-welcome")
    assert huashu.ws.usage.get("greeting-welcome")[0] == 1


def test_picker_items_are_ranked_and_rendered(huashu: HuashuApp) -> None:
    items = huashu.results.search("cf", 5)
    assert items[0].category.startswith("催付")
    assert "{店铺}" not in items[0].preview and "小美服饰旗舰店" in items[0].preview


def test_tray_menu_lists_categories_and_switches_shop(huashu: HuashuApp) -> None:
    titles = [a.text() for a in huashu.tray.menu().actions()]
    assert any("欢迎语" in t for t in titles)
    huashu.select_shop("第二家店")
    reloaded = Workspace.open(Paths.default(), seed=False)
    assert reloaded.settings.profile.shop == "第二家店"
    assert reloaded.settings.profile.shops == ["小美服饰旗舰店", "第二家店"]
    reloaded.close()


def test_invalid_and_duplicate_hotkeys_are_reported(huashu: HuashuApp) -> None:
    lib = huashu.ws.library
    a, b = lib.phrases[5], lib.phrases[6]
    lib.update_phrase(a.copy(hotkey="ctrl+alt+1"))  # already the welcome greeting's
    lib.update_phrase(b.copy(hotkey="ctrl+nosuchkey"))
    problems = huashu.register_hotkeys()
    assert any("bound twice" in p for p in problems)
    assert any("ctrl+nosuchkey" in p and "not valid" in p for p in problems)


def test_pause_releases_all_but_the_pause_key(huashu: HuashuApp) -> None:
    huashu.register_hotkeys()
    assert "ctrl+alt+1" in huashu.hotkeys.registered()
    huashu.set_paused(True)
    assert huashu.hotkeys.registered() == ["ctrl+alt+p"]
    huashu._on_hotkey("pause")  # the pause key resumes
    assert not huashu.paused
    assert {"ctrl+alt+1", "ctrl+alt+space", "ctrl+alt+p"} <= set(huashu.hotkeys.registered())


def test_grabs_step_aside_while_a_hotkey_field_records(huashu: HuashuApp, qtbot: QtBot) -> None:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QFocusEvent

    from app.ui.settings.hotkey_edit import HotkeyEdit

    huashu.register_hotkeys()
    huashu.open_settings()
    window = huashu._settings_window
    assert window is not None
    qtbot.addWidget(window)
    edit = window.findChild(HotkeyEdit)
    assert edit is not None
    edit.focusInEvent(QFocusEvent(QEvent.Type.FocusIn, Qt.FocusReason.TabFocusReason))
    assert huashu.hotkeys.registered() == []  # ctrl+alt+1 can be recorded, not fired
    edit.focusOutEvent(QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason))
    assert "ctrl+alt+1" in huashu.hotkeys.registered()
    window.close()


def test_choosing_another_hotkey_backend_applies_at_once(huashu: HuashuApp) -> None:
    huashu.ws.settings.hotkey_backend = "x11"  # not available offscreen
    huashu._hotkeys_changed()
    assert huashu.hotkeys.name == "none"
    assert any("does not work here" in m for m in huashu.backend_problems)
    assert "ctrl+alt+1" in huashu.hotkeys.registered()
    huashu.backend_problems.clear()
    huashu._hotkeys_changed()  # nothing changed: no new backend, no new warning
    assert huashu.backend_problems == []


def test_language_switch_rebuilds_picker_and_menu_in_chinese(
    huashu: HuashuApp, qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QApplication

    from app.ui.translations import Translations

    huashu.translations = Translations(QApplication.instance())  # type: ignore[arg-type]
    huashu.picker  # noqa: B018
    huashu.change_language("zh_CN")
    qtbot.waitUntil(lambda: huashu.pickers.built is not None)
    # the shipped zh_CN title, not just "something else" (an untranslated or empty title
    # must fail)
    assert huashu.picker.windowTitle() == "话术快捷选择"
    assert any("退出" in a.text() for a in huashu.tray.menu().actions())
    huashu.change_language("en")
    qtbot.waitUntil(lambda: huashu.pickers.built is not None)
    assert huashu.picker.windowTitle() == "Huashu picker"


def test_input_method_problem_is_told_once(huashu: HuashuApp) -> None:
    from app.ui.backends import IM_NOTICE_FILE, warn_input_method_once

    home, problems = huashu.ws.paths.home, huashu.backend_problems
    assert warn_input_method_once(home, problems, None) is False
    assert warn_input_method_once(home, problems, "no plugin") is True
    assert "no plugin" in problems[-1]
    assert (home / IM_NOTICE_FILE).exists()
    count = len(problems)
    assert warn_input_method_once(home, problems, "no plugin") is False  # a later start: silent
    assert len(problems) == count


def test_panel_lists_categories_nested_and_their_phrases(huashu: HuashuApp) -> None:
    lib = huashu.ws.library
    cats = huashu.results.categories()
    top = lib.top_categories()[0]
    children = lib.children(top.id)
    assert cats[0] == (top.id, top.name)
    assert cats[1 : 1 + len(children)] == [(c.id, f"    {c.name}") for c in children]
    wanted = {top.id, *(c.id for c in children)}
    rows = huashu.results.in_category(top.id, "")
    assert [r.phrase_id for r in rows] == [p.id for p in lib.phrases if p.category in wanted]
    assert rows and all("{" not in r.preview for r in rows)  # rendered previews
    assert [r.phrase_id for r in huashu.results.in_category(top.id, "cf")] == [
        i.phrase_id for i in huashu.results.search("cf", 200)
    ]
    assert len(huashu.results.in_category("", "")) == min(200, len(lib.phrases))


def test_panel_hotkey_and_tray_toggle_it(huashu: HuashuApp, qtbot: QtBot) -> None:
    from app.core.appprofiles import TargetWindow
    from app.platform.window import FakeWindowInfo

    # an id no window of ours can have (offscreen Qt numbers its windows 1, 2, 3...)
    chat = 0x7FFF0009
    windows = FakeWindowInfo()
    windows.add(TargetWindow(chat, "QQ.exe"), (100, 100, 300, 300))
    windows.focus = chat
    huashu.windows = windows
    assert "ctrl+alt+q" in huashu.ws.settings.panel_hotkey
    huashu.hotkey_fired.emit("panel")
    qtbot.waitUntil(lambda: huashu.panel.target() is not None)
    assert huashu.panel.target() == windows.windows[chat]
    huashu.tray.panel_requested.emit()
    assert huashu.panel.target() is None
    huashu.panel.deleteLater()


def test_panel_suggests_replies_to_the_copied_message_and_learns(
    huashu: HuashuApp, qtbot: QtBot
) -> None:
    from app.ui.panel import SUGGESTED

    texts: list[str] = ["亲，什么时候发货呀？"]
    huashu.clipboard.get_text = lambda: texts[0]  # type: ignore[method-assign]
    panel = huashu.panel
    panel.reload()
    assert panel.category_list.item(0).text() == "Suggested"
    assert panel.select_category(SUGGESTED)
    rows = huashu.panels.suggestions()
    expected = [s.phrase.id for s in huashu.ws.suggest("亲，什么时候发货呀？", 9).suggestions]
    assert [r.phrase_id for r in rows] == expected != []
    assert all(r.why for r in rows)
    assert panel.phrase_ids() == expected
    learned: list[tuple[str, str]] = []
    used: list[str] = []
    huashu.ws.learn = lambda message, pid: learned.append((message, pid))  # type: ignore[method-assign]
    huashu.use_phrase = lambda pid, delay_ms=0: used.append(pid)  # type: ignore[method-assign]
    panel.chosen.emit(expected[-1])
    assert learned == [("亲，什么时候发货呀？", expected[-1])] and used == [expected[-1]]
    # a code on the clipboard is no customer message: nothing is suggested or learned
    texts[0] = "cf1"
    assert huashu.panels.suggestions() == []
    panel.chosen.emit(expected[0])
    assert len(learned) == 1 and used == [expected[-1], expected[0]]
    panel.deleteLater()


def test_a_held_hotkey_is_reported_by_code_and_the_panel_key_moves(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    caplog.set_level(logging.INFO, logger="app.main")
    from app.platform.fake import FakeHotkeys

    hotkeys = FakeHotkeys(held_by_other_programs=["ctrl+alt+q"])
    monkeypatch.setattr(factory, "make_hotkey_backend", lambda p="auto": (hotkeys, "fake"))
    monkeypatch.setattr(paste, "make_paster", no_paster)
    ws = Workspace.open(Paths.default())
    app = HuashuApp(ws)
    try:
        problems = app.register_hotkeys(report=False)
        assert problems == [
            "Hotkey ctrl+alt+q for the docked panel cannot be used: "
            "another program already uses it."
        ]
        assert "ctrl+alt+q" not in hotkeys.registered()
        # The log keeps the English reason (the Windows e2e lane reads it).
        assert (
            "hotkey ctrl+alt+q for panel not bound (taken): "
            "ctrl+alt+q is already used by another program." in caplog.messages
        )
        fired: list[str] = []
        app.hotkey_fired.connect(fired.append)
        assert hotkeys.trigger("ctrl+alt+space") and fired == ["picker"]
        ws.settings.panel_hotkey = "ctrl+alt+w"  # what the General page saves
        app._hotkeys_changed()
        assert "ctrl+alt+w" in hotkeys.registered()
        assert app.register_hotkeys(report=False) == []
        assert hotkeys.trigger("alt+ctrl+w") and fired[-1] == "panel"
        app.set_paused(True)
        assert hotkeys.registered() == ["ctrl+alt+p"]
        assert not hotkeys.trigger("ctrl+alt+w")
        assert hotkeys.trigger("ctrl+alt+p") and not app.paused  # the pause key resumes
        app.picker.hide()  # the picker hotkey opened it
    finally:
        dispose_app(app)


def test_a_quit_app_no_longer_follows_hotkey_recording(
    huashu: HuashuApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The recording bus is process-wide: after quit, a hotkey field taking the focus in
    another window must not reach this app's closed hotkey backend."""
    from PySide6.QtWidgets import QApplication

    from app.ui.settings.hotkey_edit import recording_bus

    monkeypatch.setattr(QApplication, "quit", staticmethod(lambda: None))
    huashu.open_settings()
    assert huashu._follows_recording
    huashu.quit()
    assert not huashu._follows_recording
    recording_bus().changed.emit(True)  # would raise "backend is closed" if still connected
    assert huashu._recording is False

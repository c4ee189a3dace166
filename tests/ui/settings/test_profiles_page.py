"""The "Apps" settings page (per-app profiles) and the settings window's size."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from pytestqt.qtbot import QtBot

from app.core import appprofiles as ap
from app.core.appprofiles import AppProfile, ProfileSet, TargetWindow
from app.platform.window import FakeWindowInfo
from app.ui.settings.profiles_page import ProfilesPage
from app.ui.settings.window import FRAME_MARGIN, PAGE_APPS, SettingsWindow

XTERM = AppProfile(
    "xterm",
    "xterm",
    ("XTerm",),
    paste_key="type",
    newline="enter",
    note="built-in note",
    note_zh="内置说明",
    builtin=True,
)
CHROME = AppProfile("chrome", "Chrome", ("chrome.exe",), builtin=True)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def windows() -> FakeWindowInfo:
    return FakeWindowInfo()


@pytest.fixture
def page(qtbot: QtBot, home: Path, windows: FakeWindowInfo) -> Iterator[ProfilesPage]:
    p = ProfilesPage(ProfileSet([XTERM, CHROME], []), home, windows, own_windows=lambda: {1})
    qtbot.addWidget(p)
    yield p


def labels(page: ProfilesPage) -> list[str]:
    return [page.list.item(i).text() for i in range(page.list.count())]


def test_lists_builtins_and_shows_the_first(page: ProfilesPage) -> None:
    assert labels(page) == ["xterm  (built-in)", "Chrome  (built-in)"]
    assert page.current_id() == "xterm"
    assert page.match.text() == "XTerm"
    assert page.paste_key.currentData() == "type"
    assert page.newline.currentData() == "enter"
    assert page.note.text() == "built-in note"
    assert not page.reset_button.isEnabled()
    assert page.paste_key.itemText(ap.PASTE_KEYS.index("type")) == "type the text"


def test_the_note_is_shown_in_the_ui_language(qtbot: QtBot, page: ProfilesPage) -> None:
    from PySide6.QtWidgets import QApplication

    from app.ui.language import PROPERTY

    app = QApplication.instance()
    assert app is not None
    before = app.property(PROPERTY)
    app.setProperty(PROPERTY, "zh_CN")
    try:
        page.retranslate()
        assert page.note.text() == "内置说明"
    finally:
        app.setProperty(PROPERTY, before)
    page.retranslate()
    assert page.note.text() == "built-in note"


def test_editing_a_builtin_saves_a_user_copy(qtbot: QtBot, page: ProfilesPage, home: Path) -> None:
    page.paste_key.setCurrentIndex(ap.PASTE_KEYS.index("ctrl+shift+v"))
    page.match.setText("XTerm， UXTerm ,")
    page.delay.setValue(150)
    page.send_after.setChecked(True)
    page.send_key.setCurrentIndex(ap.SEND_KEYS.index("ctrl+enter"))
    page.send_delay.setValue(300)
    page.title_contains.setText("bash")
    page.name.setText("  ")
    with qtbot.waitSignal(page.changed), qtbot.waitSignal(page.status) as status:
        assert page.save_current() is True
    assert "xterm" in status.args[0]
    saved, problems = ap.load_user(home / ap.USER_FILE)
    assert problems == []
    assert saved == [
        AppProfile(
            "xterm",
            "xterm",
            ("XTerm", "UXTerm"),
            ("bash",),
            "ctrl+shift+v",
            "enter",
            150,
            True,
            "ctrl+enter",
            300,
            "built-in note",
            "内置说明",
        )
    ]
    assert labels(page)[0] == "xterm  (changed)"
    assert page.reset_button.isEnabled()
    # Reset brings the built-in back.
    with qtbot.waitSignal(page.changed):
        assert page.reset_current() is True
    assert ap.load_user(home / ap.USER_FILE)[0] == []
    assert page.paste_key.currentData() == "type" and page.current_id() == "xterm"
    assert page.reset_current() is False


def test_a_profile_needs_a_program(qtbot: QtBot, page: ProfilesPage, home: Path) -> None:
    page.match.setText(" , ")
    with qtbot.waitSignal(page.status) as status, qtbot.assertNotEmitted(page.changed):
        assert page.save_current() is False
    assert "program" in status.args[0]
    assert not (home / ap.USER_FILE).exists()


def test_save_failure_is_reported(qtbot: QtBot, page: ProfilesPage, tmp_path: Path) -> None:
    page.home = tmp_path / "missing" / "deeper"
    (tmp_path / "missing").write_text("a file, not a folder", "utf-8")
    with qtbot.waitSignal(page.status) as status, qtbot.assertNotEmitted(page.changed):
        assert page.save_current() is False
    assert "Could not save" in status.args[0]


def test_pick_a_window_creates_a_profile(
    qtbot: QtBot, page: ProfilesPage, windows: FakeWindowInfo, home: Path
) -> None:
    windows.add(TargetWindow(1, "python", "huashu", "Huashu Settings"))
    windows.focus = 1  # our own window: ignored
    page.start_pick()
    assert page.picking() and "10 seconds" in page.pick_label.text()
    qtbot.wait(250)
    assert page.picking()
    windows.add(TargetWindow(5, "Chrome.exe", "", "千牛工作台 - 飞鸽网页版 - Google Chrome"))
    windows.focus = 5
    with qtbot.waitSignal(page.changed, timeout=2000):
        pass
    assert not page.picking()
    assert page.current_id() == "chrome-2"  # "chrome" is taken by the built-in one
    profile = page.profiles.get("chrome-2")
    assert profile is not None and profile.match == ("Chrome.exe",)
    assert profile.name == "千牛工作台 - 飞鸽网页版 - Google Chrome"[:40]
    assert "Chrome.exe" in page.pick_label.text()
    assert [p.id for p in ap.load_user(home / ap.USER_FILE)[0]] == ["chrome-2"]
    # X11: class and instance are both recorded.
    created = page.create_for(TargetWindow(6, "Konsole", "konsole", ""))
    assert created.match == ("Konsole", "konsole") and created.name == "Konsole"
    created = page.create_for(TargetWindow(7, "XTerm", "XTerm", "t"))
    assert created.match == ("XTerm",) and created.paste_key == "type"  # from the built-in


def test_pick_gives_up(
    qtbot: QtBot, page: ProfilesPage, windows: FakeWindowInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.ui.settings.profiles_page.PICK_SECONDS", 0)
    page.start_pick()
    qtbot.waitUntil(lambda: not page.picking(), timeout=2000)
    assert "No other program" in page.pick_label.text()
    assert page.profiles.user == []


def test_without_window_info_pick_is_disabled(qtbot: QtBot, home: Path) -> None:
    p = ProfilesPage(ProfileSet([], []), home, None)
    qtbot.addWidget(p)
    assert not p.pick_button.isEnabled()
    p.start_pick()
    assert not p.picking()
    assert p.current_id() is None and not p.save_button.isEnabled()
    assert p.save_current() is False and p.edited_profile() is None
    assert p.select("x") is False


def test_settings_window_has_the_apps_page(window: SettingsWindow) -> None:
    window.show_page(PAGE_APPS)
    assert window.stack.currentWidget() is window.apps_page
    assert window.page_list.item(PAGE_APPS).text() == "Apps"
    assert window.apps_page.profiles.builtin  # the shipped profiles are listed
    assert window.apps_page.select("qianniu")


class FakeScreen:
    def __init__(self, width: int, height: int) -> None:
        self.area = QRect(0, 0, width, height)

    def availableGeometry(self) -> QRect:
        return self.area


@pytest.mark.parametrize(
    ("width", "height"),
    [(1366, 728), (1280, 680), (1280, 720)],  # 1366x768 and 1280x720 minus a 40 px taskbar
)
def test_settings_window_fits_small_screens(
    window: SettingsWindow, monkeypatch: pytest.MonkeyPatch, width: int, height: int
) -> None:
    monkeypatch.setattr(window, "screen", lambda: FakeScreen(width, height))
    window.fit_to_screen()
    assert window.width() <= width - FRAME_MARGIN[0]
    assert window.height() <= height - FRAME_MARGIN[1]
    assert window.x() >= 0 and window.y() >= 0
    assert window.y() + window.height() + FRAME_MARGIN[1] <= height
    for index in range(window.stack.count()):  # no page needs more than that
        window.show_page(index)
        hint = window.minimumSizeHint()
        assert hint.width() <= width - FRAME_MARGIN[0]
        assert hint.height() <= height - FRAME_MARGIN[1]


def test_apps_page_fits_a_1280_screen(window: SettingsWindow) -> None:
    hint = window.apps_page.minimumSizeHint()
    assert hint.width() <= 1280 - FRAME_MARGIN[0] - window.page_list.width() - 40
    assert hint.height() <= 680 - FRAME_MARGIN[1]


def test_settings_window_keeps_its_size_on_big_screens(
    window: SettingsWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(window, "screen", lambda: FakeScreen(1920, 1040))
    window.fit_to_screen()
    assert (window.width(), window.height()) == (1240, 760)
    assert window.x() == (1920 - 1240) // 2


def test_key_labels(page: ProfilesPage) -> None:
    from app.ui.settings.profiles_page import key_label

    assert key_label("ctrl+shift+v") == "Ctrl+Shift+V"
    assert key_label("shift+insert") == "Shift+Insert"
    assert key_label("alt+s") == "Alt+S"
    assert page.newline.itemText(0) == "Shift+Enter"


def test_hidden_apps_page_rebuilds_its_list_only_when_shown(window: SettingsWindow) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    page = window.apps_page
    assert not page.isVisible()
    rebuilt: list[object] = []
    page.refresh = lambda select=None: rebuilt.append(select)  # type: ignore[method-assign]
    QApplication.sendEvent(page, QEvent(QEvent.Type.LanguageChange))
    assert rebuilt == []
    window.show_page(PAGE_APPS)
    assert rebuilt == [None]

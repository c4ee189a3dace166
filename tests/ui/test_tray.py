"""The tray controller: menu built from plain data, actions emit the right signals."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from app.ui.icons import app_icon, resource_bytes
from app.ui.tray import MAX_PHRASES_PER_MENU, TrayController

from .conftest import dispose_tray

CATEGORIES = [
    ("欢迎语", [("greeting-welcome", "标准欢迎语  hy1"), ("greeting-bye", "结束语")]),
    ("催付 / 高峰期", [("pay-busy", "高峰期催付  cf2")]),
    ("空分类", []),
]
SHOPS = ["花漾旗舰店", "花漾童装店"]


@pytest.fixture
def tray(qapp: object) -> Iterator[TrayController]:
    controller = TrayController(app_icon())
    controller.rebuild(CATEGORIES, SHOPS, "花漾旗舰店", paused=False)
    yield controller
    dispose_tray(controller)


def texts(menu: QMenu) -> list[str]:
    return ["---" if a.isSeparator() else a.text() for a in menu.actions()]


def action(menu: QMenu, text: str) -> QAction:
    for a in menu.actions():
        if a.text().split("\t")[0] == text:
            return a
    raise AssertionError(f"no action {text!r} in {texts(menu)}")


def submenu(menu: QMenu, text: str) -> QMenu:
    sub = action(menu, text).menu()
    assert isinstance(sub, QMenu)
    return sub


def test_menu_structure(tray: TrayController) -> None:
    assert texts(tray.menu()) == [
        "欢迎语",
        "催付 / 高峰期",
        "空分类",
        "---",
        "Open picker",
        "Docked panel",
        "Settings...",
        "Shop",
        "Pause hotkeys",
        "---",
        "Quit",
    ]
    assert texts(submenu(tray.menu(), "欢迎语")) == ["标准欢迎语  hy1", "结束语"]
    empty = submenu(tray.menu(), "空分类").actions()
    assert [a.isEnabled() for a in empty] == [False]


def test_phrase_action_emits_its_id(qtbot: QtBot, tray: TrayController) -> None:
    bye = action(submenu(tray.menu(), "欢迎语"), "结束语")
    with qtbot.waitSignal(tray.phrase_chosen, timeout=1000) as blocker:
        bye.trigger()
    assert blocker.args == ["greeting-bye"]
    busy = action(submenu(tray.menu(), "催付 / 高峰期"), "高峰期催付  cf2")
    with qtbot.waitSignal(tray.phrase_chosen, timeout=1000) as blocker:
        busy.trigger()
    assert blocker.args == ["pay-busy"]


def test_picker_settings_quit(qtbot: QtBot, tray: TrayController) -> None:
    tray.set_picker_hotkey("ctrl+alt+space")
    picker = action(tray.menu(), "Open picker")
    assert picker.text() == "Open picker\tctrl+alt+space"
    with qtbot.waitSignal(tray.picker_requested, timeout=1000):
        picker.trigger()
    with qtbot.waitSignal(tray.settings_requested, timeout=1000):
        action(tray.menu(), "Settings...").trigger()
    with qtbot.waitSignal(tray.quit_requested, timeout=1000):
        action(tray.menu(), "Quit").trigger()


def test_hotkey_text_survives_a_rebuild(tray: TrayController) -> None:
    tray.set_picker_hotkey("ctrl+alt+space")
    tray.rebuild(CATEGORIES, SHOPS, "花漾旗舰店", paused=False)
    assert action(tray.menu(), "Open picker").text().endswith("\tctrl+alt+space")


def test_shop_switch(qtbot: QtBot, tray: TrayController) -> None:
    shops = submenu(tray.menu(), "Shop")
    assert texts(shops) == SHOPS
    assert [a.isChecked() for a in shops.actions()] == [True, False]
    assert tray.tooltip() == "Huashu — 花漾旗舰店"
    with qtbot.waitSignal(tray.shop_selected, timeout=1000) as blocker:
        shops.actions()[1].trigger()
    assert blocker.args == ["花漾童装店"]
    assert [a.isChecked() for a in shops.actions()] == [False, True]
    assert tray.tooltip() == "Huashu — 花漾童装店"


def test_no_shops_disables_the_shop_menu(tray: TrayController) -> None:
    tray.rebuild(CATEGORIES, [], "", paused=False)
    assert not action(tray.menu(), "Shop").isEnabled()
    assert tray.tooltip() == "Huashu"


def test_pause_toggle(qtbot: QtBot, tray: TrayController) -> None:
    pause = action(tray.menu(), "Pause hotkeys")
    assert not tray.paused()
    with qtbot.waitSignal(tray.pause_toggled, timeout=1000) as blocker:
        pause.trigger()
    assert blocker.args == [True]
    assert pause.text() == "Resume hotkeys"
    assert tray.paused()
    assert tray.tooltip().endswith("(paused)")
    with qtbot.waitSignal(tray.pause_toggled, timeout=1000) as blocker:
        pause.trigger()
    assert blocker.args == [False]
    assert pause.text() == "Pause hotkeys"
    assert "(paused)" not in tray.tooltip()


def test_rebuild_in_paused_state_emits_nothing(qtbot: QtBot, tray: TrayController) -> None:
    with qtbot.assertNotEmitted(tray.pause_toggled):
        tray.rebuild([], SHOPS, "花漾童装店", paused=True)
    assert texts(tray.menu())[:3] == ["Open picker", "Docked panel", "Settings..."]
    assert action(tray.menu(), "Resume hotkeys").isEnabled()
    assert tray.paused()
    assert tray.tooltip() == "Huashu — 花漾童装店 (paused)"


def test_set_paused_shows_the_state_silently(qtbot: QtBot, tray: TrayController) -> None:
    with qtbot.assertNotEmitted(tray.pause_toggled):
        tray.set_paused(True)
    assert "Resume hotkeys" in texts(tray.menu())
    assert tray.tooltip().endswith("(paused)")
    with qtbot.waitSignal(tray.pause_toggled, timeout=1000) as blocker:
        action(tray.menu(), "Resume hotkeys").trigger()
    assert blocker.args == [False]


def test_long_categories_are_capped(qtbot: QtBot, tray: TrayController) -> None:
    many = [(f"id{n}", f"title {n}") for n in range(MAX_PHRASES_PER_MENU + 5)]
    tray.rebuild([("大类", many)], SHOPS, SHOPS[0], paused=False)
    sub = submenu(tray.menu(), "大类")
    phrases = [a for a in sub.actions() if a.data()]
    assert len(phrases) == MAX_PHRASES_PER_MENU
    more = sub.actions()[-1]
    assert "5" in more.text()
    with qtbot.waitSignal(tray.picker_requested, timeout=1000):
        more.trigger()


def test_ampersands_are_not_mnemonics(tray: TrayController) -> None:
    tray.rebuild([("A&B", [("x", "Q&A")])], ["M&M"], "M&M", paused=False)
    assert texts(tray.menu())[0] == "A&&B"
    assert texts(submenu(tray.menu(), "A&&B")) == ["Q&&A"]


def test_offscreen_has_no_tray_and_show_is_harmless(
    tray: TrayController, caplog: pytest.LogCaptureFixture
) -> None:
    assert TrayController.available() is False
    tray.show()
    assert not tray.is_visible()
    with caplog.at_level(logging.DEBUG, logger="app.ui.tray"):
        tray.show_message("Huashu", "hello", "warning")
    # without a visible tray icon the message is logged instead of shown
    assert [r.getMessage() for r in caplog.records] == [
        "tray message not shown (no visible tray icon): Huashu: hello"
    ]


def test_paused_icon_differs(tray: TrayController) -> None:
    normal = tray.tray_icon().icon().pixmap(32).toImage()
    tray.rebuild([], [], "", paused=True)
    paused = tray.tray_icon().icon().pixmap(32).toImage()
    assert not paused.isNull()
    assert paused != normal


def test_app_icon_renders_at_tray_sizes(qapp: object) -> None:
    icon = app_icon()
    assert isinstance(icon, QIcon) and not icon.isNull()
    for size in (16, 24, 32, 64):
        image = icon.pixmap(size).toImage()
        assert image.width() == size
        # opaque orange background in the middle, transparent corner
        centre_row = image.pixelColor(size // 2, size // 8)
        assert centre_row.alpha() == 255 and centre_row.red() > 200
        assert image.pixelColor(0, 0).alpha() < 64


def _render_svg(size: int) -> QImage:
    """The shipped ``huashu.svg`` rendered by QtSvg: the reference the painted icon follows."""
    renderer = QSvgRenderer(QByteArray(resource_bytes("icons/huashu.svg")))
    assert renderer.isValid()
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def _differing(a: QImage, b: QImage, size: int) -> int:
    return sum(
        1
        for y in range(0, size, 2)
        for x in range(0, size, 2)
        if abs(a.pixelColor(x, y).lightness() - b.pixelColor(x, y).lightness()) > 60
        or abs(a.pixelColor(x, y).alpha() - b.pixelColor(x, y).alpha()) > 60
    )


def test_painted_app_icon_matches_the_shipped_svg(qapp: object) -> None:
    """The tray paints the icon with QPainter; it must look like ``resources/icons/huashu.svg``
    (the file installers and the README use), rendered independently by QtSvg."""
    size = 64
    svg = _render_svg(size)
    painted = app_icon().pixmap(size).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    budget = (size // 2) ** 2 * 0.03
    assert _differing(svg, painted, size) < budget
    # the comparison can fail: a blank square of the right colour is far off
    blank = QImage(size, size, QImage.Format.Format_ARGB32)
    blank.fill(QColor("#f05a2e"))
    assert _differing(svg, blank, size) > budget
    # and it is not blank: white strokes on the orange square
    assert painted.pixelColor(40, 27).lightness() > 230


def test_rebuild_from_inside_a_menu_action(qtbot: QtBot, tray: TrayController) -> None:
    """main.py rebuilds the menu when pause is toggled from the menu itself."""
    tray.pause_toggled.connect(lambda paused: tray.rebuild(CATEGORIES, SHOPS, SHOPS[0], paused))
    old = tray.menu()
    pause = action(old, "Pause hotkeys")
    del old
    with qtbot.waitSignal(tray.pause_toggled, timeout=1000):
        pause.trigger()
    assert "Resume hotkeys" in texts(tray.menu())
    qtbot.wait(10)  # the old menu is deleted on the next event loop turn
    with qtbot.waitSignal(tray.pause_toggled, timeout=1000) as blocker:
        action(tray.menu(), "Resume hotkeys").trigger()
    assert blocker.args == [False]
    assert "Pause hotkeys" in texts(tray.menu())


def test_subcategories_nest_under_their_category(qtbot: QtBot, tray: TrayController) -> None:
    nested = [
        (
            "催付",
            [("pay-1", "通用催付")],
            [("高峰期", [("pay-busy", "高峰期催付")]), ("大促", [("pay-sale", "大促催付")])],
        ),
        ("欢迎语", [("hi", "您好")], []),
        ("只有子类", [], [("子类", [("child", "子类短语")])]),
    ]
    tray.rebuild(nested, [], "", paused=False)
    top = texts(tray.menu())
    assert top[:4] == ["催付", "欢迎语", "只有子类", "---"]
    pay = submenu(tray.menu(), "催付")
    assert texts(pay) == ["高峰期", "大促", "---", "通用催付"]
    assert texts(submenu(pay, "高峰期")) == ["高峰期催付"]
    assert texts(submenu(tray.menu(), "欢迎语")) == ["您好"]
    # A category whose phrases are all in subcategories shows no "(empty)" entry.
    assert texts(submenu(tray.menu(), "只有子类")) == ["子类"]
    with qtbot.waitSignal(tray.phrase_chosen, timeout=1000) as blocker:
        action(submenu(pay, "大促"), "大促催付").trigger()
    assert blocker.args == ["pay-sale"]


def test_panel_action_emits(qtbot: QtBot, tray: TrayController) -> None:
    with qtbot.waitSignal(tray.panel_requested, timeout=1000):
        action(tray.menu(), "Docked panel").trigger()

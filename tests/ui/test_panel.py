"""The docked panel (offscreen): docking, following, hiding, choosing, search focus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.appprofiles import PanelLayout, TargetWindow
from app.platform.window import FakeWindowInfo
from app.ui.panel import ALL_CATEGORIES, SUGGESTED, DockedPanel
from app.ui.picker import PickerItem

CHAT = TargetWindow(0x77, "AliWorkbench.exe", "", "千牛")
ROWS = {
    "greet": [
        PickerItem("hi", "欢迎", "欢迎语", "hy", "您好"),
        PickerItem("bye", "再见", "欢迎语", "", "再见"),
    ],
    "pay": [PickerItem("cf", "催付", "催付", "cf", "请尽快付款", warning="“最”: x")],
}


def phrases(category: str, query: str) -> list[PickerItem]:
    every = [row for rows in ROWS.values() for row in rows]
    if query:
        return [row for row in every if query in row.title or query in row.code]
    return every if not category else ROWS.get(category, [])


class Saved:
    def __init__(self) -> None:
        self.calls: list[dict[str, PanelLayout]] = []

    def __call__(self, layouts: dict[str, PanelLayout]) -> None:
        self.calls.append(layouts)


@pytest.fixture
def windows() -> FakeWindowInfo:
    info = FakeWindowInfo()
    info.add(CHAT, (300, 50, 200, 400))  # offscreen screen: 800x600
    info.focus = CHAT.id
    return info


@pytest.fixture
def saved() -> Saved:
    return Saved()


@pytest.fixture
def panel(qtbot: QtBot, windows: FakeWindowInfo, saved: Saved) -> Iterator[DockedPanel]:
    p = DockedPanel(
        windows,
        lambda: [("greet", "欢迎语"), ("pay", "催付")],
        phrases,
        layouts={"qq": PanelLayout("left", 300)},
        save_layouts=saved,
        own_windows=lambda: {0x99},
    )
    qtbot.addWidget(p)
    yield p
    p.undock()


def test_flags_never_take_focus(panel: DockedPanel) -> None:
    flags = panel.windowFlags()
    for flag in (
        Qt.WindowType.Tool,
        Qt.WindowType.WindowStaysOnTopHint,
        Qt.WindowType.WindowDoesNotAcceptFocus,
    ):
        assert flags & flag
    assert panel.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert not panel.accepts_focus()
    assert panel.windowTitle() == "Huashu panel"
    assert panel.phrase_list.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert panel.category_list.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_toggle_docks_beside_the_focused_window(
    qtbot: QtBot, panel: DockedPanel, windows: FakeWindowInfo
) -> None:
    with qtbot.waitSignal(panel.docked) as blocker:
        panel.toggle()
    assert blocker.args == [CHAT]
    assert panel.isVisible() and panel.target() == CHAT
    g = panel.geometry()
    assert (g.x(), g.y(), g.width(), g.height()) == (500, 50, 260, 400)
    with qtbot.waitSignal(panel.docked) as blocker:
        panel.toggle()
    assert blocker.args == [None]
    assert not panel.isVisible() and panel.target() is None


def test_toggle_without_a_chat_window_says_so(
    qtbot: QtBot, panel: DockedPanel, windows: FakeWindowInfo
) -> None:
    windows.focus = None
    with qtbot.waitSignal(panel.message) as blocker:
        panel.toggle()
    assert "chat window" in blocker.args[0]
    assert panel.target() is None and not panel.isVisible()
    windows.add(TargetWindow(0x99, "python", "huashu"))
    windows.focus = 0x99  # our own window (the picker...) is not a chat window
    with qtbot.waitSignal(panel.message):
        panel.toggle()
    assert panel.target() is None


def test_follows_moves_hides_when_minimised_undocks_when_closed(
    qtbot: QtBot, panel: DockedPanel, windows: FakeWindowInfo
) -> None:
    panel.dock(CHAT)
    windows.rects[CHAT.id] = (100, 40, 250, 300)
    panel.follow()
    g = panel.geometry()
    assert (g.x(), g.y(), g.height()) == (350, 40, 300)
    # The timer does it too, while docked.
    windows.rects[CHAT.id] = (120, 60, 250, 300)
    qtbot.waitUntil(lambda: panel.geometry().x() == 370, timeout=2000)
    windows.minimised.add(CHAT.id)
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=2000)
    assert panel.target() == CHAT  # still docked: comes back with the window
    windows.minimised.clear()
    qtbot.waitUntil(panel.isVisible, timeout=2000)
    windows.remove(CHAT.id)
    with qtbot.waitSignal(panel.docked, timeout=2000) as blocker:
        pass
    assert blocker.args == [None]
    assert not panel.isVisible() and panel.target() is None
    assert not panel._follow.isActive()  # no timer while undocked


def test_side_and_width_are_remembered_per_app(
    panel: DockedPanel, windows: FakeWindowInfo, saved: Saved
) -> None:
    panel.dock(CHAT)
    panel.switch_side()
    assert panel.side == "left" and panel.geometry().x() == 300 - 260
    panel.resize_by(40)
    assert panel.geometry().width() == 300
    assert saved.calls[-1]["aliworkbench"] == PanelLayout("left", 300)
    assert saved.calls[-1]["qq"] == PanelLayout("left", 300)  # others kept
    panel.resize_by(-1000)
    assert panel.geometry().width() == 180
    panel.undock()
    qq = windows.add(TargetWindow(5, "QQ.exe"), (400, 100, 300, 400))
    panel.dock(qq)
    assert panel.side == "left" and panel.geometry().width() == 300
    assert panel.layout_for("aliworkbench") == PanelLayout("left", 180)
    assert panel.layout_for("nothing") == PanelLayout()


def test_no_room_on_the_side_uses_the_other(panel: DockedPanel, windows: FakeWindowInfo) -> None:
    screen = QApplication.primaryScreen().availableGeometry()
    windows.rects[CHAT.id] = (screen.right() - 499, 100, 480, 400)
    panel.dock(CHAT)
    assert panel.side == "right" and panel.docked_side == "left"
    assert panel.geometry().x() == screen.right() - 499 - 260


def test_categories_and_phrases(panel: DockedPanel) -> None:
    cats = [panel.category_list.item(i).text() for i in range(panel.category_list.count())]
    assert cats == ["All", "欢迎语", "催付"]
    assert panel.current_category() == ALL_CATEGORIES
    assert panel.phrase_ids() == ["hi", "bye", "cf"]
    assert panel.select_category("pay") and panel.phrase_ids() == ["cf"]
    assert panel.phrase_list.item(0).text().startswith("⚠ 催付")
    assert not panel.select_category("missing")
    panel.search.setText("欢")
    assert panel.phrase_ids() == ["hi"]  # a search looks in every category
    panel.search.clear()
    panel.reload()
    assert panel.current_category() == "pay"  # kept over a reload


def test_suggestion_hook(panel: DockedPanel) -> None:
    panel.suggest = lambda: [PickerItem("s1", "建议", "", "", "x")]
    panel.reload()
    assert panel.category_list.item(0).text() == "Suggested"
    assert panel.select_category(SUGGESTED)
    assert panel.phrase_ids() == ["s1"]
    panel.search.setText("cf")
    assert panel.phrase_ids() == ["cf"]


def test_click_chooses_without_taking_focus(qtbot: QtBot, panel: DockedPanel) -> None:
    panel.dock(CHAT)
    item = panel.phrase_list.item(1)
    with qtbot.waitSignal(panel.chosen) as blocker:
        rect = panel.phrase_list.visualItemRect(item)
        qtbot.mouseClick(panel.phrase_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["bye"]
    assert not panel.accepts_focus() and not panel.is_searching()


def click_search(panel: DockedPanel) -> None:
    pos = QPointF(5, 5)
    press = QMouseEvent(
        QEvent.Type.MouseButtonPress,
        pos,
        panel.search.mapToGlobal(QPoint(5, 5)).toPointF(),
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(panel.search, press)


def key(panel: DockedPanel, k: Qt.Key) -> None:
    QApplication.sendEvent(
        panel.search, QKeyEvent(QEvent.Type.KeyPress, k, Qt.KeyboardModifier.NoModifier)
    )


def test_search_takes_focus_then_gives_it_back(
    qtbot: QtBot, panel: DockedPanel, windows: FakeWindowInfo
) -> None:
    panel.dock(CHAT)
    click_search(panel)
    assert panel.is_searching() and panel.accepts_focus() and panel.isVisible()
    assert not panel.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    click_search(panel)  # a second click changes nothing
    assert panel.is_searching()
    panel.search.setText("c")
    key(panel, Qt.Key.Key_Down)  # at the end already: stays
    assert panel.phrase_list.currentRow() == 0
    panel.search.setText("")
    key(panel, Qt.Key.Key_Down)
    assert panel.phrase_list.currentRow() == 1
    key(panel, Qt.Key.Key_Up)
    key(panel, Qt.Key.Key_Up)
    assert panel.phrase_list.currentRow() == 0
    key(panel, Qt.Key.Key_Down)
    with qtbot.waitSignal(panel.chosen) as blocker:
        key(panel, Qt.Key.Key_Return)
    assert blocker.args == ["bye"]
    # The chat window got the keyboard back before the phrase was handed on.
    assert windows.activations == [CHAT.id]
    assert not panel.is_searching() and not panel.accepts_focus() and panel.isVisible()
    assert panel.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)


def test_escape_leaves_search_without_choosing(
    qtbot: QtBot, panel: DockedPanel, windows: FakeWindowInfo
) -> None:
    panel.dock(CHAT)
    click_search(panel)
    with qtbot.assertNotEmitted(panel.chosen):
        key(panel, Qt.Key.Key_Escape)
    assert not panel.is_searching() and windows.activations == [CHAT.id]
    panel.leave_search()  # nothing to leave
    assert windows.activations == [CHAT.id]
    key(panel, Qt.Key.Key_A)  # other keys go to the box
    click_search(panel)
    panel.undock()  # undocking while searching gives the focus back too
    assert windows.activations == [CHAT.id, CHAT.id] and not panel.is_searching()


def test_enter_with_no_rows_does_nothing(qtbot: QtBot, panel: DockedPanel) -> None:
    panel.dock(CHAT)
    click_search(panel)
    panel.search.setText("nothing matches")
    with qtbot.assertNotEmitted(panel.chosen):
        key(panel, Qt.Key.Key_Enter)
    assert panel.choose_selected() is False


def test_language_change_retranslates(panel: DockedPanel) -> None:
    panel.setWindowTitle("x")
    QCoreApplication.sendEvent(panel, QEvent(QEvent.Type.LanguageChange))
    assert panel.windowTitle() == "Huashu panel"


def test_docking_gives_the_focus_back_if_it_moved(
    qtbot: QtBot, panel: DockedPanel, windows: FakeWindowInfo
) -> None:
    panel.dock(CHAT)
    windows.add(TargetWindow(0x55, "python.exe", "", "helper"))
    windows.focus = 0x55  # e.g. a hidden helper window of ours took the foreground
    qtbot.waitUntil(lambda: windows.activations == [CHAT.id], timeout=2000)
    assert windows.focus == CHAT.id


def test_docking_leaves_the_focus_alone_when_it_stayed(
    qtbot: QtBot, panel: DockedPanel, windows: FakeWindowInfo
) -> None:
    panel.dock(CHAT)
    qtbot.wait(400)
    assert windows.activations == []
    panel.undock()
    panel._keep_target_focused()  # undocked: nothing to do
    assert windows.activations == []

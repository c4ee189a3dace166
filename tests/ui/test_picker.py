"""The quick picker popup: search as you type, keyboard selection, choose and dismiss."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QImage, QInputMethodEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui.picker import WINDOW_WIDTH, PickerItem, PickerWindow
from app.ui.picker_rows import MAX_VISIBLE_ROWS, PlaceholderRole, WarningRole

# The offscreen platform cannot raise windows or propagate size hints; Qt warns about it.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

ITEMS = [
    PickerItem("p-welcome", "标准欢迎语", "欢迎语", "hy1", "您好,欢迎光临!"),
    PickerItem("p-pay", "催付提醒", "催付", "cf", "亲,您拍下的宝贝还没有付款哦"),
    PickerItem("p-pay2", "催付优惠", "催付", "cf2", "亲,现在付款还可以享受满减"),
    PickerItem("p-cheap", "最低价", "议价", "yj", "全网最低价", warning="absolute claim: 最低价"),
    PickerItem("p-ship", "物流查询", "物流", "wl", "您的包裹已经在路上了\n请耐心等待"),
]


class FakeSearch:
    """Records queries; matches the query as a substring of code or title."""

    def __init__(self, items: list[PickerItem]) -> None:
        self.items = items
        self.calls: list[tuple[str, int]] = []

    def __call__(self, query: str, limit: int) -> list[PickerItem]:
        self.calls.append((query, limit))
        q = query.lower()
        return [i for i in self.items if q in i.code.lower() or q in i.title][:limit]


@pytest.fixture
def search() -> FakeSearch:
    return FakeSearch(list(ITEMS))


@pytest.fixture
def picker(qtbot: QtBot, search: FakeSearch) -> PickerWindow:
    window = PickerWindow(search)
    qtbot.addWidget(window)
    window.popup()
    return window


def ids(window: PickerWindow) -> list[str]:
    return [i.phrase_id for i in window.model.items()]


def test_popup_runs_the_empty_query_and_selects_the_first_row(
    picker: PickerWindow, search: FakeSearch
) -> None:
    assert picker.isVisible()
    assert search.calls[-1][0] == ""
    assert ids(picker) == [i.phrase_id for i in ITEMS]
    assert picker.current_row() == 0
    assert picker.width() == WINDOW_WIDTH


def test_popup_clears_the_previous_query(
    qtbot: QtBot, picker: PickerWindow, search: FakeSearch
) -> None:
    qtbot.keyClicks(picker.search_box, "cf")
    picker.hide()
    picker.popup()
    assert picker.search_box.text() == ""
    assert search.calls[-1][0] == ""
    assert len(ids(picker)) == len(ITEMS)


def test_typing_searches_on_every_keystroke(
    qtbot: QtBot, picker: PickerWindow, search: FakeSearch
) -> None:
    search.calls.clear()
    qtbot.keyClicks(picker.search_box, "cf")
    assert [q for q, _ in search.calls] == ["c", "cf"]
    assert all(limit > MAX_VISIBLE_ROWS for _, limit in search.calls)
    assert ids(picker) == ["p-pay", "p-pay2"]
    assert picker.current_row() == 0


def test_chinese_input_method_commit_searches(picker: PickerWindow, search: FakeSearch) -> None:
    event = QInputMethodEvent()
    event.setCommitString("催付")
    QApplication.sendEvent(picker.search_box, event)
    assert picker.search_box.text() == "催付"
    assert search.calls[-1][0] == "催付"
    assert ids(picker) == ["p-pay", "p-pay2"]


def test_down_down_enter_chooses_the_third_after_hiding(qtbot: QtBot, picker: PickerWindow) -> None:
    visible_when_emitted: list[bool] = []
    picker.chosen.connect(lambda _pid: visible_when_emitted.append(picker.isVisible()))
    qtbot.keyClick(picker.search_box, Qt.Key.Key_Down)
    qtbot.keyClick(picker.search_box, Qt.Key.Key_Down)
    with qtbot.waitSignal(picker.chosen, timeout=1000) as blocker:
        qtbot.keyClick(picker.search_box, Qt.Key.Key_Return)
    assert blocker.args == ["p-pay2"]
    assert visible_when_emitted == [False]
    assert not picker.isVisible()


def test_up_wraps_and_ctrl_n_ctrl_p_move(qtbot: QtBot, picker: PickerWindow) -> None:
    qtbot.keyClick(picker.search_box, Qt.Key.Key_Up)
    assert picker.current_row() == len(ITEMS) - 1
    qtbot.keyClick(picker.search_box, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert picker.current_row() == 0
    qtbot.keyClick(picker.search_box, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(picker.search_box, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(picker.search_box, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert picker.current_row() == 1
    # focus stays in the search box: typing still edits the query
    assert picker.search_box.text() == ""


def test_page_keys_clamp(qtbot: QtBot, search: FakeSearch) -> None:
    search.items = [PickerItem(f"id{n}", f"title {n}", "cat", f"c{n}", "body") for n in range(30)]
    window = PickerWindow(search)
    qtbot.addWidget(window)
    window.popup()
    qtbot.keyClick(window.search_box, Qt.Key.Key_PageDown)
    assert window.current_row() == MAX_VISIBLE_ROWS
    for _ in range(5):
        qtbot.keyClick(window.search_box, Qt.Key.Key_PageDown)
    assert window.current_row() == 29
    qtbot.keyClick(window.search_box, Qt.Key.Key_PageUp)
    assert window.current_row() == 29 - MAX_VISIBLE_ROWS
    # the list never grows beyond nine rows; it scrolls instead
    rows = window.list_view.height() // window.list_view.sizeHintForRow(0)
    assert rows == MAX_VISIBLE_ROWS


def test_alt_number_counts_from_the_top_visible_row(qtbot: QtBot, search: FakeSearch) -> None:
    search.items = [PickerItem(f"id{n}", f"title {n}", "cat", f"c{n}", "") for n in range(30)]
    window = PickerWindow(search)
    qtbot.addWidget(window)
    window.popup()
    assert window.first_visible_row() == 0
    for _ in range(12):
        qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    assert window.current_row() == 12
    top = window.first_visible_row()
    assert 12 - MAX_VISIBLE_ROWS < top <= 12
    with qtbot.waitSignal(window.chosen, timeout=1000) as blocker:
        qtbot.keyClick(window.search_box, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert blocker.args == [f"id{top + 1}"]


def test_alt_3_chooses_the_third_result(qtbot: QtBot, picker: PickerWindow) -> None:
    with qtbot.waitSignal(picker.chosen, timeout=1000) as blocker:
        qtbot.keyClick(picker.search_box, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert blocker.args == [ITEMS[2].phrase_id]
    assert picker.search_box.text() == ""


def test_alt_number_beyond_the_results_does_nothing(qtbot: QtBot, picker: PickerWindow) -> None:
    with qtbot.assertNotEmitted(picker.chosen), qtbot.assertNotEmitted(picker.dismissed):
        qtbot.keyClick(picker.search_box, Qt.Key.Key_9, Qt.KeyboardModifier.AltModifier)
    assert picker.isVisible()


def test_escape_dismisses(qtbot: QtBot, picker: PickerWindow) -> None:
    with (
        qtbot.assertNotEmitted(picker.chosen),
        qtbot.waitSignal(picker.dismissed, timeout=1000),
    ):
        qtbot.keyClick(picker.search_box, Qt.Key.Key_Escape)
    assert not picker.isVisible()


def test_losing_activation_dismisses_once(qtbot: QtBot, picker: PickerWindow) -> None:
    seen: list[None] = []
    picker.dismissed.connect(lambda: seen.append(None))
    QApplication.sendEvent(picker, QEvent(QEvent.Type.WindowDeactivate))
    QApplication.sendEvent(picker, QEvent(QEvent.Type.WindowDeactivate))
    assert seen == [None]
    assert not picker.isVisible()


def test_click_on_a_row_chooses_it(qtbot: QtBot, picker: PickerWindow) -> None:
    view = picker.list_view
    rect = view.visualRect(picker.model.index(1, 0))
    with qtbot.waitSignal(picker.chosen, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["p-pay"]


def test_no_matches_placeholder_row(qtbot: QtBot, picker: PickerWindow) -> None:
    qtbot.keyClicks(picker.search_box, "zzz")
    model = picker.model
    assert model.result_count() == 0
    assert model.rowCount() == 1
    index = model.index(0, 0)
    assert index.data() == "No matches"
    assert index.data(PlaceholderRole) is True
    assert not model.flags(index) & Qt.ItemFlag.ItemIsSelectable
    with qtbot.assertNotEmitted(picker.chosen):
        qtbot.keyClick(picker.search_box, Qt.Key.Key_Return)
        qtbot.keyClick(picker.search_box, Qt.Key.Key_Down)
    assert picker.current_row() == -1
    assert picker.isVisible()


def test_warning_is_in_the_model_and_tooltip(picker: PickerWindow) -> None:
    model = picker.model
    cheap = model.index(3, 0)
    assert cheap.data(WarningRole) == "absolute claim: 最低价"
    assert "absolute claim: 最低价" in cheap.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, 0).data(WarningRole) == ""
    assert model.index(0, 0).data(PlaceholderRole) is False


def test_search_failure_is_logged_not_raised(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(query: str, limit: int) -> list[PickerItem]:
        raise RuntimeError("index not ready")

    window = PickerWindow(broken)
    qtbot.addWidget(window)
    window.popup()
    assert window.model.result_count() == 0
    assert "picker search failed" in caplog.text


def test_height_follows_the_number_of_rows(qtbot: QtBot, picker: PickerWindow) -> None:
    full = picker.height()
    qtbot.keyClicks(picker.search_box, "cf")
    two = picker.height()
    qtbot.keyClicks(picker.search_box, "2")
    one = picker.height()
    assert full > two > one
    row = picker.list_view.sizeHintForRow(0)
    assert full - two == 3 * row
    assert two - one == row


def test_rows_are_painted(qtbot: QtBot, picker: PickerWindow) -> None:
    """The delegate draws something in each row (badge, text) and nothing below them."""
    image: QImage = picker.list_view.viewport().grab().toImage()
    row_h = picker.list_view.sizeHintForRow(0)
    white = QColor("#ffffff").rgb()

    def non_white(y0: int, y1: int) -> int:
        return sum(
            1
            for y in range(y0, min(y1, image.height()))
            for x in range(0, image.width(), 2)
            if image.pixel(QPoint(x, y)) != white
        )

    for row in range(len(ITEMS)):
        assert non_white(row * row_h, (row + 1) * row_h) > 50, f"row {row} looks empty"


def test_popup_asks_the_platform_to_take_the_keyboard(qtbot: QtBot, search: FakeSearch) -> None:
    asked: list[int] = []
    window = PickerWindow(search, bring_to_front=asked.append)
    qtbot.addWidget(window)
    window.popup()
    assert asked == [int(window.winId())]
    assert window.isVisible()


def test_popup_with_a_query_types_it_in_one_line(qtbot: QtBot, search: FakeSearch) -> None:
    window = PickerWindow(search)
    qtbot.addWidget(window)
    window.popup("催付\n提醒  ")
    assert window.search_box.text() == "催付 提醒"
    assert window.query() == "催付 提醒"
    assert search.calls[-1] == ("催付 提醒", 50)
    window.popup()
    assert window.search_box.text() == "" and window.query() == ""


def test_empty_text_says_why_nothing_is_listed(qtbot: QtBot, search: FakeSearch) -> None:
    asked: list[str] = []

    def empty_text(query: str) -> str:
        asked.append(query)
        return "Nothing fits this message" if len(query) > 3 else ""

    window = PickerWindow(search, empty_text=empty_text)
    qtbot.addWidget(window)
    window.popup("什么时候发货啊")
    assert window.model.index(0, 0).data() == "Nothing fits this message"
    assert asked == ["什么时候发货啊"]
    window.popup("zz")
    assert window.model.index(0, 0).data() == "No matches"  # "" keeps the default
    window.popup("cf")
    assert asked == ["什么时候发货啊", "zz"]  # not asked when there are results
    window.popup()
    assert window.model.index(0, 0).data(PlaceholderRole) is False


def test_why_is_in_the_tooltip(qtbot: QtBot) -> None:
    items = [
        PickerItem("a", "发货时间", "物流", "wl1", "48小时内发货", why="example “几天发货”"),
        PickerItem("b", "无预览", "物流", "", "", why="title “无预览”"),
        PickerItem("c", "警告", "物流", "", "", warning="w", why="body: 发货"),
    ]
    window = PickerWindow(FakeSearch(items))
    qtbot.addWidget(window)
    window.popup()
    tips = [window.model.index(r, 0).data(Qt.ItemDataRole.ToolTipRole) for r in range(3)]
    assert tips[0] == "Suggested: example “几天发货”\n\n48小时内发货"
    assert tips[1] == "Suggested: title “无预览”"
    assert tips[2] == "Warning: w\n\nSuggested: body: 发货"

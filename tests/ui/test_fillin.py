"""The fill-in form: fields, recent values, keyboard flow, live preview, remember()."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from app.core.template import Field
from app.ui.fillin import FillInDialog, remember

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

FIELDS = [
    Field("customer", "customer", "顾客"),
    Field("product", "product", "商品"),
    Field("input:订单号", "input", "订单号"),
    Field("choice:快递", "choice", "快递", ("顺丰", "中通", "圆通")),
]
RECENT = {"customer": ["张三", "李四"], "product": ["手环", "充电宝"]}


class Preview:
    def __init__(self) -> None:
        self.calls: list[dict[str, str]] = []

    def __call__(self, values: dict[str, str]) -> str:
        self.calls.append(dict(values))
        return f"{values.get('customer', '')}亲,您的{values.get('product', '')}已发出"


@pytest.fixture
def preview() -> Preview:
    return Preview()


@pytest.fixture
def dialog(qtbot: QtBot, preview: Preview) -> Iterator[FillInDialog]:
    dlg = FillInDialog("物流通知", FIELDS, preview, RECENT)
    qtbot.addWidget(dlg)
    dlg.open()
    qtbot.waitExposed(dlg)
    yield dlg


def line_edit(combo: QComboBox) -> QLineEdit:
    edit = combo.lineEdit()
    assert edit is not None
    return edit


def focused_editor(dialog: FillInDialog) -> QWidget | None:
    """The field editor (combo box) that holds the keyboard focus."""
    widget = QApplication.focusWidget()
    for combo in dialog.editors():
        if widget is combo or widget is combo.lineEdit():
            return combo
    return None


def test_first_field_is_focused_and_tab_moves_through_the_fields(
    qtbot: QtBot, dialog: FillInDialog
) -> None:
    editors = dialog.editors()
    assert len(editors) == len(FIELDS)
    assert focused_editor(dialog) is editors[0]
    for expected in [*editors[1:], editors[0]]:
        widget = QApplication.focusWidget()
        assert widget is not None
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        assert focused_editor(dialog) is expected


def test_recent_values_are_offered_most_recent_first(dialog: FillInDialog) -> None:
    customer = dialog.editor("customer")
    product = dialog.editor("product")
    assert [customer.itemText(i) for i in range(customer.count())] == ["张三", "李四"]
    assert customer.currentText() == ""  # a new customer must be typed
    assert [product.itemText(i) for i in range(product.count())] == ["手环", "充电宝"]
    assert product.currentText() == "手环"
    assert dialog.editor("input:订单号").count() == 0
    assert dialog.values() == {
        "customer": "",
        "product": "手环",
        "input:订单号": "",
        "choice:快递": "顺丰",
    }


def test_choice_is_restricted_to_its_options(dialog: FillInDialog) -> None:
    choice = dialog.editor("choice:快递")
    assert not choice.isEditable()
    assert [choice.itemText(i) for i in range(choice.count())] == ["顺丰", "中通", "圆通"]
    choice.setCurrentIndex(2)
    assert dialog.values()["choice:快递"] == "圆通"


def test_typing_updates_the_preview(qtbot: QtBot, dialog: FillInDialog, preview: Preview) -> None:
    assert dialog.preview_text() == "亲,您的手环已发出"
    qtbot.keyClicks(line_edit(dialog.editor("customer")), "Amy")
    assert dialog.preview_text() == "Amy亲,您的手环已发出"
    assert preview.calls[-1]["customer"] == "Amy"


def test_chinese_input_through_the_input_method(dialog: FillInDialog) -> None:
    event = QInputMethodEvent()
    event.setCommitString("王小明")
    QApplication.sendEvent(line_edit(dialog.editor("customer")), event)
    assert dialog.values()["customer"] == "王小明"
    assert dialog.preview_text().startswith("王小明亲")


def test_enter_submits_the_values(qtbot: QtBot, dialog: FillInDialog) -> None:
    qtbot.keyClicks(line_edit(dialog.editor("customer")), "  Amy ")
    qtbot.keyClicks(line_edit(dialog.editor("input:订单号")), "A123")
    dialog.editor("choice:快递").setCurrentIndex(1)
    with qtbot.waitSignal(dialog.submitted, timeout=1000) as blocker:
        qtbot.keyClick(line_edit(dialog.editor("customer")), Qt.Key.Key_Return)
    assert blocker.args == [
        {"customer": "Amy", "product": "手环", "input:订单号": "A123", "choice:快递": "中通"}
    ]
    assert dialog.result() == FillInDialog.DialogCode.Accepted
    assert not dialog.isVisible()


def test_enter_on_the_choice_field_submits(qtbot: QtBot, dialog: FillInDialog) -> None:
    with qtbot.waitSignal(dialog.submitted, timeout=1000):
        qtbot.keyClick(dialog.editor("choice:快递"), Qt.Key.Key_Enter)


def test_escape_cancels(qtbot: QtBot, dialog: FillInDialog) -> None:
    with qtbot.assertNotEmitted(dialog.submitted), qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(line_edit(dialog.editor("customer")), Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_preview_failure_does_not_break_the_form(qtbot: QtBot) -> None:
    def broken(values: dict[str, str]) -> str:
        raise ValueError("bad template")

    dlg = FillInDialog("x", [Field("customer", "customer", "顾客")], broken)
    qtbot.addWidget(dlg)
    assert dlg.preview_text() == ""
    assert dlg.values() == {"customer": ""}


def test_remember_puts_the_latest_first_without_duplicates() -> None:
    recent = {"customer": ["李四", "张三"], "product": ["手环"]}
    out = remember(recent, {"customer": "张三", "product": " ", "input:备注": "加急"}, limit=10)
    assert out == {"customer": ["张三", "李四"], "product": ["手环"], "input:备注": ["加急"]}
    assert recent == {"customer": ["李四", "张三"], "product": ["手环"]}  # not mutated


def test_remember_limit() -> None:
    out = remember({"customer": [str(n) for n in range(10)]}, {"customer": "new"}, limit=3)
    assert out["customer"] == ["new", "0", "1"]


@given(
    history=st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), max_size=30),
    limit=st.integers(min_value=1, max_value=5),
)
def test_remember_properties(history: list[str], limit: int) -> None:
    recent: dict[str, list[str]] = {}
    for value in history:
        recent = remember(recent, {"k": value}, limit=limit)
    got = recent.get("k", [])
    assert len(got) == len(set(got)) <= limit
    expected: list[str] = []
    for value in reversed(history):
        if value not in expected:
            expected.append(value)
    assert got == expected[:limit]


def test_shown_form_asks_the_platform_to_take_the_keyboard(qtbot: QtBot, preview: Preview) -> None:
    asked: list[int] = []
    dlg = FillInDialog("物流通知", FIELDS, preview, RECENT, bring_to_front=asked.append)
    qtbot.addWidget(dlg)
    dlg.open()
    assert asked == []  # not before the native window is on screen
    qtbot.waitUntil(lambda: asked == [int(dlg.winId())], timeout=2000)


def test_form_hidden_before_it_took_the_keyboard_does_not_ask(
    qtbot: QtBot, preview: Preview
) -> None:
    asked: list[int] = []
    dlg = FillInDialog("物流通知", FIELDS, preview, RECENT, bring_to_front=asked.append)
    qtbot.addWidget(dlg)
    dlg.open()
    dlg.reject()
    qtbot.wait(50)
    assert asked == []


def test_form_activates_itself_only_after_it_is_on_screen(
    qtbot: QtBot, preview: Preview, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Activating inside showEvent hands the focus to a window not yet mapped: under Wine
    # the keys then stayed with the chat window.
    dlg = FillInDialog("物流通知", FIELDS, preview, RECENT)
    qtbot.addWidget(dlg)
    activated: list[bool] = []
    monkeypatch.setattr(dlg, "activateWindow", lambda: activated.append(dlg.isVisible()))
    dlg.open()
    assert activated == []
    qtbot.waitUntil(lambda: activated == [True], timeout=2000)

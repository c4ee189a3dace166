"""FlowLayout: one row when wide, wrapping rows when narrow, minimum = widest item."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.ui.flow import FlowLayout, flow_row

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


class Box(QWidget):
    def __init__(self, w: int, h: int) -> None:
        super().__init__()
        self._size = QSize(w, h)

    def sizeHint(self) -> QSize:
        return self._size

    def minimumSizeHint(self) -> QSize:
        return self._size


@pytest.fixture
def host(qtbot: QtBot) -> tuple[QWidget, FlowLayout, list[Box]]:
    widget = QWidget()
    qtbot.addWidget(widget)
    boxes = [Box(50, 20), Box(80, 30), Box(60, 20)]
    flow = flow_row(*boxes)
    flow.setSpacing(4)
    widget.setLayout(flow)
    return widget, flow, boxes


def test_sizes(host: tuple[QWidget, FlowLayout, list[Box]]) -> None:
    _widget, flow, _boxes = host
    assert flow.count() == 3
    assert flow.sizeHint() == QSize(50 + 80 + 60 + 2 * 4, 30)  # all on one row
    assert flow.minimumSize() == QSize(80, 30)  # the widest item; the rest wraps
    assert flow.hasHeightForWidth()
    assert flow.heightForWidth(198) == 30  # exactly one row
    assert flow.heightForWidth(197) == 30 + 4 + 20  # the last one wraps
    assert flow.heightForWidth(80) == 20 + 4 + 30 + 4 + 20  # one per row
    assert flow.heightForWidth(30) == 20 + 4 + 30 + 4 + 20  # too narrow: still no top gap
    flow.setContentsMargins(1, 2, 3, 5)
    assert flow.minimumSize() == QSize(84, 37)
    assert flow.sizeHint() == QSize(202, 37)
    assert flow.heightForWidth(202) == 37


def test_geometry_places_rows(host: tuple[QWidget, FlowLayout, list[Box]]) -> None:
    _widget, flow, boxes = host
    flow.setGeometry(QRect(10, 5, 140, 200))
    assert [b.geometry() for b in boxes] == [
        QRect(10, 5, 50, 20),
        QRect(64, 5, 80, 30),
        QRect(10, 39, 60, 20),  # below the tallest item of the first row
    ]


def test_hidden_items_take_no_room(host: tuple[QWidget, FlowLayout, list[Box]]) -> None:
    widget, flow, boxes = host
    widget.show()
    boxes[1].hide()
    assert flow.sizeHint() == QSize(50 + 60 + 4, 20)
    assert flow.minimumSize() == QSize(60, 20)
    assert flow.heightForWidth(114) == 20


def test_item_list(qtbot: QtBot) -> None:
    flow = FlowLayout()
    assert flow.itemAt(0) is None and flow.takeAt(0) is None
    assert flow.heightForWidth(100) == 0 and flow.sizeHint() == QSize(0, 0)
    assert flow.spacing() == 6  # no parent widget to ask the style
    button = QPushButton("x")
    qtbot.addWidget(button)
    flow.addWidget(button)
    assert flow.itemAt(0) is not None and flow.itemAt(0).widget() is button  # type: ignore[union-attr]
    assert flow.itemAt(1) is None and flow.itemAt(-1) is None
    assert flow.takeAt(-1) is None
    item = flow.takeAt(0)
    assert item is not None and item.widget() is button and flow.count() == 0
    assert int(flow.expandingDirections().value) == 0


def test_spacing_follows_the_style(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    flow = FlowLayout(widget)
    from PySide6.QtWidgets import QStyle

    expected = widget.style().pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing)
    assert flow.spacing() == max(0, expected)
    flow.setSpacing(0)
    assert flow.spacing() == 0

"""The picker's result rows: the list model and the delegate that paints a row.

:class:`PickerModel` holds the :class:`~app.services.results.PickerItem` results (or one
placeholder row such as "No matches"); :class:`PickerDelegate` paints each row with its
number badge, title, code pill, category, one-line preview and lint warning mark. The
window around them is :class:`app.ui.picker.PickerWindow`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.services.results import PickerItem
from app.ui.icons import draw_warning_mark

ItemRole = Qt.ItemDataRole.UserRole + 1
"""Model role: the :class:`PickerItem` of a row (None for the placeholder row)."""
WarningRole = Qt.ItemDataRole.UserRole + 2
"""Model role: the lint warning text of a row ("" when none)."""
PlaceholderRole = Qt.ItemDataRole.UserRole + 3
"""Model role: True on the 'No matches' placeholder row."""

MAX_VISIBLE_ROWS = 9
"""Rows the picker shows without scrolling; the delegate numbers them 1-9 (Alt+n)."""

_ACCENT = QColor("#e8531f")
_SELECTED_BG = QColor("#fff0e9")
_HOVER_BG = QColor("#f5f5f5")
_TEXT = QColor("#1f1f1f")
_SECONDARY = QColor("#7a7a7a")
_BADGE_BG = QColor("#ededed")
_CODE_BG = QColor("#eef2f7")
_CODE_TEXT = QColor("#3d5a80")

_WS = re.compile(r"\s+")


class PickerModel(QAbstractListModel):
    """The results list. With no results it has one non-selectable placeholder row."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[PickerItem] = []
        self._placeholder = ""

    def set_items(self, items: Sequence[PickerItem], placeholder: str = "") -> None:
        self.beginResetModel()
        self._items = list(items)
        self._placeholder = placeholder
        self.endResetModel()

    def items(self) -> list[PickerItem]:
        return list(self._items)

    def result_count(self) -> int:
        return len(self._items)

    def item(self, row: int) -> PickerItem | None:
        if 0 <= row < len(self._items):
            return self._items[row]
        return None

    def placeholder(self) -> str:
        return "" if self._items else self._placeholder

    # -- QAbstractListModel ----------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        if self._items:
            return len(self._items)
        return 1 if self._placeholder else 0

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if not index.isValid():
            return None
        item = self.item(index.row())
        if item is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return self._placeholder
            if role == PlaceholderRole:
                return True
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return item.title
        if role == ItemRole:
            return item
        if role == WarningRole:
            return item.warning
        if role == PlaceholderRole:
            return False
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = item.preview
            if item.why:
                why = self.tr("Suggested: %1").replace("%1", item.why)
                tip = f"{why}\n\n{tip}" if tip else why
            if item.warning:
                prefix = self.tr("Warning: %1").replace("%1", item.warning)
                tip = f"{prefix}\n\n{tip}" if tip else prefix
            return tip or None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.item(index.row()) is None:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class PickerDelegate(QStyledItemDelegate):
    """Paints a result row: number badge, title, code pill, category, preview, warning."""

    PAD_X = 10
    PAD_Y = 7
    LINE_GAP = 3
    BADGE = 20

    def __init__(
        self,
        base_font: QFont,
        first_visible_row: Callable[[], int] = lambda: 0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._first_visible_row = first_visible_row
        self.title_font = QFont(base_font)
        self.title_font.setPixelSize(14)
        self.title_font.setBold(True)
        self.small_font = QFont(base_font)
        self.small_font.setPixelSize(12)
        self.badge_font = QFont(base_font)
        self.badge_font.setPixelSize(11)
        self.badge_font.setBold(True)
        self._fm_title = QFontMetrics(self.title_font)
        self._fm_small = QFontMetrics(self.small_font)
        self.row_height = (
            2 * self.PAD_Y + self._fm_title.height() + self.LINE_GAP + self._fm_small.height()
        )

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(max(option.rect.width(), 100), self.row_height)  # type: ignore[attr-defined]

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        rect: QRect = option.rect  # type: ignore[attr-defined]
        state = option.state  # type: ignore[attr-defined]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        item = index.data(ItemRole)
        if not isinstance(item, PickerItem):
            painter.setFont(self.small_font)
            painter.setPen(_SECONDARY)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(index.data() or ""))
            painter.restore()
            return

        selected = bool(state & QStyle.StateFlag.State_Selected)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        if selected or hovered:
            path = QPainterPath()
            path.addRoundedRect(QRectF(rect.adjusted(2, 1, -2, -1)), 6, 6)
            painter.fillPath(path, _SELECTED_BG if selected else _HOVER_BG)

        left = rect.left() + self.PAD_X
        right = rect.right() - self.PAD_X
        title_top = rect.top() + self.PAD_Y
        title_h = self._fm_title.height()
        small_h = self._fm_small.height()
        preview_top = title_top + title_h + self.LINE_GAP

        # number badge (1-9 from the top visible row: Alt+n), vertically centred in the row
        number = index.row() - self._first_visible_row() + 1
        badge = QRectF(left, rect.center().y() - self.BADGE / 2 + 1, self.BADGE, self.BADGE)
        if 1 <= number <= MAX_VISIBLE_ROWS:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_ACCENT if selected else _BADGE_BG)
            painter.drawRoundedRect(badge, 5, 5)
            painter.setFont(self.badge_font)
            painter.setPen(QColor("#ffffff") if selected else _SECONDARY)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(number))
        text_left = left + self.BADGE + 10

        # right side of the title line: warning mark, then category
        if item.warning:
            mark = 16
            mark_rect = QRectF(right - mark, title_top + (title_h - mark) / 2, mark, mark)
            draw_warning_mark(painter, mark_rect)
            right -= mark + 8
        if item.category:
            cat = self._fm_small.elidedText(item.category, Qt.TextElideMode.ElideRight, 150)
            cat_w = self._fm_small.horizontalAdvance(cat)
            painter.setFont(self.small_font)
            painter.setPen(_SECONDARY)
            painter.drawText(
                QRect(right - cat_w, title_top, cat_w + 1, title_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                cat,
            )
            right -= cat_w + 12

        # title, then the code pill right after it
        code_w = self._fm_small.horizontalAdvance(item.code) + 12 if item.code else 0
        title_space = max(0, right - text_left - (code_w + 8 if code_w else 0))
        title = self._fm_title.elidedText(item.title, Qt.TextElideMode.ElideRight, title_space)
        title_w = self._fm_title.horizontalAdvance(title)
        painter.setFont(self.title_font)
        painter.setPen(_TEXT)
        painter.drawText(
            QRect(text_left, title_top, title_w + 2, title_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title,
        )
        if code_w:
            pill_h = small_h + 2
            pill = QRectF(
                text_left + title_w + 8, title_top + (title_h - pill_h) / 2, code_w, pill_h
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_CODE_BG)
            painter.drawRoundedRect(pill, 4, 4)
            painter.setFont(self.small_font)
            painter.setPen(_CODE_TEXT)
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, item.code)

        # one-line preview
        preview = _WS.sub(" ", item.preview).strip()
        preview = self._fm_small.elidedText(
            preview, Qt.TextElideMode.ElideRight, rect.right() - self.PAD_X - text_left
        )
        painter.setFont(self.small_font)
        painter.setPen(_SECONDARY)
        painter.drawText(
            QRect(text_left, preview_top, rect.right() - self.PAD_X - text_left, small_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            preview,
        )
        painter.restore()

"""The two list panes of the phrases page, laid out: categories and the phrase table.

Widgets, layout and view settings only. :class:`~app.ui.settings.phrases_page.PhrasesPage`
gives them their (translated) texts and connects them to what they do.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QStyle,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.flow import flow_row
from app.ui.settings.category_tree import CategoryTree
from app.ui.settings.phrase_model import (
    COL_CATEGORY,
    COL_CODE,
    COL_HOTKEY,
    COL_TITLE,
    COL_UPDATED,
    COL_USES,
    PhraseTableModel,
)

# The phrase list keeps room for this many CJK characters of each title.
TITLE_MIN_CHARS = 8


class FilterEdit(QLineEdit):
    """Down / Enter move the focus to the list."""

    to_list = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.to_list.emit()
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class CategoryPane(QWidget):
    """The category tree with its label and its add / add sub / rename / delete buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = CategoryTree()
        self.add_button = QToolButton()
        self.add_sub_button = QToolButton()
        self.rename_button = QToolButton()
        self.delete_button = QToolButton()
        buttons = (self.add_button, self.add_sub_button, self.rename_button, self.delete_button)
        for b in buttons:
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # The buttons wrap onto a second row when the pane is narrow (wide fonts, a
        # 1280 px screen) instead of widening the window past the screen.
        cat_buttons = flow_row(*buttons)
        # A narrow pane still shows a category name of a few characters and its count.
        self.tree.setMinimumWidth(self.tree.fontMetrics().horizontalAdvance("标" * 6) + 48)
        self.label = QLabel()
        self.label.setBuddy(self.tree)
        lv = QVBoxLayout(self)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.label)
        lv.addWidget(self.tree, 1)
        lv.addLayout(cat_buttons)


class PhraseListPane(QWidget):
    """The filter box, the phrase table over ``model``, its buttons and the phrase count."""

    def __init__(self, model: PhraseTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter_edit = FilterEdit()
        self.filter_edit.setClearButtonEnabled(True)
        # A QTableView, not a QTreeView: the tree lays out every row after a model reset
        # (calling flags() in Python 10,000 times); the table only touches visible rows.
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        vheader = self.table.verticalHeader()
        vheader.hide()
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorClearable(True)
        self.table.setSortingEnabled(True)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        for col, width in (
            (COL_CODE, 56),
            (COL_HOTKEY, 92),
            (COL_CATEGORY, 120),
            (COL_UPDATED, 86),
        ):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        # The uses column fits its (translated) header, e.g. 使用次数.
        header.setSectionResizeMode(COL_USES, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionHidden(COL_UPDATED, True)  # available, but the list stays narrow
        # The title is the column that matters: never let the fixed columns squeeze it to
        # "…" (it did at the default window size in Chinese, 使用次数 being wide).
        title_min = self.table.fontMetrics().horizontalAdvance("标" * TITLE_MIN_CHARS) + 12
        fixed = sum(
            header.sectionSize(c)
            for c in (COL_CODE, COL_HOTKEY, COL_CATEGORY, COL_USES)
            if not header.isSectionHidden(c)
        )
        scrollbar = self.table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.table.setMinimumWidth(fixed + title_min + scrollbar + 2 * self.table.frameWidth())
        self.count_label = QLabel()

        self.new_button = QToolButton()
        self.duplicate_button = QToolButton()
        self.move_button = QToolButton()
        self.move_menu = QMenu(self)
        self.move_button.setMenu(self.move_menu)
        self.move_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.delete_button = QToolButton()
        list_buttons = QHBoxLayout()
        list_buttons.setContentsMargins(0, 0, 0, 0)
        list_buttons.addLayout(
            flow_row(self.new_button, self.duplicate_button, self.move_button, self.delete_button),
            1,
        )
        list_buttons.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignTop)

        mv = QVBoxLayout(self)
        mv.setContentsMargins(0, 0, 0, 0)
        mv.addWidget(self.filter_edit)
        mv.addWidget(self.table, 1)
        mv.addLayout(list_buttons)

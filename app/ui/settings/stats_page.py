"""The statistics page: most / least / never used phrases and uses per category.

Uses per category over the last N days come from ``ws.usage.per_day`` and are drawn as a
horizontal bar chart with QPainter (:class:`BarChart`). Double-clicking a phrase opens it
on the phrases page (:attr:`StatsPage.phrase_activated`).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, QStringListModel, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.workspace import Workspace
from app.ui.language import Retranslating
from app.ui.settings.commands import Outcome

PERIODS = (7, 30, 90)
TOP_N = 10
ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1


class BarChart(QWidget):
    """Horizontal bars: one row per (label, value), longest bar = largest value."""

    BAR_COLOR = QColor("#1e88e5")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data: list[tuple[str, int]] = []
        self._empty_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_data(self, data: Sequence[tuple[str, int]]) -> None:
        self._data = list(data)
        self.updateGeometry()
        self.update()

    def data(self) -> list[tuple[str, int]]:
        return list(self._data)

    def set_empty_text(self, text: str) -> None:
        self._empty_text = text
        self.update()

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 8

    def sizeHint(self) -> QSize:
        rows = max(len(self._data), 2)
        return QSize(420, rows * self._row_height() + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 2 * self._row_height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        painter.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        fm = QFontMetrics(self.font())
        text_color = pal.color(QPalette.ColorRole.Text)
        if not self._data:
            painter.setPen(pal.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._empty_text)
            painter.end()
            return
        row_h = self._row_height()
        margin = 6
        label_w = min(
            max(fm.horizontalAdvance(label) for label, _v in self._data) + 12,
            self.width() // 3,
        )
        max_value = max(v for _l, v in self._data) or 1
        value_w = fm.horizontalAdvance(str(max_value)) + 10
        bar_space = max(self.width() - label_w - value_w - 2 * margin, 10)
        for i, (label, value) in enumerate(self._data):
            top = margin + i * row_h
            painter.setPen(text_color)
            label_rect = QRectF(margin, top, label_w - 8, row_h)
            shown = fm.elidedText(label, Qt.TextElideMode.ElideRight, int(label_rect.width()))
            painter.drawText(
                label_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), shown
            )
            bar_w = bar_space * value / max_value
            bar = QRectF(margin + label_w, top + 3, max(bar_w, 1.0 if value else 0.0), row_h - 6)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.BAR_COLOR)
            painter.drawRoundedRect(bar, 2, 2)
            painter.setPen(text_color)
            painter.drawText(
                QRectF(bar.right() + 4, top, value_w, row_h),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                str(value),
            )
        painter.end()


class StatsPage(Retranslating, QWidget):
    phrase_activated = Signal(str)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self._build()
        self.retranslate()

    def _build(self) -> None:
        self.period_label = QLabel()
        self.period_combo = QComboBox()
        self.period_label.setBuddy(self.period_combo)
        self.total_label = QLabel()
        self.chart_title = QLabel()
        self.chart = BarChart()
        self.most_title = QLabel()
        self.least_title = QLabel()
        self.never_title = QLabel()
        self.most_list = _count_tree()
        self.least_list = _count_tree()
        self.never_model = QStringListModel(self)
        self.never_list = QListView()
        self.never_list.setModel(self.never_model)
        self.never_list.setUniformItemSizes(True)
        self.never_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._never_ids: list[str] = []
        for title, view in (
            (self.most_title, self.most_list),
            (self.least_title, self.least_list),
            (self.never_title, self.never_list),
        ):
            title.setBuddy(view)
            f = title.font()
            f.setBold(True)
            title.setFont(f)
        f = self.chart_title.font()
        f.setBold(True)
        self.chart_title.setFont(f)

        top = QHBoxLayout()
        top.addWidget(self.period_label)
        top.addWidget(self.period_combo)
        top.addSpacing(16)
        top.addWidget(self.total_label)
        top.addStretch(1)
        grid = QGridLayout()
        grid.addWidget(self.most_title, 0, 0)
        grid.addWidget(self.least_title, 0, 1)
        grid.addWidget(self.never_title, 0, 2)
        grid.addWidget(self.most_list, 1, 0)
        grid.addWidget(self.least_list, 1, 1)
        grid.addWidget(self.never_list, 1, 2)
        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addWidget(self.chart_title)
        outer.addWidget(self.chart)
        outer.addLayout(grid, 1)

        self.period_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.most_list.itemActivated.connect(self._on_item)
        self.least_list.itemActivated.connect(self._on_item)
        self.never_list.activated.connect(
            lambda idx: self.phrase_activated.emit(self._never_ids[idx.row()])
        )

    def retranslate(self) -> None:
        self.period_label.setText(self.tr("&Period:"))
        current = self.period_combo.currentIndex()
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        for days in PERIODS:
            self.period_combo.addItem(self.tr("Last %n day(s)", "", days), days)
        self.period_combo.setCurrentIndex(current if current >= 0 else 1)
        self.period_combo.blockSignals(False)
        self.chart_title.setText(self.tr("Uses per category"))
        self.chart.set_empty_text(self.tr("No phrase was used in this period."))
        self.most_title.setText(self.tr("&Most used"))
        self.least_title.setText(self.tr("&Least used"))
        self.never_title.setText(self.tr("&Never used"))
        for tree in (self.most_list, self.least_list):
            tree.setHeaderLabels([self.tr("Phrase"), self.tr("Uses")])
        if self.isVisible():  # a hidden page refreshes when it is shown (showEvent)
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        super().showEvent(event)

    def on_change(self, outcome: Outcome) -> None:
        if outcome.library and self.isVisible():
            self.refresh()

    @property
    def days(self) -> int:
        data = self.period_combo.currentData()
        return int(data) if data is not None else 30

    def refresh(self) -> None:
        lib = self.ws.library
        usage = self.ws.usage
        counts = {p.id: usage.get(p.id)[0] for p in lib.phrases}
        used = [p for p in lib.phrases if counts[p.id] > 0]
        most = sorted(used, key=lambda p: (-counts[p.id], p.title))[:TOP_N]
        least = sorted(used, key=lambda p: (counts[p.id], p.title))[:TOP_N]
        never = sorted((p for p in lib.phrases if counts[p.id] == 0), key=lambda p: p.title)
        for tree, phrases in ((self.most_list, most), (self.least_list, least)):
            tree.clear()
            for p in phrases:
                item = QTreeWidgetItem([p.title, str(counts[p.id])])
                item.setData(0, ID_ROLE, p.id)
                item.setToolTip(0, p.body[:300])
                item.setTextAlignment(
                    1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
                tree.addTopLevelItem(item)
        self._never_ids = [p.id for p in never]
        self.never_model.setStringList([p.title for p in never])

        per_day = usage.per_day(self.days)
        per_cat: dict[str, int] = {}
        total = 0
        for pid, days in per_day.items():
            found = lib.phrase(pid)
            if found is None:
                continue
            n = sum(days.values())
            total += n
            root = lib.root_of(found.category)
            per_cat[root] = per_cat.get(root, 0) + n
        names = {c.id: c.name for c in lib.categories}
        bars = sorted(
            ((names.get(cid, cid), n) for cid, n in per_cat.items() if n), key=lambda x: -x[1]
        )
        self.chart.set_data(bars)
        self.total_label.setText(
            self.tr("%n use(s) in this period.", "", total)
            + " "
            + self.tr("%n phrase(s) never used.", "", len(never))
        )

    def _on_item(self, item: QTreeWidgetItem, _column: int) -> None:
        self.phrase_activated.emit(str(item.data(0, ID_ROLE)))


def _count_tree() -> QTreeWidget:
    tree = QTreeWidget()
    tree.setColumnCount(2)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.header().setStretchLastSection(False)
    tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    return tree

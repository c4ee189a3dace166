"""Table model of the library's phrases, with filtering and sorting done in plain Python.

A QSortFilterProxyModel calls ``filterAcceptsRow`` from C++ into Python once per row,
which at 10,000 phrases costs more than a frame. Here the model keeps the list of
visible phrases itself: a filter change is one list comprehension plus a model reset, and
a sort is one ``sorted`` with a key; the view (uniform row heights) only asks for the rows
on screen.
"""

from __future__ import annotations

import datetime as _dt
import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from app.core.model import Phrase
from app.core.workspace import Workspace

log = logging.getLogger(__name__)

PHRASE_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 2
PHRASE_IDS_MIME = "application/x-huashu-phrase-ids"

COL_TITLE, COL_CODE, COL_HOTKEY, COL_CATEGORY, COL_USES, COL_UPDATED = range(6)
COLUMN_COUNT = 6

Matcher = Callable[[str], list[str]]
_AnyIndex = QModelIndex | QPersistentModelIndex


def workspace_matcher(ws: Workspace) -> Matcher:
    """The core's pinyin search, best first; no fuzzy tier (a filter lists real matches)."""

    def match(query: str) -> list[str]:
        hits = ws.index.search(query, limit=max(len(ws.library.phrases), 1), fuzzy=False)
        return [h.phrase.id for h in hits]

    return match


class PhraseTableModel(QAbstractTableModel):
    """The visible phrases (category filter x search query), sorted."""

    def __init__(
        self, ws: Workspace, matcher: Matcher | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self._matcher = matcher or workspace_matcher(ws)
        self._all: list[Phrase] = []
        self._rows: list[Phrase] = []
        self._row_of: dict[str, int] = {}
        self._paths: dict[str, str] = {}
        self._categories: set[str] | None = None
        self._query = ""
        self._rank: dict[str, int] | None = None
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._headers = [""] * COLUMN_COUNT
        self.retranslate()
        self.reload()

    # -- configuration -----------------------------------------------------------------
    def retranslate(self) -> None:
        self._headers = [
            self.tr("Title"),
            self.tr("Code"),
            self.tr("Hotkey"),
            self.tr("Category"),
            self.tr("Uses"),
            self.tr("Updated"),
        ]
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMN_COUNT - 1)

    def reload(self) -> None:
        """Re-read the library (after any change), keeping filter and sort."""
        lib = self.ws.library
        self._all = list(lib.phrases)
        self._paths = {c.id: lib.category_path(c.id) for c in lib.categories}
        if self._query:
            self._rank = {pid: i for i, pid in enumerate(self._matcher(self._query))}
        self._refilter()

    def set_categories(self, ids: set[str] | None) -> None:
        """Show only phrases of these categories (None: all)."""
        self._categories = set(ids) if ids is not None else None
        self._refilter()

    def set_query(self, query: str) -> None:
        query = query.strip()
        if query == self._query:
            return
        self._query = query
        if query:
            self._rank = {pid: i for i, pid in enumerate(self._matcher(query))}
        else:
            self._rank = None
        self._refilter()

    @property
    def query(self) -> str:
        return self._query

    @property
    def sort_column(self) -> int:
        return self._sort_column

    # -- lookups ------------------------------------------------------------------------
    def phrase_at(self, row: int) -> Phrase | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, pid: str) -> int | None:
        return self._row_of.get(pid)

    def phrase_ids(self) -> list[str]:
        return [p.id for p in self._rows]

    # -- filtering and sorting ----------------------------------------------------------
    def _refilter(self) -> None:
        cats, rank = self._categories, self._rank
        rows = self._all
        if cats is not None:
            rows = [p for p in rows if p.category in cats]
        if rank is not None:
            rows = [p for p in rows if p.id in rank]
            if self._sort_column < 0:
                rows.sort(key=lambda p: rank[p.id])
        if self._sort_column >= 0:
            key = self._sort_key(self._sort_column)
            rows = sorted(rows, key=key, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        self.beginResetModel()
        self._rows = rows if rows is not self._all else list(rows)
        self._row_of = {p.id: i for i, p in enumerate(self._rows)}
        self.endResetModel()

    def _sort_key(self, column: int) -> Callable[[Phrase], Any]:
        if column == COL_CODE:
            return lambda p: (p.code == "", p.code.lower())
        if column == COL_HOTKEY:
            return lambda p: (p.hotkey == "", p.hotkey)
        if column == COL_CATEGORY:
            paths = self._paths
            return lambda p: (paths.get(p.category, p.category), p.title)
        if column == COL_USES:
            get = self.ws.usage.get
            return lambda p: get(p.id)[0]
        if column == COL_UPDATED:
            return lambda p: p.updated
        return lambda p: p.title.lower()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column = column
        self._sort_order = order
        self._refilter()

    # -- QAbstractTableModel ------------------------------------------------------------
    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section] if 0 <= section < COLUMN_COUNT else None
        return None

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        p = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_TITLE:
                return p.title
            if col == COL_CODE:
                return p.code
            if col == COL_HOTKEY:
                return p.hotkey
            if col == COL_CATEGORY:
                return self._paths.get(p.category, p.category)
            if col == COL_USES:
                return self.ws.usage.get(p.id)[0]
            if col == COL_UPDATED:
                return _short_date(p.updated)
            return None
        if role == PHRASE_ID_ROLE:
            return p.id
        if role == Qt.ItemDataRole.ToolTipRole:
            if p.read_only:
                return self.tr("{body}\n\nRead-only: from the team pack {source}.").format(
                    body=p.body[:500], source=p.source
                )
            return p.body[:500]
        if role == Qt.ItemDataRole.ForegroundRole and p.read_only:
            return QGuiApplication.palette().brush(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.FontRole and p.read_only:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_USES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: _AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        p = self.phrase_at(index.row()) if index.isValid() else None
        if p is not None and not p.read_only:
            base |= Qt.ItemFlag.ItemIsDragEnabled
        return base

    def mimeTypes(self) -> list[str]:
        return [PHRASE_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        ids = list(dict.fromkeys(str(self.data(i, PHRASE_ID_ROLE)) for i in indexes))
        mime = QMimeData()
        mime.setData(PHRASE_IDS_MIME, QByteArray("\n".join(ids).encode("utf-8")))
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction


def decode_phrase_ids(mime: QMimeData) -> list[str]:
    if not mime.hasFormat(PHRASE_IDS_MIME):
        return []
    raw = bytes(mime.data(PHRASE_IDS_MIME).data()).decode("utf-8")
    return [x for x in raw.split("\n") if x]


def _short_date(stamp: str) -> str:
    if not stamp:
        return ""
    try:
        return _dt.datetime.fromisoformat(stamp).strftime("%Y-%m-%d")
    except ValueError:
        return stamp[:10]

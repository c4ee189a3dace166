"""The quick picker: a frameless popup with a search box and a list of matching phrases.

The picker knows nothing about storage or search internals: it is given a ``search``
callable (query, limit) -> list of :class:`PickerItem` and emits :attr:`PickerWindow.chosen`
with the phrase id, after the window has been hidden (so the caller can paste into the
window that regains focus). Results are shown by one QListView with a model and a painting
delegate, so thousands of results cost nothing in widgets.

Keys (focus always stays in the search box): Up/Down, Ctrl+N/Ctrl+P, PageUp/PageDown move
the selection; Enter chooses; Alt+1..Alt+9 choose the n-th visible result (the rows carry
number badges; unscrolled that is the n-th result); Esc hides. Clicking
outside (the window losing activation) hides it too. ``bring_to_front`` (the platform
layer's :class:`app.platform.foreground.Foreground`) is asked to give the shown picker
the keyboard where ``activateWindow()`` alone may not (Windows' foreground lock).

:meth:`PickerWindow.popup` can open with a query already typed (the suggest hotkey puts
the customer's copied message there); ``empty_text`` lets the caller say why nothing is
listed (e.g. "Nothing fits this message" for a sentence the suggestion ranker declined).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QCursor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QRegion,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.services.results import PickerItem as PickerItem
from app.ui.icons import draw_warning_mark

log = logging.getLogger(__name__)

ItemRole = Qt.ItemDataRole.UserRole + 1
"""Model role: the :class:`PickerItem` of a row (None for the placeholder row)."""
WarningRole = Qt.ItemDataRole.UserRole + 2
"""Model role: the lint warning text of a row ("" when none)."""
PlaceholderRole = Qt.ItemDataRole.UserRole + 3
"""Model role: True on the 'No matches' placeholder row."""

MAX_VISIBLE_ROWS = 9
WINDOW_WIDTH = 560
CORNER_RADIUS = 10

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


class PickerWindow(QWidget):
    """The picker popup. ``search(query, limit)`` must be fast: it runs on every keystroke."""

    chosen = Signal(str)
    """A phrase was chosen (its id); emitted after the window is hidden."""
    dismissed = Signal()
    """The picker was closed without a choice (Esc, click outside)."""

    def __init__(
        self,
        search: Callable[[str, int], list[PickerItem]],
        parent: QWidget | None = None,
        *,
        limit: int = 50,
        bring_to_front: Callable[[int], object] | None = None,
        empty_text: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._bring_to_front = bring_to_front
        self._search = search
        self._empty_text = empty_text
        self._limit = limit
        self._hiding = False
        self.setWindowFlags(
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        self.setWindowTitle(self.tr("Huashu picker"))
        self._use_mask = QGuiApplication.platformName() == "xcb"
        if not self._use_mask:
            self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)

        font = QFont(self.font())
        font.setPixelSize(14)
        self.setFont(font)

        self._frame = QFrame(self)
        self._frame.setObjectName("pickerFrame")
        self._frame.setStyleSheet(
            "#pickerFrame { background: #ffffff; border: 1px solid #c9c9c9;"
            f" border-radius: {CORNER_RADIUS}px; }}"
            "QLineEdit { border: none; border-bottom: 1px solid #e6e6e6; background: #ffffff;"
            " color: #1f1f1f; padding: 6px 4px 8px 4px; font-size: 16px; }"
            "QListView { border: none; background: #ffffff; outline: none; }"
            "QLabel#pickerHint { color: #9a9a9a; font-size: 11px; }"
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._frame)

        self._edit = QLineEdit(self._frame)
        self._edit.setPlaceholderText(self.tr("Search by code, pinyin or text"))
        self._edit.setClearButtonEnabled(False)
        self._edit.installEventFilter(self)
        self._edit.textChanged.connect(self._on_text_changed)

        self._model = PickerModel(self)
        self._delegate = PickerDelegate(font, self.first_visible_row, self)
        self._view = QListView(self._frame)
        self._view.setModel(self._model)
        self._view.setItemDelegate(self._delegate)
        self._view.setUniformItemSizes(True)
        self._view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self._view.setMouseTracking(True)
        self._view.clicked.connect(self._on_clicked)
        # badges number the visible rows: repaint them all when the list scrolls
        scroll_bar = self._view.verticalScrollBar()
        scroll_bar.valueChanged.connect(lambda _v: self._view.viewport().update())

        self._hint = QLabel(
            self.tr("Up/Down select    Enter paste    Alt+1..9 pick    Esc close"), self._frame
        )
        self._hint.setObjectName("pickerHint")

        self._inner = inner = QVBoxLayout(self._frame)
        inner.setContentsMargins(10, 8, 10, 6)
        inner.setSpacing(6)
        inner.addWidget(self._edit)
        inner.addWidget(self._view)
        inner.addWidget(self._hint)

        self.setFixedWidth(WINDOW_WIDTH)
        self.ensurePolished()  # style sheets change size hints; apply them before measuring
        self._update_list_height()

    # -- public API ------------------------------------------------------------------------
    @property
    def search_box(self) -> QLineEdit:
        return self._edit

    @property
    def list_view(self) -> QListView:
        return self._view

    @property
    def model(self) -> PickerModel:
        return self._model

    def query(self) -> str:
        """The query as typed (stripped)."""
        return self._edit.text().strip()

    def popup(self, query: str = "") -> None:
        """Show the picker centred on the screen under the mouse, with ``query`` typed in
        (empty by default; line breaks become spaces)."""
        self._edit.blockSignals(True)
        self._edit.setText(" ".join(query.split()))
        self._edit.blockSignals(False)
        self.refresh()
        screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
        if screen is not None:
            if self.windowHandle() is not None:
                self.windowHandle().setScreen(screen)
            area = screen.availableGeometry()
            full_height = self._height_for_rows(MAX_VISIBLE_ROWS)
            x = area.left() + (area.width() - self.width()) // 2
            y = area.top() + max(0, (area.height() - full_height) // 2)
            self.move(x, y)
        self.show()
        self.raise_()
        self.activateWindow()
        if self._bring_to_front is not None:
            # Windows' foreground lock: see app.platform.foreground.
            self._bring_to_front(int(self.winId()))
        self._edit.setFocus(Qt.FocusReason.PopupFocusReason)

    def refresh(self) -> None:
        """Run the search again for the current query (e.g. after the library changed)."""
        query = self._edit.text()
        try:
            items = list(self._search(query.strip(), self._limit))
        except Exception:
            log.exception("picker search failed for %r", query)
            items = []
        placeholder = self.tr("No matches") if query.strip() else self.tr("No phrases yet")
        if not items and query.strip() and self._empty_text is not None:
            placeholder = self._empty_text(query.strip()) or placeholder
        self._model.set_items(items, placeholder)
        if items:
            self._select_row(0)
        self._update_list_height()

    def current_row(self) -> int:
        index = self._view.currentIndex()
        if index.isValid() and self._model.item(index.row()) is not None:
            return index.row()
        return -1

    def current_item(self) -> PickerItem | None:
        return self._model.item(self.current_row())

    def first_visible_row(self) -> int:
        """The row at the top of the list (Alt+1 chooses it); 0 when not scrolled."""
        index = self._view.indexAt(QPoint(1, 1))
        return index.row() if index.isValid() else 0

    def choose_row(self, row: int) -> bool:
        """Choose the result in ``row``: hide, then emit :attr:`chosen`. False if no such row."""
        item = self._model.item(row)
        if item is None or self._hiding:
            return False
        self._hide()
        self.chosen.emit(item.phrase_id)
        return True

    def dismiss(self) -> None:
        """Hide without a choice and emit :attr:`dismissed` (once, only when visible)."""
        if not self.isVisible() or self._hiding:
            return
        self._hide()
        self.dismissed.emit()

    # -- internals -------------------------------------------------------------------------
    def _hide(self) -> None:
        # Hiding deactivates the window, which re-enters dismiss() through event().
        self._hiding = True
        try:
            self.hide()
        finally:
            self._hiding = False

    def _on_text_changed(self, _text: str) -> None:
        self.refresh()

    def _on_clicked(self, index: QModelIndex) -> None:
        self.choose_row(index.row())

    def _select_row(self, row: int) -> None:
        index = self._model.index(row, 0)
        self._view.setCurrentIndex(index)
        self._view.scrollTo(index)

    def _move(self, delta: int, *, wrap: bool) -> None:
        count = self._model.result_count()
        if count == 0:
            return
        row = self.current_row()
        if row < 0:
            target = 0 if delta > 0 else count - 1
        elif wrap:
            target = (row + delta) % count
        else:
            target = min(max(row + delta, 0), count - 1)
        self._select_row(target)

    def _height_for_rows(self, rows: int) -> int:
        margins = self._inner.contentsMargins()
        spacing = self._inner.spacing()
        return (
            margins.top()
            + self._edit.sizeHint().height()
            + spacing
            + rows * self._delegate.row_height
            + 2 * self._view.frameWidth()
            + spacing
            + self._hint.sizeHint().height()
            + margins.bottom()
        )

    def _update_list_height(self) -> None:
        rows = min(max(self._model.rowCount(), 1), MAX_VISIBLE_ROWS)
        self._view.setFixedHeight(rows * self._delegate.row_height + 2 * self._view.frameWidth())
        self.setFixedHeight(self._height_for_rows(rows))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._handle_key(event)
        return super().eventFilter(watched, event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        none = Qt.KeyboardModifier.NoModifier
        ctrl = Qt.KeyboardModifier.ControlModifier
        alt = Qt.KeyboardModifier.AltModifier
        if mods == none and key == Qt.Key.Key_Escape:
            self.dismiss()
            return True
        if mods == none and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.choose_row(self.current_row())
            return True
        if (mods == none and key == Qt.Key.Key_Down) or (mods == ctrl and key == Qt.Key.Key_N):
            self._move(1, wrap=True)
            return True
        if (mods == none and key == Qt.Key.Key_Up) or (mods == ctrl and key == Qt.Key.Key_P):
            self._move(-1, wrap=True)
            return True
        if mods == none and key == Qt.Key.Key_PageDown:
            self._move(MAX_VISIBLE_ROWS, wrap=False)
            return True
        if mods == none and key == Qt.Key.Key_PageUp:
            self._move(-MAX_VISIBLE_ROWS, wrap=False)
            return True
        if mods == alt and Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            self.choose_row(self.first_visible_row() + (key - Qt.Key.Key_1))
            return True
        return False

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowDeactivate:
            self.dismiss()
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Keys that reach the window itself (focus lost from the search box).
        if not self._handle_key(event):
            super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._use_mask:
            # No compositor is guaranteed on X11: cut the rounded corners with a mask.
            path = QPainterPath()
            path.addRoundedRect(QRectF(self.rect()), CORNER_RADIUS, CORNER_RADIUS)
            self.setMask(QRegion(path.toFillPolygon().toPolygon()))

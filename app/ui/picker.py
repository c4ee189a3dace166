"""The quick picker: a frameless popup with a search box and a list of matching phrases.

The picker knows nothing about storage or search internals: it is given a ``search``
callable (query, limit) -> list of :class:`PickerItem` and emits :attr:`PickerWindow.chosen`
with the phrase id, after the window has been hidden (so the caller can paste into the
window that regains focus). Results are shown by one QListView with a model and a painting
delegate (:mod:`app.ui.picker_rows`), so thousands of results cost nothing in widgets.

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
from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QCursor,
    QFont,
    QGuiApplication,
    QKeyEvent,
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
    QVBoxLayout,
    QWidget,
)

from app.services.results import PickerItem as PickerItem
from app.ui.picker_rows import MAX_VISIBLE_ROWS, PickerDelegate, PickerModel

log = logging.getLogger(__name__)

WINDOW_WIDTH = 560
CORNER_RADIUS = 10


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

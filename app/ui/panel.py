"""The docked quick-reply panel (话术面板 / "Huashu panel", 吸附侧边栏).

An always-on-top tool window glued to the side of a chat window. It never takes the
keyboard focus: clicking a phrase emits :attr:`DockedPanel.chosen` while the chat window
keeps the focus, so the reply is pasted straight into it.

Focus and the search box (documented choice): typing needs the keyboard, so a click into
the search box turns the panel into a normal focusable window for as long as the agent
searches. Enter pastes the selected phrase, Esc cancels; both give the keyboard back to
the chat window (through the platform layer's ``activate``) and make the panel
non-focusable again. The paste pipeline then waits until the chat window really has the
focus before it sends keys. Clicking a phrase while searching does the same.

Following the chat window stays in the platform layer (:class:`WindowInfo`): while the
panel is docked a 200 ms QTimer asks for the window's geometry and state (a few cheap
round trips; no timer runs while the panel is off). The panel moves with the window,
hides while it is minimised and undocks when it is closed.

Side and width are remembered per app (``panel.toml`` in the Huashu folder, through the
``save_layouts`` callback).

Suggestions: :attr:`DockedPanel.suggest` is a hook for the suggestion ranker: a callable
returning :class:`~app.ui.picker.PickerItem` rows, shown as a first "Suggested" category
when set.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.appprofiles import (
    PANEL_MAX_WIDTH,
    PANEL_MIN_WIDTH,
    PanelLayout,
    TargetWindow,
    clamp_width,
    dock_rect,
)
from app.platform.window import GONE, MINIMISED, WindowInfo
from app.ui.language import Retranslating
from app.ui.picker import PickerItem

log = logging.getLogger(__name__)

FOLLOW_INTERVAL_MS = 200
FOCUS_CHECK_MS = 150
PREVIEW_CHARS = 48
WIDTH_STEP = 40
ALL_CATEGORIES = ""
SUGGESTED = "\x00suggested"
PhraseRole = Qt.ItemDataRole.UserRole + 1

Categories = Callable[[], Sequence[tuple[str, str]]]
"""() -> [(category id, display name)] in menu order."""
Phrases = Callable[[str, str], Sequence[PickerItem]]
"""(category id or "" for all, search query) -> rows to show."""


class DockedPanel(Retranslating, QWidget):
    """The panel. ``windows`` describes other programs' windows; ``categories`` and
    ``phrases`` feed the lists; ``layouts`` (app key -> side/width) is read once and
    every change is handed to ``save_layouts``."""

    chosen = Signal(str)  # phrase id, to paste into the docked window
    docked = Signal(object)  # the TargetWindow, or None when the panel closes
    message = Signal(str)  # a note for the user (tray balloon)

    def __init__(
        self,
        windows: WindowInfo,
        categories: Categories,
        phrases: Phrases,
        *,
        layouts: Mapping[str, PanelLayout] | None = None,
        save_layouts: Callable[[dict[str, PanelLayout]], None] | None = None,
        own_windows: Callable[[], set[int]] | None = None,
    ) -> None:
        super().__init__(None)
        self._windows = windows
        self._categories = categories
        self._phrases = phrases
        self._layouts: dict[str, PanelLayout] = dict(layouts or {})
        self._save_layouts = save_layouts
        self._own_windows = own_windows or (lambda: set())
        self.suggest: Callable[[], Sequence[PickerItem]] | None = None
        self._target: TargetWindow | None = None
        self._last_rect: tuple[int, int, int, int] | None = None
        self._searching = False
        self.side = "right"
        self._width = PanelLayout().width
        self.docked_side = "right"  # where it is now (the other side when no room)

        self.setObjectName("huashuPanel")
        self._base_flags = (
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        self.setWindowFlags(self._base_flags | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setMinimumWidth(PANEL_MIN_WIDTH)
        self.setMaximumWidth(PANEL_MAX_WIDTH)

        self._title = QLabel()
        self._title.setStyleSheet("font-weight: bold;")
        self._side_button = QToolButton()
        self._side_button.clicked.connect(self.switch_side)
        self._narrow_button = QToolButton()
        self._narrow_button.setText("−")
        self._narrow_button.clicked.connect(lambda: self.resize_by(-WIDTH_STEP))
        self._wide_button = QToolButton()
        self._wide_button.setText("+")
        self._wide_button.clicked.connect(lambda: self.resize_by(WIDTH_STEP))
        self._close_button = QToolButton()
        self._close_button.setText("×")
        self._close_button.clicked.connect(self.undock)
        for button in (
            self._side_button,
            self._narrow_button,
            self._wide_button,
            self._close_button,
        ):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoRaise(True)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self._title, 1)
        for button in (
            self._side_button,
            self._narrow_button,
            self._wide_button,
            self._close_button,
        ):
            top.addWidget(button)

        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.search.textChanged.connect(self._refresh_phrases)
        self.category_list = QListWidget()
        self.category_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.category_list.setMaximumHeight(150)
        self.category_list.currentRowChanged.connect(lambda _row: self._refresh_phrases())
        self.phrase_list = QListWidget()
        self.phrase_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.phrase_list.setWordWrap(True)
        self.phrase_list.setSpacing(2)
        self.phrase_list.setAlternatingRowColors(True)
        self.phrase_list.itemClicked.connect(self._clicked)
        self._hint = QLabel()
        self._hint.setWordWrap(True)
        self._hint.setStyleSheet("color: #7a7a7a;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.search)
        layout.addWidget(self.category_list)
        layout.addWidget(self.phrase_list, 1)
        layout.addWidget(self._hint)
        self.setStyleSheet("#huashuPanel { background: #fafafa; border: 1px solid #c8c8c8; }")

        self._follow = QTimer(self)
        self._follow.setInterval(FOLLOW_INTERVAL_MS)
        self._follow.timeout.connect(self.follow)
        self.retranslate()
        self.reload()

    # -- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Huashu panel"))
        self._title.setText(self.tr("Huashu panel"))
        self.search.setPlaceholderText(self.tr("Search (click to type)"))
        self._side_button.setToolTip(self.tr("Dock on the other side"))
        self._narrow_button.setToolTip(self.tr("Narrower"))
        self._wide_button.setToolTip(self.tr("Wider"))
        self._close_button.setToolTip(self.tr("Close the panel"))
        self._hint.setText(self.tr("Click a reply to paste it into the chat window."))
        self._update_side_button()

    def _update_side_button(self) -> None:
        self._side_button.setText("◀" if self.side == "right" else "▶")

    # -- content ----------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the categories again (after the library changed) and refill the lists."""
        current = self.current_category()
        self.category_list.blockSignals(True)
        self.category_list.clear()
        entries: list[tuple[str, str]] = []
        if self.suggest is not None:
            entries.append((SUGGESTED, self.tr("Suggested")))
        entries.append((ALL_CATEGORIES, self.tr("All")))
        entries += list(self._categories())
        for category_id, name in entries:
            item = QListWidgetItem(name)
            item.setData(PhraseRole, category_id)
            self.category_list.addItem(item)
        rows = [self.category_list.item(i).data(PhraseRole) for i in range(len(entries))]
        self.category_list.setCurrentRow(rows.index(current) if current in rows else 0)
        self.category_list.blockSignals(False)
        self._refresh_phrases()

    def current_category(self) -> str:
        item = self.category_list.currentItem()
        return str(item.data(PhraseRole)) if item is not None else ALL_CATEGORIES

    def select_category(self, category_id: str) -> bool:
        for row in range(self.category_list.count()):
            if self.category_list.item(row).data(PhraseRole) == category_id:
                self.category_list.setCurrentRow(row)
                return True
        return False

    def _refresh_phrases(self) -> None:
        query = self.search.text().strip()
        category = self.current_category()
        if category == SUGGESTED and self.suggest is not None and not query:
            rows = list(self.suggest())
        else:
            rows = list(self._phrases("" if category == SUGGESTED else category, query))
        self.phrase_list.clear()
        for row in rows:
            label = row.title if not row.warning else f"⚠ {row.title}"
            preview = row.preview
            if len(preview) > PREVIEW_CHARS:
                preview = preview[: PREVIEW_CHARS - 1] + "…"
            item = QListWidgetItem(f"{label}\n{preview}")
            item.setData(PhraseRole, row.phrase_id)
            item.setToolTip(row.warning or row.preview)
            self.phrase_list.addItem(item)
        if rows and (self._searching or query):
            self.phrase_list.setCurrentRow(0)  # what Enter in the search box pastes

    def phrase_ids(self) -> list[str]:
        return [
            str(self.phrase_list.item(i).data(PhraseRole)) for i in range(self.phrase_list.count())
        ]

    # -- choosing -----------------------------------------------------------------------------
    def _clicked(self, item: QListWidgetItem) -> None:
        self.choose(str(item.data(PhraseRole)))

    def choose(self, phrase_id: str) -> None:
        """Paste ``phrase_id`` into the docked window (the keyboard goes back there first
        if the search box had it)."""
        if self._searching:
            self.leave_search()
        self.chosen.emit(phrase_id)

    def choose_selected(self) -> bool:
        item = self.phrase_list.currentItem()
        if item is None:
            return False
        self.choose(str(item.data(PhraseRole)))
        return True

    # -- the search box and the focus ------------------------------------------------------------
    def is_searching(self) -> bool:
        return self._searching

    def enter_search(self) -> None:
        """Let the panel take the keyboard (only while the agent types a search)."""
        if self._searching:
            return
        self._searching = True
        self._set_focusable(True)
        self.activateWindow()
        self.raise_()
        self.search.setFocus(Qt.FocusReason.MouseFocusReason)

    def leave_search(self) -> None:
        """Give the keyboard back to the chat window and stop taking the focus."""
        if not self._searching:
            return
        self._searching = False
        self.search.clearFocus()
        self._set_focusable(False)
        if self._target is not None:
            self._windows.activate(self._target.id)

    def _set_focusable(self, focusable: bool) -> None:
        visible = self.isVisible()
        geometry = self.geometry()
        flags = self._base_flags
        if not focusable:
            flags |= Qt.WindowType.WindowDoesNotAcceptFocus
        self.setWindowFlags(flags)  # hides a visible window: show it again where it was
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, not focusable)
        if visible:
            self.setGeometry(geometry)
            self.show()

    def accepts_focus(self) -> bool:
        return not bool(self.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search:
            if event.type() == QEvent.Type.MouseButtonPress and not self._searching:
                self.enter_search()
            elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                return self._search_key(event)
        return super().eventFilter(watched, event)

    def _search_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.choose_selected()
            return True
        if key == Qt.Key.Key_Escape:
            self.leave_search()
            return True
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if key == Qt.Key.Key_Down else -1
            row = self.phrase_list.currentRow() + step
            if 0 <= row < self.phrase_list.count():
                self.phrase_list.setCurrentRow(row)
            return True
        return False

    # -- docking ------------------------------------------------------------------------------
    def target(self) -> TargetWindow | None:
        return self._target

    def toggle(self) -> None:
        """Dock to the focused window, or close the panel when it is docked."""
        if self._target is not None:
            self.undock()
            return
        window = self._windows.focused()
        if window is None or window.id in self._own_windows():
            self.message.emit(
                self.tr("Click into the chat window first, then open the panel again.")
            )
            return
        self.dock(window)

    def dock(self, window: TargetWindow) -> None:
        self._target = window
        layout = self._layouts.get(window.key(), PanelLayout())
        self.side = layout.side
        self._width = clamp_width(layout.width)
        self._last_rect = None
        self._update_side_button()
        self.reload()
        self.follow()
        self._follow.start()
        # Showing the panel must leave the keyboard in the chat window. Under Wine a hidden
        # helper window Qt creates for the list's style took the foreground: hand it back.
        QTimer.singleShot(FOCUS_CHECK_MS, self._keep_target_focused)
        self.docked.emit(window)

    def _keep_target_focused(self) -> None:
        target = self._target
        if target is None or self._searching:
            return
        focused = self._windows.focused()
        if focused is None or focused.id != target.id:
            log.info("the focus left %s when the panel opened: giving it back", target.app)
            self._windows.activate(target.id)

    def undock(self) -> None:
        if self._searching:
            self.leave_search()
        self._follow.stop()
        self._target = None
        self.hide()
        self.docked.emit(None)

    def layout_for(self, app_key: str) -> PanelLayout:
        return self._layouts.get(app_key, PanelLayout())

    def switch_side(self) -> None:
        self.side = "left" if self.side == "right" else "right"
        self._update_side_button()
        self._remember()
        self._last_rect = None
        self.follow()

    def resize_by(self, delta: int) -> None:
        self._width = clamp_width(self._width + delta)
        self._remember()
        self._last_rect = None
        self.follow()

    def _remember(self) -> None:
        if self._target is None:
            return
        key = self._target.key()
        self._layouts[key] = PanelLayout(self.side, self._width)
        if self._save_layouts is not None:
            try:
                self._save_layouts(dict(self._layouts))
            except OSError as exc:
                log.warning("could not save the panel layout: %s", exc)

    def follow(self) -> None:
        """Move beside the docked window; hide while it is minimised; undock once it is gone."""
        target = self._target
        if target is None:
            return
        state = self._windows.state(target.id)
        if state == GONE:
            log.info("docked window %s closed: panel closes", target.app)
            self.undock()
            return
        if state == MINIMISED:
            if self.isVisible() and not self._searching:
                self.hide()
            return
        rect = self._windows.geometry(target.id)
        if rect is None:
            self.undock()
            return
        if rect == self._last_rect and self.isVisible():
            return
        self._last_rect = rect
        ratio = self._ratio(rect)
        logical = tuple(round(v / ratio) for v in rect)
        screen = self._screen_rect(logical)
        layout = PanelLayout(self.side, self._width)
        (x, y, w, h), self.docked_side = dock_rect(logical, layout, screen)  # type: ignore[arg-type]
        self.setGeometry(QRect(x, y, w, h))
        if not self.isVisible():
            self.show()

    def _ratio(self, rect: tuple[int, int, int, int]) -> float:
        """Screen pixels per Qt pixel where the window is (Windows reports physical pixels)."""
        if not self._windows.name.startswith("win"):
            return 1.0
        screen = QGuiApplication.primaryScreen()
        return float(screen.devicePixelRatio()) if screen is not None else 1.0

    @staticmethod
    def _screen_rect(rect: tuple[int, ...]) -> tuple[int, int, int, int]:
        from PySide6.QtCore import QPoint

        x, y, w, h = rect
        screen = QGuiApplication.screenAt(QPoint(x + w // 2, y + h // 2))
        if screen is None:
            screen = QGuiApplication.primaryScreen()
        if screen is None:
            return (0, 0, 1 << 15, 1 << 15)
        g = screen.availableGeometry()
        return (g.x(), g.y(), g.width(), g.height())

    def language_changed(self) -> None:
        self.retranslate()
        self.reload()

    def closeEvent(self, event: object) -> None:
        self.undock()

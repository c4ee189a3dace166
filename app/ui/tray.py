"""The tray icon and its context menu.

The controller holds a QSystemTrayIcon and a menu rebuilt from plain data
(:meth:`TrayController.rebuild`); menu actions only emit signals, which ``app.main`` wires
to the rest of the application. The menu stays usable from code even where no system tray
exists (tests, offscreen), through :meth:`TrayController.menu`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

log = logging.getLogger(__name__)

MAX_PHRASES_PER_MENU = 40
"""Phrases listed per category submenu; the rest are reached through the picker."""

_LEVELS = {
    "info": QSystemTrayIcon.MessageIcon.Information,
    "warning": QSystemTrayIcon.MessageIcon.Warning,
    "error": QSystemTrayIcon.MessageIcon.Critical,
}

CategoryMenu = (
    tuple[str, Sequence[tuple[str, str]]]
    | tuple[str, Sequence[tuple[str, str]], Sequence[tuple[str, Sequence[tuple[str, str]]]]]
)
"""(category display name, [(phrase id, label), ...]) with an optional third item: its
subcategories as [(name, [(phrase id, label), ...])], shown as submenus inside it."""


def _menu_text(text: str) -> str:
    """Escape '&' so a title is not turned into a keyboard mnemonic."""
    return text.replace("&", "&&")


class TrayController(QObject):
    """The tray icon, its tooltip and its context menu."""

    phrase_chosen = Signal(str)
    picker_requested = Signal()
    panel_requested = Signal()
    settings_requested = Signal()
    shop_selected = Signal(str)
    pause_toggled = Signal(bool)
    quit_requested = Signal()

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon = icon
        self._paused_icon = self._disabled_icon(icon)
        self._tray = QSystemTrayIcon(icon, self)
        self._tray.activated.connect(self._on_activated)
        self._menu = QMenu()
        self._retired_menu: QMenu | None = None
        self._tray.setContextMenu(self._menu)
        self._picker_hotkey = ""
        self._shop = ""
        self._paused = False
        self._picker_action: QAction | None = None
        self._pause_action: QAction | None = None
        self.rebuild([], [], "", False)

    # -- public API ------------------------------------------------------------------------
    @staticmethod
    def available() -> bool:
        """Whether the desktop has a system tray to show the icon in."""
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> None:
        if self.available():
            self._tray.show()
        else:
            log.info("no system tray available; the tray icon is not shown")

    def hide(self) -> None:
        self._tray.hide()

    def is_visible(self) -> bool:
        return self._tray.isVisible()

    def menu(self) -> QMenu:
        return self._menu

    def tray_icon(self) -> QSystemTrayIcon:
        return self._tray

    def tooltip(self) -> str:
        return self._tray.toolTip()

    def show_message(self, title: str, text: str, level: str = "info") -> None:
        """A balloon message from the tray icon; ``level`` is info, warning or error."""
        icon = _LEVELS.get(level, QSystemTrayIcon.MessageIcon.Information)
        if self._tray.isVisible() and QSystemTrayIcon.supportsMessages():
            self._tray.showMessage(title, text, icon, 8000)
        else:
            log.debug("tray message not shown (no visible tray icon): %s: %s", title, text)

    def set_picker_hotkey(self, hotkey: str) -> None:
        """Show ``hotkey`` (e.g. ``ctrl+alt+space``) next to "Open picker"."""
        self._picker_hotkey = hotkey
        if self._picker_action is not None:
            self._picker_action.setText(self._picker_text())

    def paused(self) -> bool:
        return self._paused

    def set_paused(self, paused: bool) -> None:
        """Show the pause state (menu text, tooltip, greyed icon) without emitting anything."""
        self._paused = paused
        if self._pause_action is not None:
            self._pause_action.setText(self._pause_text(paused))
        self._update_state()

    def rebuild(
        self,
        categories: Sequence[CategoryMenu],
        shops: Sequence[str],
        active_shop: str,
        paused: bool,
    ) -> None:
        """Rebuild the whole menu from the library, the profile's shops and the pause state."""
        old = self._menu
        menu = QMenu()
        menu.setToolTipsVisible(True)
        self._shop = active_shop
        self._paused = paused

        for entry in categories:
            name, phrases = entry[0], entry[1]
            children = entry[2] if len(entry) > 2 else ()  # type: ignore[misc]
            sub = menu.addMenu(_menu_text(name))
            for child_name, child_phrases in children:
                self._fill(sub.addMenu(_menu_text(child_name)), child_phrases)
            if children and phrases:
                sub.addSeparator()
            if phrases or not children:
                self._fill(sub, phrases)
        if categories:
            menu.addSeparator()

        self._picker_action = menu.addAction(self._picker_text())
        self._picker_action.triggered.connect(self.picker_requested.emit)
        panel = menu.addAction(self.tr("Docked panel"))
        panel.triggered.connect(self.panel_requested.emit)
        settings = menu.addAction(self.tr("Settings..."))
        settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        settings.triggered.connect(self.settings_requested.emit)

        shop_menu = menu.addMenu(self.tr("Shop"))
        group = QActionGroup(shop_menu)
        group.setExclusive(True)
        for shop in shops:
            action = shop_menu.addAction(_menu_text(shop))
            action.setCheckable(True)
            action.setChecked(shop == active_shop)
            action.setData(shop)
            group.addAction(action)
            action.triggered.connect(lambda _=False, s=shop: self._on_shop(s))
        shop_menu.setEnabled(bool(shops))

        # Not a check box: a ticked "Resume hotkeys" would read as "resumed". The text says
        # what a click does.
        self._pause_action = menu.addAction(self._pause_text(paused))
        self._pause_action.triggered.connect(lambda _=False: self._on_pause(not self._paused))

        menu.addSeparator()
        quit_action = menu.addAction(self.tr("Quit"))
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.quit_requested.emit)

        self._menu = menu
        self._tray.setContextMenu(menu)
        # rebuild() may run inside a slot of an action of the old menu: delete it later, and
        # keep it referenced until then so Python does not delete it right away.
        old.deleteLater()
        self._retired_menu = old
        self._update_state()

    # -- internals -------------------------------------------------------------------------
    def _fill(self, sub: QMenu, phrases: Sequence[tuple[str, str]]) -> None:
        if not phrases:
            empty = sub.addAction(self.tr("(empty)"))
            empty.setEnabled(False)
        for phrase_id, label in list(phrases)[:MAX_PHRASES_PER_MENU]:
            action = sub.addAction(_menu_text(label))
            action.setData(phrase_id)
            action.triggered.connect(lambda _=False, pid=phrase_id: self.phrase_chosen.emit(pid))
        hidden = len(phrases) - MAX_PHRASES_PER_MENU
        if hidden > 0:
            sub.addSeparator()
            more = sub.addAction(self.tr("%n more in the picker...", "", hidden))
            more.triggered.connect(self.picker_requested.emit)

    def _picker_text(self) -> str:
        text = self.tr("Open picker")
        if self._picker_hotkey:
            return f"{text}\t{self._picker_hotkey}"
        return text

    def _pause_text(self, paused: bool) -> str:
        return self.tr("Resume hotkeys") if paused else self.tr("Pause hotkeys")

    def _on_shop(self, shop: str) -> None:
        self._shop = shop
        self._update_state()
        self.shop_selected.emit(shop)

    def _on_pause(self, paused: bool) -> None:
        self.set_paused(paused)
        self.pause_toggled.emit(paused)

    def _update_state(self) -> None:
        tip = self.tr("Huashu")
        if self._shop:
            tip = f"{tip} — {self._shop}"
        if self._paused:
            tip = f"{tip} {self.tr('(paused)')}"
        self._tray.setToolTip(tip)
        self._tray.setIcon(self._paused_icon if self._paused else self._icon)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.picker_requested.emit()

    @staticmethod
    def _disabled_icon(icon: QIcon) -> QIcon:
        """A greyed copy of ``icon`` for the paused state."""
        out = QIcon()
        sizes = icon.availableSizes() or []
        for size in sizes:
            out.addPixmap(icon.pixmap(size, QIcon.Mode.Disabled))
        return out if sizes else icon

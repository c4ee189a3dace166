"""The settings window: a page list on the left, the pages on the right, one undo stack.

Every change any page makes is a command pushed on :attr:`SettingsWindow.undo_stack`;
the command saves at once. After each change (also on undo and redo) the window refreshes
the pages, emits :attr:`SettingsWindow.library_changed` for a library change, calls
``on_hotkeys_changed`` when any hotkey binding changed, ``on_language_changed`` when the
language changed, and turns the autostart entry on or off to match the settings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from app.core.workspace import Workspace
from app.platform.autostart import Autostart, AutostartError
from app.ui.language import Retranslating
from app.ui.settings.commands import CommandContext, Outcome, WorkspaceCommand
from app.ui.settings.general_page import GeneralPage
from app.ui.settings.phrases_page import PhrasesPage
from app.ui.settings.profile_page import ProfilePage
from app.ui.settings.profiles_page import ProfilesPage
from app.ui.settings.prompts import Prompts
from app.ui.settings.stats_page import StatsPage

if TYPE_CHECKING:
    from app.core.appprofiles import ProfileSet
    from app.platform.window import WindowInfo
    from app.ui.import_dialog import ImportDialog

log = logging.getLogger(__name__)

PAGE_PHRASES, PAGE_PROFILE, PAGE_GENERAL, PAGE_STATS, PAGE_APPS = range(5)

#: The window's preferred size; it shrinks to fit a 1366x768 screen with a taskbar and a
#: 1280x720 logical screen (a 1080p laptop at 150 %).
PREFERRED_SIZE = (1240, 760)
#: Room left for the window frame and title bar on each axis.
FRAME_MARGIN = (16, 48)


class SettingsWindow(Retranslating, QMainWindow):
    library_changed = Signal()
    subscriptions_changed = Signal()

    def __init__(
        self,
        ws: Workspace,
        *,
        on_hotkeys_changed: Callable[[], None] | None = None,
        on_language_changed: Callable[[str], None] | None = None,
        autostart: Autostart | None = None,
        prompts: Prompts | None = None,
        app_profiles: ProfileSet | None = None,
        windows: WindowInfo | None = None,
        own_windows: Callable[[], set[int]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self._on_hotkeys_changed = on_hotkeys_changed
        self._on_language_changed = on_language_changed
        self.autostart = autostart
        self.prompts = prompts or Prompts()
        self._language = ws.settings.language
        self.undo_stack = QUndoStack(self)
        self.ctx = CommandContext(ws, self._changed, self._failed)
        self.last_error: str | None = None

        self.page_list = QListWidget()
        self.page_list.setFixedWidth(130)
        self.page_list.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        self.phrases_page = PhrasesPage(ws, self.ctx, self.push, prompts=self.prompts)
        self.profile_page = ProfilePage(ws, self.ctx, self.push, prompts=self.prompts)
        self.general_page = GeneralPage(ws, self.ctx, self.push)
        self.stats_page = StatsPage(ws)
        if app_profiles is None:
            from app.core.appprofiles import load_profile_set

            app_profiles, _problems = load_profile_set(ws.paths.home)
        self.apps_page = ProfilesPage(app_profiles, ws.paths.home, windows, own_windows=own_windows)
        pages = (
            self.phrases_page,
            self.profile_page,
            self.general_page,
            self.stats_page,
            self.apps_page,
        )
        for page in pages:
            self.stack.addWidget(page)
            self.page_list.addItem(QListWidgetItem())
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.page_list)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.page_list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.page_list.setCurrentRow(PAGE_PHRASES)

        for page in (self.phrases_page, self.profile_page, self.general_page, self.apps_page):
            page.status.connect(self.show_status)
        self.stats_page.phrase_activated.connect(self.open_phrase)

        self._make_actions()
        self.retranslate()
        self._sync_autostart_checkbox()
        try:
            from app.ui.icons import app_icon

            self.setWindowIcon(app_icon())
        except Exception:  # an icon problem must not stop the settings window
            log.warning("no window icon", exc_info=True)
        self.fit_to_screen()
        # library_changed follows the workspace's change event: every saved command, an
        # import, a subscription, another process's change taken in by sync
        stop = ws.watch_library(self._library_announced)
        self.destroyed.connect(lambda *_args: stop())

    def _library_announced(self) -> None:
        if shiboken6.isValid(self):
            self.library_changed.emit()

    def fit_to_screen(self) -> None:
        """The preferred size, made smaller where the screen's work area is smaller."""
        from PySide6.QtGui import QGuiApplication

        width, height = PREFERRED_SIZE
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            width = min(width, area.width() - FRAME_MARGIN[0])
            height = min(height, area.height() - FRAME_MARGIN[1])
        self.resize(max(width, self.minimumSizeHint().width()), height)
        if screen is not None:
            area = screen.availableGeometry()
            self.move(
                area.x() + max(0, (area.width() - self.width()) // 2),
                area.y() + max(0, (area.height() - self.height() - FRAME_MARGIN[1]) // 2),
            )

    # -- actions --------------------------------------------------------------------------
    def _make_actions(self) -> None:
        self.undo_action = self.undo_stack.createUndoAction(self)
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self.undo_stack.createRedoAction(self)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.new_action = QAction(self)
        self.new_action.setShortcut(QKeySequence("Ctrl+N"))
        self.new_action.triggered.connect(self.new_phrase)
        self.filter_action = QAction(self)
        self.filter_action.setShortcut(QKeySequence("Ctrl+F"))
        self.filter_action.triggered.connect(self.focus_filter)
        self.close_action = QAction(self)
        self.close_action.setShortcut(QKeySequence("Ctrl+W"))
        self.close_action.triggered.connect(self.close)
        self.page_actions: list[QAction] = []
        for i in range(5):
            a = QAction(self)
            a.setShortcut(QKeySequence(f"Alt+{i + 1}"))
            a.triggered.connect(lambda _=False, n=i: self.page_list.setCurrentRow(n))
            self.page_actions.append(a)
        self.import_action = QAction(self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.import_phrases)
        self.export_action = QAction(self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self.export_phrases)
        self.file_menu = self.menuBar().addMenu("")
        self.file_menu.addAction(self.new_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.import_action)
        self.file_menu.addAction(self.export_action)
        self.file_menu.addSeparator()
        self.subscribe_action = QAction(self)
        self.subscribe_action.triggered.connect(self.subscribe_pack)
        self.file_menu.addAction(self.subscribe_action)
        self.unsubscribe_menu = self.file_menu.addMenu("")
        self.unsubscribe_menu.aboutToShow.connect(self._fill_unsubscribe_menu)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.close_action)
        self.edit_menu = self.menuBar().addMenu("")
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.filter_action)
        self.view_menu = self.menuBar().addMenu("")
        for a in self.page_actions:
            self.view_menu.addAction(a)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Huashu Settings"))
        names = [
            self.tr("Phrases"),
            self.tr("Profile"),
            self.tr("General"),
            self.tr("Statistics"),
            self.tr("Apps"),
        ]
        for i, name in enumerate(names):
            self.page_list.item(i).setText(name)
            self.page_actions[i].setText(name)
        self.page_list.setAccessibleName(self.tr("Pages"))
        self.file_menu.setTitle(self.tr("&File"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.view_menu.setTitle(self.tr("&View"))
        self.undo_action.setText(self.tr("&Undo"))
        self.redo_action.setText(self.tr("&Redo"))
        self.new_action.setText(self.tr("&New phrase"))
        self.filter_action.setText(self.tr("&Filter phrases"))
        self.close_action.setText(self.tr("&Close"))
        self.import_action.setText(self.tr("&Import phrases..."))
        self.export_action.setText(self.tr("&Export phrases..."))
        self.subscribe_action.setText(self.tr("&Subscribe to a team pack..."))
        self.unsubscribe_menu.setTitle(self.tr("&Unsubscribe"))

    # -- import / export (the logic lives in app.core.packs and app.core.importing) ---------
    def import_phrases(self) -> ImportDialog:
        """Open the import dialog (preview, conflict policy); refresh after an import."""
        from app.ui.import_dialog import ImportDialog

        dialog = ImportDialog(self.ws, self)
        dialog.imported.connect(lambda _result: self._changed(Outcome(library=True, hotkeys=True)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def export_phrases(self) -> str | None:
        """Export the selected category (or the whole library) as a pack or Qianniu CSV."""
        from app.core.packs import PackError, PackMeta, export_pack
        from app.core.packs.qianniu import export_qianniu

        cid = self.phrases_page.tree.current_category()
        cat = self.ws.library.category(cid)
        categories = [cat.id] if cat is not None else None
        name = cat.name if cat is not None else self.tr("My phrases")
        pack_filter = self.tr("Huashu pack (*.toml)")
        csv_filter = self.tr("Qianniu CSV (*.csv)")
        answer = self.prompts.save_file(
            self, self.tr("Export phrases"), f"{name}.toml", f"{pack_filter};;{csv_filter}"
        )
        if answer is None:
            return None
        path, chosen = answer
        try:
            if chosen == csv_filter or path.lower().endswith(".csv"):
                count = export_qianniu(self.ws.library, path, categories)
            else:
                author = self.ws.settings.profile.agent_name
                pack = export_pack(
                    self.ws.library,
                    path,
                    PackMeta(name=name, version="1", author=author),
                    categories,
                )
                count = len(pack.phrases)
        except (PackError, OSError, ValueError) as exc:
            self.prompts.error(self, self.tr("Export failed"), str(exc))
            return None
        self.prompts.info(
            self, self.tr("Export phrases"), self.tr("Exported %n phrase(s).", "", count)
        )
        return path

    # -- team packs (subscriptions; flow in app.services.team_packs) ----------------------
    def subscribe_pack(self, path: str | None = None) -> bool:
        """Follow a team pack file (shared folder, NAS): its phrases appear read-only."""
        from app.core.messages import localize, localize_problem
        from app.core.packs import PackError
        from app.core.settings import SettingsError
        from app.core.subscriptions import SubscriptionError
        from app.services.team_packs import TeamPacks
        from app.ui.language import current_language

        if path is None:
            path = self.prompts.open_file(
                self, self.tr("Subscribe to a team pack"), self.tr("Huashu pack (*.toml)")
            )
            if path is None:
                return False
        try:
            result = TeamPacks(self.ws).subscribe(path)
        except PackError as exc:
            lang = current_language()
            problems = "\n".join(localize_problem(p, lang) for p in exc.problems[:20])
            self.prompts.error(self, self.tr("Cannot subscribe"), problems)
            return False
        except (SubscriptionError, SettingsError, OSError) as exc:
            reason = localize(exc, current_language())
            self.prompts.error(self, self.tr("Cannot subscribe"), reason)
            return False
        self._changed(Outcome(library=True, hotkeys=True))
        self.subscriptions_changed.emit()
        self.prompts.info(
            self,
            self.tr("Subscribed"),
            self.tr("%n phrase(s) from the team pack are now in your library.", "", result.added),
        )
        return True

    def _fill_unsubscribe_menu(self) -> None:
        self.unsubscribe_menu.clear()
        for path in self.ws.settings.subscriptions:
            action = self.unsubscribe_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.unsubscribe_pack(p))
        if not self.ws.settings.subscriptions:
            self.unsubscribe_menu.addAction(self.tr("(no team packs)")).setEnabled(False)

    def unsubscribe_pack(self, path: str) -> bool:
        from app.core.messages import localize
        from app.core.settings import SettingsError
        from app.core.subscriptions import SubscriptionError
        from app.services.team_packs import TeamPacks
        from app.ui.language import current_language

        try:
            TeamPacks(self.ws).unsubscribe(path)
        except (SubscriptionError, SettingsError, OSError) as exc:
            reason = localize(exc, current_language())
            self.prompts.error(self, self.tr("Cannot unsubscribe"), reason)
            return False
        self._changed(Outcome(library=True, hotkeys=True))
        self.subscriptions_changed.emit()
        return True

    # -- commands -------------------------------------------------------------------------
    def push(self, cmd: WorkspaceCommand) -> bool:
        """Run ``cmd`` (it saves) and keep it for undo; False if it failed."""
        self.last_error = None
        self.undo_stack.push(cmd)
        return cmd.error is None

    def _changed(self, outcome: Outcome) -> None:
        self.phrases_page.refresh(outcome)
        self.profile_page.refresh(outcome)
        self.general_page.refresh(outcome)
        self.stats_page.on_change(outcome)
        if outcome.settings:
            self._apply_settings_side_effects()
        if outcome.hotkeys and self._on_hotkeys_changed is not None:
            self._on_hotkeys_changed()

    def external_change(self, library: bool, settings: bool) -> None:
        """Another process changed the library and/or settings (already taken in)."""
        self._changed(Outcome(library=library, settings=settings))

    def _apply_settings_side_effects(self) -> None:
        s = self.ws.settings
        if s.language != self._language:
            self._language = s.language
            if self._on_language_changed is not None:
                self._on_language_changed(s.language)
        if self.autostart is not None:
            try:
                if self.autostart.is_enabled() != s.autostart:
                    self.autostart.set_enabled(s.autostart)
            except AutostartError as exc:
                log.warning("autostart: %s", exc)
                self.general_page.show_autostart_error(
                    self.tr("Start at login could not be changed: {error}").format(error=exc)
                )

    def _sync_autostart_checkbox(self) -> None:
        """Show the real autostart state when the settings file disagrees with it."""
        if self.autostart is None:
            return
        try:
            real = self.autostart.is_enabled()
        except AutostartError:
            return
        if real != self.ws.settings.autostart:
            self.general_page._loading = True
            self.general_page.autostart_check.setChecked(real)
            self.general_page._loading = False

    def _failed(self, message: str) -> None:
        from app.core.messages import localize
        from app.ui.language import current_language

        self.last_error = message
        self.phrases_page.refresh(Outcome(library=True))
        self.prompts.error(
            self,
            self.tr("Not saved"),
            self.tr("The change could not be saved: {error}").format(
                error=localize(message, current_language())
            ),
        )

    # -- navigation -----------------------------------------------------------------------
    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def show_page(self, index: int) -> None:
        self.page_list.setCurrentRow(index)

    def new_phrase(self) -> None:
        self.show_page(PAGE_PHRASES)
        self.phrases_page.new_phrase()

    def focus_filter(self) -> None:
        self.show_page(PAGE_PHRASES)
        self.phrases_page.focus_filter()

    def open_phrase(self, pid: str) -> None:
        self.show_page(PAGE_PHRASES)
        self.phrases_page.select_phrase(pid)

    def closeEvent(self, event: QCloseEvent) -> None:
        editor = self.phrases_page.editor
        if editor.is_dirty() and not editor.save():
            if not self.prompts.confirm(
                self,
                self.tr("Unsaved changes"),
                self.tr("The phrase has errors and cannot be saved. Close and discard them?"),
            ):
                event.ignore()
                return
            editor.revert()
        super().closeEvent(event)


__all__ = [
    "PAGE_APPS",
    "PAGE_GENERAL",
    "PAGE_PHRASES",
    "PAGE_PROFILE",
    "PAGE_STATS",
    "SettingsWindow",
]

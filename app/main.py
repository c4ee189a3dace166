"""The one place that wires core + platform + services + ui together and runs the tray app."""

from __future__ import annotations

import gc
import logging
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from app.core.fsutil import Paths
from app.core.messages import localize, localize_problem
from app.core.workspace import Workspace
from app.platform import relay
from app.services.phrase_use import PhraseUse
from app.services.results import Results
from app.services.team_packs import TeamPacks
from app.ui.hotkey_actions import HotkeyActions
from app.ui.language import current_language
from app.ui.phrase_flow import PhraseFlow
from app.ui.translations import Translations

if TYPE_CHECKING:
    from app.platform.paste import Paster
    from app.ui.data_watcher import DataWatcher
    from app.ui.panel import DockedPanel
    from app.ui.picker import PickerWindow
    from app.ui.settings.window import SettingsWindow

log = logging.getLogger("app.main")
_T0 = time.perf_counter()
SYNC_WAIT_S = 0.2


def tr(text: str, *args: str) -> str:
    """Translate ``text`` and fill its %1, %2... markers with ``args``."""
    out = QCoreApplication.translate("HuashuApp", text)
    for i, arg in reversed(list(enumerate(args, 1))):
        out = out.replace(f"%{i}", arg)
    return out


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(paths: Paths) -> None:
    """Log to ``logs/huashu.log``: appended by a plain file handler until the app is
    ready, then by a rotating one (:func:`rotate_logs`; ``logging.handlers`` and what it
    imports cost ~8 ms of the start-up)."""
    paths.logs.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(paths.logs / "huashu.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def rotate_logs(paths: Paths) -> None:
    """Put a rotating handler (1 MB, 3 old files) in place of :func:`setup_logging`'s."""
    import logging.handlers

    rotating = logging.handlers.RotatingFileHandler(
        paths.logs / "huashu.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    rotating.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    for handler in list(root.handlers):
        if type(handler) is logging.FileHandler and handler.baseFilename == rotating.baseFilename:
            root.removeHandler(handler)
            handler.close()
    root.addHandler(rotating)


# -- the app ------------------------------------------------------------------------------
class HuashuApp(HotkeyActions, QObject):
    """Connects the workspace, the OS backends, the services and the widgets (the hotkey
    methods come from :class:`app.ui.hotkey_actions.HotkeyActions`)."""

    hotkey_fired = Signal(str)  # binding key; emitted from any thread, handled on the GUI one
    suggestions_ready = Signal()  # the ranker's worker thread swapped a new ranker in

    def __init__(self, ws: Workspace, translations: Translations | None = None) -> None:
        super().__init__()
        from app.core.appprofiles import load_profile_set
        from app.platform.foreground import make_foreground
        from app.platform.pipeline import PastePipeline
        from app.platform.window import make_window_info
        from app.ui.backends import make_clipboard
        from app.ui.icons import app_icon
        from app.ui.notifier import Notifier
        from app.ui.panel_controller import PanelController
        from app.ui.picker_controller import PickerController
        from app.ui.team_packs import TeamPacksController
        from app.ui.tray import TrayController

        self.ws = ws
        self.translations = translations
        self.paused = False
        self._settings_window: SettingsWindow | None = None
        self._follows_recording = False  # connected to the hotkey fields' recording bus
        self._data_watcher: DataWatcher | None = None
        self._subscriptions_seen: list[str] = list(ws.settings.subscriptions)
        self._recording = False
        self.icon = app_icon()
        QApplication.setWindowIcon(self.icon)

        self.tray = TrayController(self.icon)
        self.notifier = Notifier(self.tray if self.tray.available() else None)
        self.backend_problems: list[str] = []
        self._hotkey_setting = ws.settings.hotkey_backend
        self.hotkeys = self._make_hotkeys(ws.settings.hotkey_backend)
        self.clipboard = make_clipboard(ws.settings.clipboard_backend, self.backend_problems)
        self.foreground = make_foreground()
        self.paster: Paster | None = self._make_paster()
        self.windows, why = make_window_info()
        log.info("window information: %s", why)
        self.profiles, profile_problems = load_profile_set(ws.paths.home)
        for prob in profile_problems:
            self.backend_problems.append(
                tr("A file could not be loaded: %1", localize_problem(prob, current_language()))
            )
        self.pipeline = PastePipeline(
            self.clipboard,
            self.paster,
            restore_delay_ms=ws.settings.restore_delay_ms,
            windows=self.windows,
            profiles=self.profiles,
        )
        self.pipeline.message.connect(self.notifier.info)

        # services (Qt-free) and the controllers that show them
        self.results = Results(ws)
        self.phrase_use = PhraseUse(ws, lambda: self.clipboard.get_text())
        self.flow = PhraseFlow(
            ws,
            self.phrase_use,
            self.pipeline,
            self.notifier,
            self.foreground,
            paster=lambda: self.paster,
            balloons=lambda: self.tray.available() and self.tray.is_visible(),
            picker_visible=lambda: self.pickers.is_visible(),
        )
        self.team_packs = TeamPacksController(TeamPacks(ws), self.notifier, self._library_changed)
        self.panels = PanelController(
            ws,
            self.results,
            self.phrase_use,
            lambda: self.windows,
            self.notifier,
            copied_message=lambda: self.pickers.copied_message(),
            use=lambda phrase_id: self.use_phrase(phrase_id),
        )
        self.pickers = PickerController(
            self.results,
            self.phrase_use,
            self.notifier,
            self.foreground,
            clipboard_text=lambda: self.clipboard.get_text(),
            suggest_hotkey=lambda: self.ws.settings.suggest_hotkey,
            use=lambda phrase_id, delay_ms: self.use_phrase(phrase_id, delay_ms=delay_ms),
            dismissed=self._return_focus,
            suggestions_ready=lambda: self.ws.suggestions_ready,
        )

        self.hotkey_fired.connect(self._on_hotkey)
        self.suggestions_ready.connect(self._suggestions_ready)
        # The ranker's worker thread calls back through a relay ticket, never through this
        # object (app/platform/relay.py): a worker must not hold the app's Qt objects.
        self._suggest_ticket = relay.register(self.suggestions_ready.emit)
        t = self.tray
        t.phrase_chosen.connect(self.use_phrase)
        t.picker_requested.connect(self.open_picker)
        t.panel_requested.connect(self.toggle_panel)
        t.settings_requested.connect(self.open_settings)
        t.shop_selected.connect(self.select_shop)
        t.pause_toggled.connect(self.set_paused)
        t.quit_requested.connect(self.quit)
        t.set_picker_hotkey(ws.settings.picker_hotkey)
        # The tray menu follows every library change the workspace announces (settings
        # window, import, team packs, other processes taken in by sync).
        self._stop_watching_library = ws.watch_library(self._library_announced)
        self.rebuild_menu()

    # -- backends (each falls back and says so once) --------------------------------------
    def _make_paster(self) -> Paster | None:
        from app.ui.backends import make_paster

        return make_paster(self.hotkeys.name, self.backend_problems)

    # -- start-up -------------------------------------------------------------------------
    def start(self) -> None:
        if self.tray.available():
            self.tray.show()
            QTimer.singleShot(500, self._log_tray_geometry)
        else:
            self.notifier.warning(
                tr(
                    "No system tray is available: hotkeys and the picker still work; "
                    "open the picker with %1.",
                    self.ws.settings.picker_hotkey,
                )
            )
        for msg in self.backend_problems:
            self.notifier.warning(msg)
        for prob in self.ws.problems:
            text = localize_problem(prob, current_language())
            self.notifier.error(tr("A file could not be loaded: %1", text))
        self.register_hotkeys()
        self.follow_data_folder()

    def _log_tray_geometry(self) -> None:
        g = self.tray.tray_icon().geometry()
        log.info("tray geometry %d,%d,%d,%d", g.x(), g.y(), g.width(), g.height())

    def warm_up(self) -> None:
        """After start-up, off the ready path: build the search index and the picker,
        follow team packs."""
        # the search index (and pinyin priming) builds on a worker thread: a hotkey that
        # needs it meanwhile waits for it, nothing else does
        self.ws.start_index_build()
        self.picker  # noqa: B018
        # the ranker builds on a worker thread (on first use): hotkeys never wait for it
        self.ws.prepare_suggestions(self._suggest_ticket.post)
        if self.ws.settings.subscriptions:
            self.start_subscriptions()

    def _suggestions_ready(self) -> None:
        """A (re)built ranker was swapped in: show its suggestions where they are waited for."""
        self.pickers.refresh_suggestions()
        self.panels.refresh_suggestions()

    # -- other processes' changes ---------------------------------------------------------
    def follow_data_folder(self) -> None:
        """Take in what the command line or another window writes, without a restart."""
        from app.platform.filesystems import unnotified_reason
        from app.ui.data_watcher import DataWatcher

        if self._data_watcher is None:
            paths = self.ws.paths
            # A short wait for the lock: while another process writes, the GUI stays
            # responsive and the next notification (or poll) tries again.
            self._data_watcher = DataWatcher(
                [paths.home, paths.library],
                lambda: self.ws.sync(timeout=SYNC_WAIT_S),
                unnotified=unnotified_reason,
            )
            self._data_watcher.changed.connect(self._external_change)
        self._data_watcher.start()

    def _external_change(self, changed: set[str]) -> None:
        subs = list(self.ws.settings.subscriptions)
        if subs != self._subscriptions_seen:
            self._subscriptions_seen = subs
            self.start_subscriptions()  # also rebuilds the menu and the hotkeys
        else:
            self._library_changed()
        if "settings" in changed:
            self.tray.set_picker_hotkey(self.ws.settings.picker_hotkey)
        if self._settings_window is not None:
            self._settings_window.external_change("library" in changed, "settings" in changed)

    def start_subscriptions(self) -> None:
        self.team_packs.start()

    def _library_changed(self, *_args: object) -> None:
        self.rebuild_menu()
        self.register_hotkeys()

    def _library_announced(self) -> None:
        if shiboken6.isValid(self) and shiboken6.isValid(self.tray):  # not once they are gone
            self.rebuild_menu()

    # -- picker (app.ui.picker_controller) -----------------------------------------------
    @property
    def picker(self) -> PickerWindow:
        return self.pickers.window

    def open_picker(self) -> None:
        self.pickers.popup()

    def open_suggestions(self) -> None:
        self.pickers.open_suggestions()

    # -- the docked panel -----------------------------------------------------------------
    @property
    def panel(self) -> DockedPanel:
        return self.panels.panel

    def toggle_panel(self) -> None:
        self.panels.toggle()

    # -- using a phrase (app.ui.phrase_flow) ----------------------------------------------
    def use_phrase(self, phrase_id: str, delay_ms: int = 0) -> None:
        self.flow.use_phrase(phrase_id, delay_ms)

    def _remember_target(self) -> None:
        self.flow.remember_target()

    def _return_focus(self) -> None:
        self.flow.return_focus()

    # -- tray -----------------------------------------------------------------------------
    def rebuild_menu(self) -> None:
        prof = self.ws.settings.profile
        self.tray.rebuild(self.results.menu(), prof.shops, prof.shop, self.paused)

    def select_shop(self, shop: str) -> None:
        problem = self.phrase_use.select_shop(shop)
        if problem:
            self.notifier.error(
                tr("The shop could not be saved: %1", localize(problem, current_language()))
            )
        self.rebuild_menu()

    def open_settings(self) -> None:
        try:
            from app.ui.settings.window import SettingsWindow
        except ImportError:
            from PySide6.QtCore import QUrl
            from PySide6.QtGui import QDesktopServices

            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.ws.paths.library)))
            return
        if self._settings_window is None:
            from app.platform.autostart import make_autostart
            from app.platform.pipeline import own_window_ids
            from app.ui.settings.hotkey_edit import recording_bus

            if not self._follows_recording:
                recording_bus().changed.connect(self._hotkey_recording)
                self._follows_recording = True

            self._settings_window = SettingsWindow(
                self.ws,
                on_hotkeys_changed=self._hotkeys_changed,
                on_language_changed=self.change_language,
                autostart=make_autostart(),
                app_profiles=self.profiles,
                windows=self.windows,
                own_windows=own_window_ids,
            )
            self._settings_window.subscriptions_changed.connect(self.start_subscriptions)
        self._settings_window.show()
        self._settings_window.raise_()
        self._settings_window.activateWindow()

    def change_language(self, setting: str) -> None:
        if self.translations is not None:
            self.translations.apply(setting)
        self.rebuild_menu()
        self.pickers.retranslate()

    def quit(self) -> None:
        self._stop_watching_library()
        if self._follows_recording:  # the bus is process-wide: a closed app must not answer
            from app.ui.settings.hotkey_edit import recording_bus

            recording_bus().changed.disconnect(self._hotkey_recording)
            self._follows_recording = False
        self.pipeline.flush_restore()  # give the user's clipboard back before leaving
        if self._data_watcher is not None:
            self._data_watcher.stop()
        self.team_packs.stop()
        self._suggest_ticket.cancel()
        self.panels.undock()
        self.windows.close()
        self.hotkeys.close()
        self.ws.close()
        QApplication.quit()


def end_start_up_pause() -> bool:
    """Once ready: if the launcher paused the cycle collector for start-up (app/launch.py),
    freeze what start-up made and let the collector run again; whether it was paused.

    Modules, Qt and the library live as long as the app: frozen, the collector never walks
    them again (100k phrases: ~0.5 s of collections before ready, and a walk over them in
    every later full collection). A cycle left over from start-up stays in memory, which
    is nothing beside what start-up keeps anyway.
    """
    if gc.isenabled():
        return False
    gc.freeze()
    gc.enable()
    return True


def run(argv: Sequence[str] = ()) -> int:
    from app.platform.display import display_problem

    problem = display_problem()
    if problem:  # printed in a terminal: in its language, as the command line does
        from app.core.language import EN, pick_language
        from app.platform.syslocale import system_locale

        lang = pick_language("auto", system_locale(), unknown=EN)
        print(f"huashu: {localize(problem, lang)}", file=sys.stderr)
        return 1
    paths = Paths.default()
    paths.home.mkdir(parents=True, exist_ok=True)
    setup_logging(paths)
    from app.platform.inputmethod import configure
    from app.ui.qtcompat import keep_none_alive

    im_problem = configure()  # before the QApplication: Qt picks its input method at start
    keep_none_alive()  # PySide6 on CPython < 3.12 (app/ui/qtcompat.py)
    app = QApplication([sys.argv[0], *argv])
    app.setApplicationName("Huashu")
    app.setQuitOnLastWindowClosed(False)

    from app.ui.backends import warn_input_method_once
    from app.ui.single_instance import SingleInstanceServer, ask_running_instance, server_name

    name = server_name(paths)
    if ask_running_instance(name):
        print("huashu: already running; opened its picker", flush=True)
        return 0
    server = SingleInstanceServer(name)
    server.listen()

    ws = Workspace.open(paths)
    translations = Translations(app)
    translations.apply(ws.settings.language)
    huashu = HuashuApp(ws, translations)
    warn_input_method_once(ws.paths.home, huashu.backend_problems, im_problem)
    server.command.connect(lambda cmd: huashu.open_picker() if cmd == "picker" else None)
    huashu.start()
    end_start_up_pause()
    elapsed = time.perf_counter() - _T0
    log.info("ready in %.3f s", elapsed)
    print(f"huashu: ready ({elapsed:.3f} s)", flush=True)
    QTimer.singleShot(0, huashu.warm_up)
    QTimer.singleShot(0, lambda: rotate_logs(paths))
    code = app.exec()
    server.close()
    return code

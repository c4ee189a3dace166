"""The one place that wires core + platform + ui together and runs the tray app."""

from __future__ import annotations

import functools
import hashlib
import logging
import logging.handlers
import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QLocale,
    QObject,
    Qt,
    QTimer,
    QTranslator,
    Signal,
)
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.datafiles import data_files
from app.core.fsutil import Paths
from app.core.messages import localize, localize_problem
from app.core.model import Phrase
from app.core.workspace import Workspace
from app.ui.language import current_language

if TYPE_CHECKING:
    from app.core.subscriptions import RefreshResult
    from app.core.template import Field
    from app.platform.clipboard import Clipboard
    from app.platform.hotkeys import HotkeyBackend
    from app.platform.paste import Paster
    from app.ui.data_watcher import DataWatcher
    from app.ui.fillin import FillInDialog
    from app.ui.panel import DockedPanel
    from app.ui.picker import PickerItem, PickerWindow
    from app.ui.settings.window import SettingsWindow
    from app.ui.subscription_watcher import SubscriptionWatcher
    from app.ui.tray import CategoryMenu

log = logging.getLogger("app.main")
_T0 = time.perf_counter()
# After our own window (picker, fill-in form) hides, the window manager needs a moment to
# give focus back to the chat window before the paste keystroke is sent.
FOCUS_RETURN_MS = 60
SYNC_WAIT_S = 0.2


def _windows() -> bool:
    return sys.platform == "win32"


SUGGEST_LIMIT = 9  # suggestions listed for a sentence (one screen of the picker)
SUGGEST_MAX_CHARS = 300  # of a copied message


def tr(text: str, *args: str) -> str:
    """Translate ``text`` and fill its %1, %2... markers with ``args``."""
    out = QCoreApplication.translate("HuashuApp", text)
    for i, arg in reversed(list(enumerate(args, 1))):
        out = out.replace(f"%{i}", arg)
    return out


# -- logging, single instance, translations ---------------------------------------------
def setup_logging(paths: Paths) -> None:
    paths.logs.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        paths.logs / "huashu.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def server_name(paths: Paths) -> str:
    digest = hashlib.sha1(str(paths.home.resolve()).encode("utf-8")).hexdigest()[:12]
    return f"huashu-{digest}"


def ask_running_instance(name: str, message: str = "picker") -> bool:
    """True when another Huashu answered (and was asked to open its picker)."""
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(300):
        return False
    sock.write(message.encode("utf-8") + b"\n")
    sock.flush()
    sock.waitForBytesWritten(300)
    sock.disconnectFromServer()
    return True


#: Locale names that say nothing about the user's language (no LANG, LANG=C, POSIX).
UNKNOWN_LOCALES = ("", "C", "POSIX")


def pick_language(setting: str, system_locale: str | None = None) -> str:
    """The UI language for the ``language`` setting: an explicit choice wins; ``auto``
    follows the system locale (``system_locale``, default Qt's), and is Chinese, the
    language of our users, when the locale is unknown (C, POSIX, unset)."""
    if setting in ("zh_CN", "en"):
        return setting
    name = QLocale.system().name() if system_locale is None else system_locale
    if name.split(".")[0] in UNKNOWN_LOCALES or name.startswith("zh"):
        return "zh_CN"
    return "en"


class Translations:
    """Installs the app's (and Qt's own) zh_CN translators; switchable at run time."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.installed: list[QTranslator] = []
        self.language = "en"
        self._qm_data = b""

    def apply(self, setting: str) -> str:
        from PySide6.QtCore import QLibraryInfo

        for t in self.installed:
            self.app.removeTranslator(t)
        self.installed.clear()
        self.language = pick_language(setting)
        self.app.setProperty("huashu_language", self.language)
        if self.language == "zh_CN":
            ours = QTranslator(self.app)
            qm = data_files("resources") / "translations" / "huashu_zh_CN.qm"
            # QTranslator.load(data) does not copy: keep the bytes alive with the translator.
            self._qm_data = qm.read_bytes() if qm.is_file() else b""
            if self._qm_data and ours.load(self._qm_data):
                self.app.installTranslator(ours)
                self.installed.append(ours)
            else:
                log.warning("zh_CN translation not found at %s", qm)
            qt = QTranslator(self.app)
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if qt.load("qtbase_zh_CN", qt_dir):
                self.app.installTranslator(qt)
                self.installed.append(qt)
        return self.language


# -- the app ------------------------------------------------------------------------------
class HuashuApp(QObject):
    """Connects the workspace, the OS backends and the widgets."""

    hotkey_fired = Signal(str)  # binding key; emitted from any thread, handled on the GUI one

    def __init__(self, ws: Workspace, translations: Translations | None = None) -> None:
        super().__init__()
        from app.platform.foreground import make_foreground
        from app.platform.pipeline import PastePipeline
        from app.ui.icons import app_icon
        from app.ui.notifier import Notifier
        from app.ui.tray import TrayController

        self.ws = ws
        self.translations = translations
        self.paused = False
        self._fillin: FillInDialog | None = None
        self._target_window: int | None = None
        self._settings_window: SettingsWindow | None = None
        self._watcher: SubscriptionWatcher | None = None
        self._data_watcher: DataWatcher | None = None
        self._subscriptions_seen: list[str] = list(ws.settings.subscriptions)
        self._accept_shrink: set[str] = set()
        self.shrink_box: QMessageBox | None = None
        self._recent_warned = False
        self._recording = False
        self.icon = app_icon()
        QApplication.setWindowIcon(self.icon)

        self.tray = TrayController(self.icon)
        self.notifier = Notifier(self.tray if self.tray.available() else None)
        self.backend_problems: list[str] = []
        self._hotkey_setting = ws.settings.hotkey_backend
        self.hotkeys = self._make_hotkeys(ws.settings.hotkey_backend)
        self.clipboard = self._make_clipboard(ws.settings.clipboard_backend)
        self.foreground = make_foreground()
        self.paster: Paster | None = self._make_paster()
        from app.core.appprofiles import load_profile_set
        from app.platform.window import make_window_info

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
        # Warnings raised while a reply is on its way wait for it when they would open a
        # window (no tray): a window taking the focus would catch the paste.
        self._after_paste: list[str] = []
        self.pipeline.done.connect(self._flush_after_paste)
        self.pipeline.failed.connect(self._flush_after_paste)
        self.pipeline.delivered.connect(self._delivered)
        self._picker: PickerWindow | None = None
        self._panel: DockedPanel | None = None
        self._panel_message = ""  # the copied message the panel's suggestions answer

        self.hotkey_fired.connect(self._on_hotkey)
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
        # window, import, subscriptions, other processes taken in by sync).
        self._stop_watching_library = ws.watch_library(self._library_announced)
        self.rebuild_menu()

    # -- backends (each falls back and says so once) --------------------------------------
    def _make_hotkeys(self, preference: str) -> HotkeyBackend:
        from app.platform.factory import make_hotkey_backend
        from app.platform.hotkeys import HotkeyBackendError, NoHotkeys

        try:
            backend, why = make_hotkey_backend(preference)
            log.info("hotkey backend: %s (%s)", backend.name, why)
            return backend
        except HotkeyBackendError as exc:
            if preference != "auto":
                self.backend_problems.append(
                    tr(
                        "The hotkey backend %1 does not work here (%2); using automatic choice.",
                        preference,
                        str(exc),
                    )
                )
                return self._make_hotkeys("auto")
            self.backend_problems.append(
                tr(
                    "Global hotkeys are not available (%1). Use the picker from the tray menu.",
                    str(exc),
                )
            )
            return NoHotkeys()

    def _make_paster(self) -> Paster | None:
        """The paste backend that suits the hotkey backend: with the ``keyboard`` hook on
        Windows, its own paster (the hook hides held keys from ``GetAsyncKeyState``)."""
        from app.platform.paste import PasteError, make_paster

        preference = "keyboard" if self.hotkeys.name == "keyboard" and _windows() else "auto"
        try:
            paster, why = make_paster(preference)
        except PasteError as exc:
            self.backend_problems.append(
                tr(
                    "Huashu cannot send keystrokes here (%1): replies are copied; paste them "
                    "with Ctrl+V.",
                    str(exc),
                )
            )
            return None
        log.info("paste backend: %s (%s)", paster.name, why)
        return paster

    def _make_clipboard(self, preference: str) -> Clipboard:
        from app.platform.clipboard import ClipboardError, make_clipboard

        try:
            clipboard, why = make_clipboard(preference)
        except ClipboardError as exc:
            if preference == "auto":
                raise  # the Qt clipboard always works inside a running QApplication
            self.backend_problems.append(
                tr(
                    "The clipboard backend %1 does not work here (%2); using the Qt clipboard.",
                    preference,
                    str(exc),
                )
            )
            clipboard, why = make_clipboard("auto")
        log.info("clipboard backend: %s (%s)", clipboard.name, why)
        return clipboard

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

    # -- other processes' changes ---------------------------------------------------------
    def follow_data_folder(self) -> None:
        """Take in what the command line or another window writes, without a restart."""
        from app.ui.data_watcher import DataWatcher

        if self._data_watcher is None:
            paths = self.ws.paths
            # A short wait for the lock: while another process writes, the GUI stays
            # responsive and the next notification (or poll) tries again.
            self._data_watcher = DataWatcher(
                [paths.home, paths.library], lambda: self.ws.sync(timeout=SYNC_WAIT_S)
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

    def _log_tray_geometry(self) -> None:
        g = self.tray.tray_icon().geometry()
        log.info("tray geometry %d,%d,%d,%d", g.x(), g.y(), g.width(), g.height())

    @property
    def picker(self) -> PickerWindow:
        if self._picker is None:
            from app.ui.picker import PickerWindow

            self._picker = PickerWindow(
                self.search_items,
                bring_to_front=self.foreground.bring_to_front,
                empty_text=self._picker_empty_text,
            )
            self._picker.chosen.connect(self._use_from_picker)
            self._picker.dismissed.connect(self._return_focus)
        return self._picker

    def warm_up(self) -> None:
        """After start-up, off the ready path: build the search index and the picker,
        follow team packs."""
        self.ws.index  # noqa: B018
        self.picker  # noqa: B018
        if self.ws.settings.subscriptions:
            self.start_subscriptions()

    def start_subscriptions(self) -> None:
        """Watch subscribed pack files (only when there are any: no idle timer otherwise)."""
        from app.ui.subscription_watcher import SubscriptionWatcher

        self._library_changed()
        if not self.ws.settings.subscriptions:
            if self._watcher is not None:
                self._watcher.stop()
            return
        if self._watcher is None:
            from app.core.subscriptions import fetch

            self._watcher = SubscriptionWatcher(
                lambda: list(self.ws.settings.subscriptions),
                self._refresh_subscription,
                fetch=fetch,  # read off the GUI thread, with a timeout
            )
            self._watcher.summary.connect(self.notifier.info)
            self._watcher.changed.connect(self._subscriptions_refreshed)
        self._watcher.start()
        self._watcher.check_now(True)

    def _refresh_subscription(self, path: str, fetched: object = None) -> RefreshResult:
        from app.core.packs import Pack, PackError
        from app.core.subscriptions import refresh

        allow = path in self._accept_shrink
        self._accept_shrink.discard(path)
        got = fetched if isinstance(fetched, (Pack, PackError)) else None
        if fetched is not None and got is None:
            got = PackError([])  # an unexpected failure of the reader thread
        return refresh(self.ws, path, fetched=got, allow_shrink=allow)

    def _subscriptions_refreshed(self, results: list[RefreshResult]) -> None:
        self.register_hotkeys()  # the menu follows the workspace's change event
        for r in results:
            if r.held:
                self.ask_accept_shrink(r)

    def ask_accept_shrink(self, r: RefreshResult) -> None:
        """A team pack's new version removes more than half of it: ask before using it."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("Team pack changed a lot"),
            tr(
                "The new version of the team pack %1 removes %2 of its %3 phrases. "
                "Use the new version? Until you accept, Huashu keeps the last good copy.",
                r.name or os.path.basename(r.path),
                str(r.removed),
                str(r.total),
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        path = r.path

        def answered(code: int) -> None:
            # no reference to the box in here: a closure holding it would outlive it
            done, self.shrink_box = self.shrink_box, None
            if done is not None:
                done.deleteLater()
            if code == QMessageBox.StandardButton.Yes.value and self._watcher is not None:
                self._accept_shrink.add(path)
                self._watcher.check_now(True)

        box.finished.connect(answered)
        self.shrink_box = box
        box.open()

    def _library_changed(self, *_args: object) -> None:
        self.rebuild_menu()
        self.register_hotkeys()

    def _library_announced(self) -> None:
        if shiboken6.isValid(self) and shiboken6.isValid(self.tray):  # not once they are gone
            self.rebuild_menu()

    def open_import(self) -> None:
        from app.ui.import_dialog import ImportDialog

        dialog = ImportDialog(self.ws)
        dialog.imported.connect(lambda _result: self.register_hotkeys())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    # -- hotkeys --------------------------------------------------------------------------
    def register_hotkeys(self, *, report: bool = True) -> list[str]:
        """(Re-)register every binding; report each problem once; return them."""
        from app.platform.hotkeys import HotkeyError, normalise_hotkey

        problems: list[str] = []
        self.hotkeys.unregister_all()
        if self._recording:
            return problems  # a hotkey field is recording: grabs come back when it is done
        seen: dict[str, str] = {}
        s = self.ws.settings
        entries: list[tuple[str, str, str]] = [
            (s.picker_hotkey, "picker", tr("the picker")),
            (s.pause_hotkey, "pause", tr("pause/resume")),
            (s.suggest_hotkey, "suggest", tr("suggestions for the copied message")),
            (s.panel_hotkey, "panel", tr("the docked panel")),
        ]
        if self.paused:  # only the pause key stays ours; the others go back to other apps
            entries = [e for e in entries if e[1] == "pause"]
        else:
            entries += [
                (p.hotkey, f"phrase:{p.id}", f"“{p.title}”") for p in self.ws.library.phrases
            ]
        for raw, action, label in entries:
            if not raw:
                continue
            try:
                key = normalise_hotkey(raw)
            except HotkeyError as exc:
                problems.append(tr("Invalid hotkey %1 for %2: %3", raw, label, str(exc)))
                continue
            if key in seen:
                problems.append(
                    tr(
                        "Hotkey %1 is bound twice: %2 and %3; only the first works.",
                        key,
                        seen[key],
                        label,
                    )
                )
                continue
            seen[key] = label
            try:
                self.hotkeys.register(key, functools.partial(self.hotkey_fired.emit, action))
            except HotkeyError as exc:
                problems.append(tr("Hotkey %1 for %2 cannot be used: %3", key, label, str(exc)))
        if report:
            for msg in problems:
                self.notifier.warning(msg)
        return problems

    def _hotkey_recording(self, active: bool) -> None:
        """A settings hotkey field took (True) or left (False) the keyboard focus."""
        self._recording = active
        self.register_hotkeys(report=False)

    def _on_hotkey(self, action: str) -> None:
        if action == "pause":
            self.set_paused(not self.paused)
            return
        if self.paused:
            return
        self._remember_target()
        if action == "picker":
            self.open_picker()
        elif action == "suggest":
            self.open_suggestions()
        elif action == "panel":
            self.toggle_panel()
        elif action.startswith("phrase:"):
            self.use_phrase(action[len("phrase:") :])

    def set_paused(self, paused: bool) -> None:
        """Pause: release every hotkey but the pause key itself, so it can resume."""
        self.paused = paused
        self.register_hotkeys()
        self.rebuild_menu()
        self.notifier.info(tr("Hotkeys paused.") if paused else tr("Hotkeys resumed."))

    # -- picker ---------------------------------------------------------------------------
    def search_items(self, query: str, limit: int) -> list[PickerItem]:
        """The picker's results: a query that reads like a customer's sentence is ranked by
        the suggestion ranker (exact title/body matches of the search still count when it
        finds nothing fitting); codes, pinyin and short text go to the search."""
        ranked: list[tuple[Phrase, str]] = []
        if self._reads_like_sentence(query):
            result = self.ws.suggest(query, min(limit, SUGGEST_LIMIT))
            ranked = [(s.phrase, s.why) for s in result.suggestions]
            if result.nothing_fits:
                ranked = [
                    (h.phrase, "")
                    for h in self.ws.search(query, limit)
                    if h.reason in ("code", "code-prefix", "substring")
                ]
        else:
            ranked = [(h.phrase, "") for h in self.ws.search(query, limit)]
        ctx = self.ws.context()  # no clipboard read while typing
        return [self._picker_item(p, ctx, why) for p, why in ranked]

    def _picker_item(self, p: Phrase, ctx: object, why: str = "") -> PickerItem:
        from app.core.template import render_preview
        from app.ui.picker import PickerItem

        findings = self.ws.linter.check_phrase(p)
        warning = "; ".join(f"“{f.word}”: {f.reason}" for f in findings[:3])
        return PickerItem(
            phrase_id=p.id,
            title=p.title,
            category=self.ws.library.category_path(p.category),
            code=p.code,
            preview=" ".join(render_preview(p.body, ctx).text.split()),  # type: ignore[arg-type]
            warning=warning,
            why=why,
        )

    @staticmethod
    def _reads_like_sentence(query: str) -> bool:
        if len(query) < 2 or query.isascii():
            return False  # codes and pinyin never load the ranker
        from app.core.suggest_query import looks_like_sentence  # tiny; the ranker is not

        return looks_like_sentence(query)

    def _picker_empty_text(self, query: str) -> str:
        if self._reads_like_sentence(query):
            return tr("Nothing fits this message")
        return ""

    def open_picker(self) -> None:
        self.picker.popup()

    # -- the docked panel -----------------------------------------------------------------
    @property
    def panel(self) -> DockedPanel:
        if self._panel is None:
            from app.core.appprofiles import load_layouts, save_layouts
            from app.platform.pipeline import own_window_ids
            from app.ui.panel import DockedPanel

            home = self.ws.paths.home
            self._panel = DockedPanel(
                self.windows,
                self.panel_categories,
                self.panel_phrases,
                layouts=load_layouts(home),
                save_layouts=lambda layouts: save_layouts(home, layouts),
                own_windows=own_window_ids,
            )
            self._panel.suggest = self.panel_suggestions
            self._panel.chosen.connect(self._use_from_panel)
            self._panel.message.connect(self.notifier.info)
        return self._panel

    def _copied_message(self) -> str:
        """The customer's message the agent copied (one line, capped), or ""."""
        try:
            text = self.clipboard.get_text()
        except Exception:
            log.exception("cannot read the clipboard for suggestions")
            return ""
        return " ".join(text.split())[:SUGGEST_MAX_CHARS]

    def panel_suggestions(self) -> list[PickerItem]:
        """The panel's "Suggested" rows: replies to the copied customer message."""
        message = self._copied_message()
        if not self._reads_like_sentence(message):
            self._panel_message = ""
            return []
        self._panel_message = message
        ctx = self.ws.context()
        result = self.ws.suggest(message, SUGGEST_LIMIT)
        return [self._picker_item(s.phrase, ctx, s.why) for s in result.suggestions]

    def _use_from_panel(self, phrase_id: str) -> None:
        from app.ui.panel import SUGGESTED

        panel = self._panel
        if panel is not None and panel.current_category() == SUGGESTED and self._panel_message:
            try:
                self.ws.learn(self._panel_message, phrase_id)  # this reply answers it
            except Exception:
                log.exception("could not learn from the choice of %s", phrase_id)
        self.use_phrase(phrase_id)

    def toggle_panel(self) -> None:
        self.panel.toggle()

    def panel_categories(self) -> list[tuple[str, str]]:
        lib = self.ws.library
        out: list[tuple[str, str]] = []
        for top in lib.top_categories():
            out.append((top.id, top.name))
            out += [(child.id, f"    {child.name}") for child in lib.children(top.id)]
        return out

    def panel_phrases(self, category_id: str, query: str) -> list[PickerItem]:
        if query or not category_id:
            return self.search_items(query, 200)
        lib = self.ws.library
        wanted = {category_id, *(c.id for c in lib.children(category_id))}
        ctx = self.ws.context()
        return [self._picker_item(p, ctx) for p in lib.phrases if p.category in wanted]

    # -- the window the reply goes to -----------------------------------------------------
    def _remember_target(self) -> None:
        """Note the window the agent works in (the hotkey just came from it), to give it
        the keyboard back after the picker or the fill-in form closed: Windows (and Wine)
        may otherwise leave no window, or another one, in front."""
        from app.platform.paste import FOCUS_UNKNOWN
        from app.platform.pipeline import own_window_ids

        self._target_window = None
        if self.paster is None:
            return
        try:
            window = self.paster.focused_window()
        except Exception:
            log.debug("cannot tell the focused window", exc_info=True)
            return
        if window is not None and window != FOCUS_UNKNOWN and window not in own_window_ids():
            self._target_window = window

    def _return_focus(self) -> None:
        target, self._target_window = self._target_window, None
        if target is not None:
            self.foreground.bring_to_front(target)

    def open_suggestions(self) -> None:
        """The suggest hotkey: the customer's message, copied, opens the picker with the
        phrases that answer it."""
        message = self._copied_message()
        if not message:
            self.notifier.info(
                tr(
                    "Copy the customer's message first, then press %1.",
                    self.ws.settings.suggest_hotkey,
                )
            )
        self.picker.popup(message)

    # -- using a phrase -------------------------------------------------------------------
    def _use_from_picker(self, phrase_id: str) -> None:
        query = self._picker.query() if self._picker is not None else ""
        if self._reads_like_sentence(query):
            try:
                self.ws.learn(query, phrase_id)  # this message is answered by this phrase
            except Exception:
                log.exception("could not learn from the choice of %s", phrase_id)
        self.use_phrase(phrase_id, delay_ms=FOCUS_RETURN_MS)

    def _warn_around_paste(self, text: str) -> None:
        if self.tray.available() and self.tray.is_visible():
            self.notifier.warning(text)  # a balloon never takes the focus
        else:
            self._after_paste.append(text)

    def _flush_after_paste(self, *_args: object) -> None:
        pending, self._after_paste = self._after_paste, []
        for text in pending:
            self.notifier.warning(text)

    def _save_recent_values(self) -> None:
        """Best-effort: a full disk or a read-only settings.toml costs one warning."""
        if not self.ws.settings_ok:
            return
        try:
            self.ws.save_settings()
        except Exception as exc:
            log.warning("recent values not saved: %s", exc)
            if not self._recent_warned:
                self._recent_warned = True
                self._warn_around_paste(
                    tr(
                        "Recent fill-in values could not be saved (%1); replies still work.",
                        localize(str(exc), current_language()),
                    )
                )

    def use_phrase(self, phrase_id: str, delay_ms: int = 0) -> None:
        phrase = self.ws.library.phrase(phrase_id)
        if phrase is None:
            self.notifier.warning(tr("That phrase no longer exists."))
            return
        empty = self.ws.empty_profile_values(phrase)
        if empty:
            self._warn_around_paste(
                tr(
                    "This reply uses %1, which is empty in your profile; set it in "
                    "Settings > Profile.",
                    "、".join(empty),
                )
            )
        from app.core.template import fields_needed

        fields = fields_needed(phrase.body)
        if not fields:
            self._paste(phrase, {}, delay_ms)
            return
        if delay_ms > 0:
            # Right after the picker closed: let the chat window take the focus back first,
            # then open the form from a fresh event. Activated from the picker's own key
            # event, the form was the foreground window under Wine while the X keyboard
            # focus stayed with the chat window (Wine ignores a focus request that is
            # older than the last focus change).
            QTimer.singleShot(delay_ms, lambda: self._open_fillin(phrase, fields))
            return
        self._open_fillin(phrase, fields)

    def _open_fillin(self, phrase: Phrase, fields: list[Field]) -> None:
        from app.core.template import render_preview
        from app.ui.fillin import FillInDialog, remember

        ctx = self.ws.context(self.clipboard.get_text)
        dialog = FillInDialog(
            phrase.title,
            fields,
            lambda values: render_preview(phrase.body, ctx, values).text,
            self.ws.settings.recent_values,
            bring_to_front=self.foreground.bring_to_front,
        )
        self._fillin = dialog

        def submitted(values: dict[str, str]) -> None:
            self.ws.settings.recent_values = remember(self.ws.settings.recent_values, values)
            self._paste(phrase, values, delay_ms=FOCUS_RETURN_MS)
            self._save_recent_values()

        dialog.submitted.connect(submitted)
        dialog.rejected.connect(self._return_focus)
        dialog.open()
        dialog.raise_()
        dialog.activateWindow()

    def _paste(self, phrase: Phrase, values: dict[str, str], delay_ms: int = 0) -> None:
        from app.core.template import render

        ctx = self.ws.context(self.clipboard.get_text)
        rendered = render(phrase.body, ctx, values)
        self._return_focus()
        self.pipeline.restore_delay_ms = self.ws.settings.restore_delay_ms
        picker_open = self._picker is not None and self._picker.isVisible()
        if picker_open or QApplication.activePopupWidget() is not None:
            delay_ms = max(delay_ms, FOCUS_RETURN_MS)
        flagged = bool(self.ws.linter.check_text(rendered.text, phrase.id))
        self.pipeline.run(
            rendered.text,
            rendered.cursor,
            self.ws.settings.paste_mode,
            delay_ms=delay_ms,
            tag=phrase.id,
            flagged=flagged,
        )
        log.info("using phrase %s (%s)", phrase.id, self.ws.settings.paste_mode)

    def _delivered(self, phrase_id: str, how: str) -> None:
        """The reply reached the chat window (not a fallback to copy): count the use."""
        if not phrase_id:
            return
        problem = self.ws.record_use(phrase_id)  # best-effort; warns once
        if problem:
            self._warn_around_paste(
                tr(
                    "Use counts could not be saved (%1); replies still work.",
                    localize(problem, current_language()),
                )
            )

    # -- tray -----------------------------------------------------------------------------
    def rebuild_menu(self) -> None:
        lib = self.ws.library

        def entries(category_id: str) -> list[tuple[str, str]]:
            return [
                (p.id, f"{p.title}  [{p.code}]" if p.code else p.title)
                for p in lib.phrases
                if p.category == category_id
            ]

        menus: list[CategoryMenu] = []
        for top in lib.top_categories():
            children = [(c.name, entries(c.id)) for c in lib.children(top.id)]
            menus.append((top.name, entries(top.id), [c for c in children if c[1]]))
        prof = self.ws.settings.profile
        self.tray.rebuild(menus, prof.shops, prof.shop, self.paused)

    def select_shop(self, shop: str) -> None:
        self.ws.settings.profile.set_shop(shop)
        if self.ws.settings_ok:
            try:
                self.ws.save_settings()
            except Exception as exc:
                log.warning("shop not saved: %s", exc)
                self.notifier.error(
                    tr("The shop could not be saved: %1", localize(str(exc), current_language()))
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

            recording_bus().changed.connect(self._hotkey_recording)

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

    def _hotkeys_changed(self) -> None:
        if self.ws.settings.hotkey_backend != self._hotkey_setting:
            # Another backend was chosen in the settings: switch now, no restart needed.
            self._hotkey_setting = self.ws.settings.hotkey_backend
            self.hotkeys.close()
            self.backend_problems.clear()
            self.hotkeys = self._make_hotkeys(self.ws.settings.hotkey_backend)
            if _windows():  # the keyboard hook and RegisterHotKey want different pasters
                if self.paster is not None:
                    self.paster.close()
                self.paster = self._make_paster()
                self.pipeline.set_paster(self.paster)
            for msg in self.backend_problems:
                self.notifier.warning(msg)
        self.register_hotkeys()
        self.tray.set_picker_hotkey(self.ws.settings.picker_hotkey)

    def change_language(self, setting: str) -> None:
        if self.translations is not None:
            self.translations.apply(setting)
        self.rebuild_menu()
        if self._picker is not None:  # its texts are set once: build it again, translated
            self._picker.deleteLater()
            self._picker = None
            QTimer.singleShot(0, lambda: self.picker)

    def quit(self) -> None:
        self._stop_watching_library()
        self.pipeline.flush_restore()  # give the user's clipboard back before leaving
        if self._data_watcher is not None:
            self._data_watcher.stop()
        if self._panel is not None:
            self._panel.undock()
        self.windows.close()
        self.hotkeys.close()
        self.ws.close()
        QApplication.quit()


def display_problem(env: dict[str, str] | None = None, platform: str = sys.platform) -> str:
    """Why the tray app cannot start here (no display), or "" when it can."""
    env = dict(os.environ) if env is None else env
    if platform in ("win32", "darwin", "cygwin"):
        return ""
    qpa = env.get("QT_QPA_PLATFORM", "")
    if qpa and not qpa.startswith(("xcb", "wayland")):
        return ""  # offscreen, vnc, eglfs...: the user chose a platform without a display
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return ""
    return (
        "no display: DISPLAY is not set, so the tray app cannot start; run it in a desktop "
        "session, or use the command line (huashu --help)"
    )


IM_NOTICE_FILE = "input-method-notice-shown"


def warn_input_method_once(huashu: HuashuApp, problem: str | None) -> bool:
    """Tell the user (once per Huashu folder) that Chinese cannot be typed in our windows."""
    marker = huashu.ws.paths.home / IM_NOTICE_FILE
    if not problem or marker.exists():
        return False
    huashu.backend_problems.append(
        tr(
            "Chinese input may not work in Huashu's own windows (picker, fill-in form): %1. "
            "Replies are still pasted; type Chinese fill-in values elsewhere and paste them.",
            problem,
        )
    )
    try:
        marker.write_text(problem + "\n", encoding="utf-8")
    except OSError:
        log.warning("could not write %s", marker)
    return True


def run(argv: Sequence[str] = ()) -> int:
    problem = display_problem()
    if problem:
        lang = "zh_CN" if os.environ.get("LANG", "").startswith("zh") else "en"
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

    name = server_name(paths)
    if ask_running_instance(name):
        print("huashu: already running; opened its picker", flush=True)
        return 0
    server = QLocalServer()
    QLocalServer.removeServer(name)
    if not server.listen(name):
        log.warning("single-instance server not listening: %s", server.errorString())

    ws = Workspace.open(paths)
    translations = Translations(app)
    translations.apply(ws.settings.language)
    huashu = HuashuApp(ws, translations)
    warn_input_method_once(huashu, im_problem)

    def on_connection() -> None:
        sock = server.nextPendingConnection()
        if sock is None:
            return

        def read() -> None:
            if bytes(sock.readAll().data()).strip() == b"picker":
                huashu.open_picker()

        sock.readyRead.connect(read)
        sock.disconnected.connect(sock.deleteLater)

    server.newConnection.connect(on_connection)
    huashu.start()
    elapsed = time.perf_counter() - _T0
    log.info("ready in %.3f s", elapsed)
    print(f"huashu: ready ({elapsed:.3f} s)", flush=True)
    QTimer.singleShot(0, huashu.warm_up)
    code = app.exec()
    server.close()
    return code

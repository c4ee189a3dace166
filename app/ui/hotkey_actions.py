"""The tray app's hotkeys: choosing the backend, registering every binding, acting on a
press, pausing, and following the settings. A mixin of :class:`app.main.HuashuApp`: the
methods use the app's workspace, backends, notifier and tray (declared below for the
type checker), and live here as one block so the hotkey work can change them together.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from app.core.workspace import Workspace
    from app.platform.hotkeys import HotkeyBackend
    from app.platform.paste import Paster
    from app.platform.pipeline import PastePipeline
    from app.ui.notifier import Notifier
    from app.ui.tray import TrayController

log = logging.getLogger("app.main")


def _windows() -> bool:
    return sys.platform == "win32"


def tr(text: str, *args: str) -> str:
    """Translate ``text`` and fill its %1, %2... markers with ``args``."""
    out = QCoreApplication.translate("HuashuApp", text)
    for i, arg in reversed(list(enumerate(args, 1))):
        out = out.replace(f"%{i}", arg)
    return out


class HotkeyActions:
    if TYPE_CHECKING:  # provided by HuashuApp
        ws: Workspace
        hotkeys: HotkeyBackend
        paster: Paster | None
        pipeline: PastePipeline
        notifier: Notifier
        tray: TrayController
        backend_problems: list[str]
        paused: bool
        _recording: bool
        _hotkey_setting: str
        hotkey_fired: SignalInstance

        def _make_paster(self) -> Paster | None: ...
        def _remember_target(self) -> None: ...
        def open_picker(self) -> None: ...
        def open_suggestions(self) -> None: ...
        def toggle_panel(self) -> None: ...
        def use_phrase(self, phrase_id: str, delay_ms: int = 0) -> None: ...
        def rebuild_menu(self) -> None: ...

    def _make_hotkeys(self, preference: str) -> HotkeyBackend:
        from app.platform.factory import make_hotkey_backend
        from app.platform.hotkeys import HotkeyBackendError, NoHotkeys

        try:
            backend, why = make_hotkey_backend(preference)
            log.info("hotkey backend: %s (%s)", backend.name, why)
            backend.activated.connect(self.hotkey_fired)
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
            none = NoHotkeys()
            none.activated.connect(self.hotkey_fired)
            return none

    # -- hotkeys --------------------------------------------------------------------------
    def register_hotkeys(self, *, report: bool = True) -> list[str]:
        """Hand the whole binding table to the backend; report each problem once; return
        them (translated)."""
        from app.core.hotkeys import Binding
        from app.core.settings import APP_HOTKEYS, app_hotkey
        from app.ui.settings.hotkey_edit import problem_text

        labels = {
            "picker": tr("the picker"),
            "pause": tr("pause/resume"),
            "suggest": tr("suggestions for the copied message"),
            "panel": tr("the docked panel"),
        }
        table = [Binding(app_hotkey(self.ws.settings, a), a) for a in APP_HOTKEYS]
        for p in self.ws.library.phrases:
            if p.hotkey.strip():  # most phrases have none (and an empty one binds nothing)
                table.append(Binding(p.hotkey, f"phrase:{p.id}"))
                labels[f"phrase:{p.id}"] = f"“{p.title}”"
        found = self.hotkeys.apply(table, paused=self.paused, recording=self._recording)
        for f in found:
            log.info("hotkey %s for %s not bound (%s): %s", f.hotkey, f.action, f.code, f.detail)
        problems = [problem_text(f, lambda a: labels.get(a, a)) for f in found]
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

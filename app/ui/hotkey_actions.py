"""The tray app's hotkeys: choosing the backend, registering every binding, acting on a
press, pausing, and following the settings. A mixin of :class:`app.main.HuashuApp`: the
methods use the app's workspace, backends, notifier and tray (declared below for the
type checker), and live here as one block so the hotkey work can change them together.
"""

from __future__ import annotations

import functools
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

"""The general page: app hotkeys, paste mode, clipboard restore delay, hotkey backend,
language and start at login.

Each change is one undoable settings change, saved at once; the window applies its side
effects (re-register hotkeys, switch language, autostart entry).
"""

from __future__ import annotations

import functools

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.settings import (
    APP_HOTKEYS,
    HOTKEY_BACKENDS,
    Settings,
    app_hotkey,
    set_app_hotkey,
)
from app.ui.settings.checks import ERROR_STYLE, hotkey_problems
from app.ui.settings.commands import Outcome
from app.ui.settings.hotkey_edit import HotkeyEdit
from app.ui.settings.page import SettingsPage

# Native names: the language list is never translated.
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}


class GeneralPage(SettingsPage):
    def _build(self) -> None:
        # One row per app hotkey (APP_HOTKEYS): field, clear button, error, label.
        self.hotkey_edits = {a: HotkeyEdit() for a in APP_HOTKEYS}
        self.hotkey_clears = {a: QToolButton() for a in APP_HOTKEYS}
        self.hotkey_errors = {a: _error_label() for a in APP_HOTKEYS}
        self.hotkey_labels = {a: QLabel() for a in APP_HOTKEYS}
        self.picker_edit, self.picker_clear, self.picker_error = self._row("picker")
        self.pause_edit, self.pause_clear, self.pause_error = self._row("pause")
        self.suggest_edit, self.suggest_clear, self.suggest_error = self._row("suggest")
        self.panel_edit, self.panel_clear, self.panel_error = self._row("panel")
        self.paste_combo = QComboBox()
        self.delay_spin = QSpinBox()
        self.delay_spin.setRange(0, 60_000)
        self.delay_spin.setSingleStep(100)
        self.delay_spin.setKeyboardTracking(False)
        self.backend_combo = QComboBox()
        self.language_combo = QComboBox()
        for w in (self.paste_combo, self.backend_combo, self.language_combo):
            w.setMaximumWidth(380)
        self.delay_spin.setMaximumWidth(140)
        self.autostart_check = QCheckBox()
        self.autostart_error = _error_label()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(mid);")

        self.picker_label = self.hotkey_labels["picker"]
        self.pause_label = self.hotkey_labels["pause"]
        self.suggest_label = self.hotkey_labels["suggest"]
        self.panel_label = self.hotkey_labels["panel"]
        self.paste_label = QLabel()
        self.delay_label = QLabel()
        self.backend_label = QLabel()
        self.language_label = QLabel()
        for action in APP_HOTKEYS:
            self.hotkey_labels[action].setBuddy(self.hotkey_edits[action])
        for label, buddy in (
            (self.paste_label, self.paste_combo),
            (self.delay_label, self.delay_spin),
            (self.backend_label, self.backend_combo),
            (self.language_label, self.language_combo),
        ):
            label.setBuddy(buddy)

        form = QFormLayout()
        for action in APP_HOTKEYS:
            edit, clear, error = self._row(action)
            form.addRow(self.hotkey_labels[action], _hotkey_row(edit, clear, error))
        form.addRow(self.paste_label, self.paste_combo)
        form.addRow(self.delay_label, self.delay_spin)
        form.addRow(self.backend_label, self.backend_combo)
        form.addRow(self.language_label, self.language_combo)
        auto_box = QWidget()
        av = QVBoxLayout(auto_box)
        av.setContentsMargins(0, 0, 0, 0)
        av.addWidget(self.autostart_check)
        av.addWidget(self.autostart_error)
        form.addRow("", auto_box)
        outer = QVBoxLayout(self)
        outer.addLayout(form)
        outer.addWidget(self.note)
        outer.addStretch(1)

        for action in APP_HOTKEYS:
            edit, clear, _error = self._row(action)
            edit.hotkey_changed.connect(functools.partial(self.set_app_hotkey, action))
            clear.clicked.connect(edit.clear_hotkey)
        self.paste_combo.activated.connect(self._on_paste_mode)
        self.delay_spin.valueChanged.connect(self._on_delay)
        self.backend_combo.activated.connect(self._on_backend)
        self.language_combo.activated.connect(self._on_language)
        self.autostart_check.toggled.connect(self._on_autostart)

    def _row(self, action: str) -> tuple[HotkeyEdit, QToolButton, QLabel]:
        return self.hotkey_edits[action], self.hotkey_clears[action], self.hotkey_errors[action]

    def retranslate(self) -> None:
        self.picker_label.setText(self.tr("&Picker hotkey:"))
        self.pause_label.setText(self.tr("Pa&use hotkey:"))
        self.suggest_label.setText(self.tr("Su&ggest hotkey:"))
        self.panel_label.setText(self.tr("Docked pa&nel hotkey:"))
        self.paste_label.setText(self.tr("Paste &mode:"))
        self.delay_label.setText(self.tr("&Restore clipboard after:"))
        self.backend_label.setText(self.tr("Hotkey &backend:"))
        self.language_label.setText(self.tr("&Language:"))
        self.picker_edit.setToolTip(self.tr("Opens the phrase picker from any window"))
        self.pause_edit.setToolTip(self.tr("Turns all Huashu hotkeys off and on again"))
        self.suggest_edit.setToolTip(
            self.tr("Opens the picker with replies to the customer message you copied")
        )
        self.panel_edit.setToolTip(
            self.tr("Shows or hides the quick-reply panel beside the chat window")
        )
        for b in self.hotkey_clears.values():
            b.setText(self.tr("Clear"))
        self.delay_spin.setSuffix(self.tr(" ms"))
        self.delay_spin.setToolTip(
            self.tr("How long to wait after pasting before your previous clipboard comes back")
        )
        self.autostart_check.setText(self.tr("&Start Huashu when I log in"))
        self.note.setText(
            self.tr(
                "Changes are saved at once. Hotkeys apply immediately. Windows ignores "
                "pasting into programs that run as administrator; use Copy mode there."
            )
        )
        self._loading = True
        try:
            _fill(
                self.paste_combo,
                [
                    ("paste", self.tr("Paste into the focused window")),
                    ("copy", self.tr("Only copy to the clipboard")),
                    ("type", self.tr("Type the text key by key")),
                ],
            )
            labels = self.hotkey_backend_labels()
            _fill(self.backend_combo, [(name, labels[name]) for name in HOTKEY_BACKENDS])
            _fill(
                self.language_combo,
                [
                    ("auto", self.tr("System language")),
                    ("zh_CN", LANGUAGE_NAMES["zh_CN"]),
                    ("en", LANGUAGE_NAMES["en"]),
                ],
            )
        finally:
            self._loading = False
        self.refresh(Outcome(settings=True))

    def hotkey_backend_labels(self) -> dict[str, str]:
        """The label of each name of the registry (:data:`HOTKEY_BACKENDS`), translated."""
        return {
            "auto": self.tr("Automatic"),
            "windows": self.tr("Windows system hotkeys (RegisterHotKey)"),
            "keyboard": self.tr("keyboard package (Windows; Linux as root)"),
            "x11": self.tr("X11 key grabs (Linux)"),
        }

    # -- view -----------------------------------------------------------------------------
    def refresh(self, outcome: Outcome) -> None:
        if not (outcome.settings or outcome.library):
            return
        s = self.ws.settings
        self._loading = True
        try:
            if outcome.settings:
                for action in APP_HOTKEYS:
                    self.hotkey_edits[action].set_hotkey(app_hotkey(s, action))
                    self.hotkey_errors[action].hide()
                _select(self.paste_combo, s.paste_mode)
                self.delay_spin.setValue(s.restore_delay_ms)
                _select(self.backend_combo, s.hotkey_backend)
                _select(self.language_combo, s.language)
                self.autostart_check.setChecked(s.autostart)
        finally:
            self._loading = False

    # -- changes --------------------------------------------------------------------------
    def set_app_hotkey(self, action: str, hotkey: str) -> bool:
        """Validate and save an app hotkey (one of APP_HOTKEYS); errors are shown beside
        the field."""
        error = self.hotkey_errors[action]
        if self._loading:
            return False
        problems = list(dict.fromkeys(hotkey_problems(self.ws, hotkey, app_action=action)))
        if problems:
            error.setText("\n".join(problems))
            error.show()
            return False
        error.hide()

        def change(s: Settings) -> None:
            set_app_hotkey(s, action, hotkey)

        texts = {
            "picker": self.tr("Change the picker hotkey"),
            "pause": self.tr("Change the pause hotkey"),
            "suggest": self.tr("Change the suggest hotkey"),
            "panel": self.tr("Change the docked panel hotkey"),
        }
        return self._change(texts[action], change)

    def _on_paste_mode(self, _index: int) -> None:
        mode = str(self.paste_combo.currentData())

        def change(s: Settings) -> None:
            s.paste_mode = mode

        self._change(self.tr("Change the paste mode"), change)

    def _on_delay(self, value: int) -> None:
        if self._loading:
            return

        def change(s: Settings) -> None:
            s.restore_delay_ms = value

        self._change(self.tr("Change the clipboard restore delay"), change)

    def _on_backend(self, _index: int) -> None:
        backend = str(self.backend_combo.currentData())

        def change(s: Settings) -> None:
            s.hotkey_backend = backend

        self._change(self.tr("Change the hotkey backend"), change)

    def _on_language(self, _index: int) -> None:
        lang = str(self.language_combo.currentData())

        def change(s: Settings) -> None:
            s.language = lang

        self._change(self.tr("Change the language"), change)

    def _on_autostart(self, checked: bool) -> None:
        if self._loading:
            return
        self.autostart_error.hide()

        def change(s: Settings) -> None:
            s.autostart = checked

        self._change(self.tr("Change start at login"), change)

    def show_autostart_error(self, message: str) -> None:
        self.autostart_error.setText(message)
        self.autostart_error.show()


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def _hotkey_row(edit: HotkeyEdit, clear: QToolButton, error: QLabel) -> QWidget:
    edit.setMinimumWidth(200)
    edit.setMaximumWidth(260)
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit)
    row.addWidget(clear)
    row.addStretch(1)
    box = QWidget()
    v = QVBoxLayout(box)
    v.setContentsMargins(0, 0, 0, 0)
    v.setSpacing(2)
    v.addLayout(row)
    v.addWidget(error)
    return box


def _fill(combo: QComboBox, items: list[tuple[str, str]]) -> None:
    current = combo.currentData()
    combo.clear()
    for data, text in items:
        combo.addItem(text, data)
    if current is not None:
        _select(combo, str(current))


def _select(combo: QComboBox, data: str) -> None:
    i = combo.findData(data)
    if i >= 0:
        combo.setCurrentIndex(i)

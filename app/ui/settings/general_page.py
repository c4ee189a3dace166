"""The general page: app hotkeys, paste mode, clipboard restore delay, hotkey backend,
language and start at login.

Each change is one undoable settings change, saved at once; the window applies its side
effects (re-register hotkeys, switch language, autostart entry).
"""

from __future__ import annotations

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

from app.core.settings import Settings
from app.ui.settings.commands import Outcome
from app.ui.settings.editor import ERROR_STYLE, hotkey_problems
from app.ui.settings.hotkey_edit import HotkeyEdit
from app.ui.settings.page import SettingsPage

# Native names: the language list is never translated.
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}


class GeneralPage(SettingsPage):
    def _build(self) -> None:
        self.picker_edit = HotkeyEdit()
        self.pause_edit = HotkeyEdit()
        self.suggest_edit = HotkeyEdit()
        self.picker_clear = QToolButton()
        self.pause_clear = QToolButton()
        self.suggest_clear = QToolButton()
        self.picker_error = _error_label()
        self.pause_error = _error_label()
        self.suggest_error = _error_label()
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

        self.picker_label = QLabel()
        self.pause_label = QLabel()
        self.suggest_label = QLabel()
        self.paste_label = QLabel()
        self.delay_label = QLabel()
        self.backend_label = QLabel()
        self.language_label = QLabel()
        for label, buddy in (
            (self.picker_label, self.picker_edit),
            (self.pause_label, self.pause_edit),
            (self.suggest_label, self.suggest_edit),
            (self.paste_label, self.paste_combo),
            (self.delay_label, self.delay_spin),
            (self.backend_label, self.backend_combo),
            (self.language_label, self.language_combo),
        ):
            label.setBuddy(buddy)

        form = QFormLayout()
        form.addRow(
            self.picker_label, _hotkey_row(self.picker_edit, self.picker_clear, self.picker_error)
        )
        form.addRow(
            self.pause_label, _hotkey_row(self.pause_edit, self.pause_clear, self.pause_error)
        )
        form.addRow(
            self.suggest_label,
            _hotkey_row(self.suggest_edit, self.suggest_clear, self.suggest_error),
        )
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

        self.picker_edit.hotkey_changed.connect(lambda h: self.set_app_hotkey("picker", h))
        self.pause_edit.hotkey_changed.connect(lambda h: self.set_app_hotkey("pause", h))
        self.picker_clear.clicked.connect(self.picker_edit.clear_hotkey)
        self.pause_clear.clicked.connect(self.pause_edit.clear_hotkey)
        self.suggest_edit.hotkey_changed.connect(lambda h: self.set_app_hotkey("suggest", h))
        self.suggest_clear.clicked.connect(self.suggest_edit.clear_hotkey)
        self.paste_combo.activated.connect(self._on_paste_mode)
        self.delay_spin.valueChanged.connect(self._on_delay)
        self.backend_combo.activated.connect(self._on_backend)
        self.language_combo.activated.connect(self._on_language)
        self.autostart_check.toggled.connect(self._on_autostart)

    def retranslate(self) -> None:
        self.picker_label.setText(self.tr("&Picker hotkey:"))
        self.pause_label.setText(self.tr("Pa&use hotkey:"))
        self.suggest_label.setText(self.tr("Su&ggest hotkey:"))
        self.paste_label.setText(self.tr("Paste &mode:"))
        self.delay_label.setText(self.tr("&Restore clipboard after:"))
        self.backend_label.setText(self.tr("Hotkey &backend:"))
        self.language_label.setText(self.tr("&Language:"))
        self.picker_edit.setToolTip(self.tr("Opens the phrase picker from any window"))
        self.pause_edit.setToolTip(self.tr("Turns all Huashu hotkeys off and on again"))
        self.suggest_edit.setToolTip(
            self.tr("Opens the picker with replies to the customer message you copied")
        )
        for b in (self.picker_clear, self.pause_clear, self.suggest_clear):
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
            _fill(
                self.backend_combo,
                [
                    ("auto", self.tr("Automatic")),
                    ("windows", self.tr("Windows system hotkeys (RegisterHotKey)")),
                    ("keyboard", self.tr("keyboard package (Windows; Linux as root)")),
                    ("x11", self.tr("X11 key grabs (Linux)")),
                ],
            )
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

    # -- view -----------------------------------------------------------------------------
    def refresh(self, outcome: Outcome) -> None:
        if not (outcome.settings or outcome.library):
            return
        s = self.ws.settings
        self._loading = True
        try:
            if outcome.settings:
                self.picker_edit.set_hotkey(s.picker_hotkey)
                self.pause_edit.set_hotkey(s.pause_hotkey)
                self.suggest_edit.set_hotkey(s.suggest_hotkey)
                self.picker_error.hide()
                self.pause_error.hide()
                self.suggest_error.hide()
                _select(self.paste_combo, s.paste_mode)
                self.delay_spin.setValue(s.restore_delay_ms)
                _select(self.backend_combo, s.hotkey_backend)
                _select(self.language_combo, s.language)
                self.autostart_check.setChecked(s.autostart)
        finally:
            self._loading = False

    # -- changes --------------------------------------------------------------------------
    def set_app_hotkey(self, action: str, hotkey: str) -> bool:
        """Validate and save the picker, pause or suggest hotkey; errors are shown beside
        the field."""
        error = {"picker": self.picker_error, "suggest": self.suggest_error}.get(
            action, self.pause_error
        )
        if self._loading:
            return False
        problems = list(
            dict.fromkeys(
                hotkey_problems(self.ws, hotkey, app_action=action, external=self._external)
            )
        )
        if problems:
            error.setText("\n".join(problems))
            error.show()
            return False
        error.hide()

        def change(s: Settings) -> None:
            if action == "picker":
                s.picker_hotkey = hotkey
            elif action == "suggest":
                s.suggest_hotkey = hotkey
            else:
                s.pause_hotkey = hotkey

        if action == "picker":
            text = self.tr("Change the picker hotkey")
        elif action == "suggest":
            text = self.tr("Change the suggest hotkey")
        else:
            text = self.tr("Change the pause hotkey")
        return self._change(text, change)

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

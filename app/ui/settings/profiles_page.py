"""Settings page "Apps": per-app paste profiles.

The list shows the user's profiles first, then the built-in ones. Editing a built-in
profile and saving stores a user copy with the same id (it replaces the built-in one);
"Reset" deletes a user profile, which brings the built-in one back if there was one.

"Pick a window": the agent clicks into the chat app within 10 seconds; the page reads that
window's program (Windows executable, X11 WM_CLASS) through the platform layer and creates
a user profile for it, starting from whatever profile matched it so far.

Changes are saved at once to ``app-profiles.toml`` in the Huashu folder; the paste
pipeline shares the same :class:`~app.core.appprofiles.ProfileSet`, so the next paste
uses them. (Not on the undo stack: a profile change touches no phrase.)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.appprofiles import (
    MAX_DELAY_MS,
    NEWLINE_KEYS,
    PASTE_KEYS,
    SEND_KEYS,
    AppProfile,
    ProfileSet,
    TargetWindow,
    save_user,
)
from app.platform.window import WindowInfo
from app.ui.language import Retranslating, current_language

log = logging.getLogger(__name__)

PICK_SECONDS = 10
PICK_POLL_MS = 200
IdRole = Qt.ItemDataRole.UserRole + 1


def key_label(chord: str) -> str:
    """``ctrl+shift+v`` -> ``Ctrl+Shift+V`` (how key names are written on keyboards)."""
    return "+".join(
        part.capitalize() if len(part) > 1 else part.upper() for part in chord.split("+")
    )


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace("，", ",").split(",") if part.strip())


class ProfilesPage(Retranslating, QWidget):
    retranslate_when_shown = True  # retranslating rebuilds the list
    status = Signal(str)
    changed = Signal()

    def __init__(
        self,
        profiles: ProfileSet,
        home: Path,
        windows: WindowInfo | None = None,
        *,
        own_windows: Callable[[], set[int]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.profiles = profiles
        self.home = home
        self.windows = windows
        self._own_windows = own_windows or (lambda: set())
        self._current: AppProfile | None = None
        self._pick_deadline = 0.0

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.list = QListWidget()
        self.list.setMinimumWidth(200)
        self.list.currentItemChanged.connect(lambda *_: self._show_current())
        self.pick_button = QPushButton()
        self.pick_button.clicked.connect(self.start_pick)
        self.pick_button.setEnabled(windows is not None)
        self.pick_label = QLabel()
        self.pick_label.setWordWrap(True)

        self.name = QLineEdit()
        self.match = QLineEdit()
        self.title_contains = QLineEdit()
        self.paste_key = QComboBox()
        self.newline = QComboBox()
        self.send_key = QComboBox()
        for combo, values in (
            (self.paste_key, PASTE_KEYS),
            (self.newline, NEWLINE_KEYS),
            (self.send_key, SEND_KEYS),
        ):
            for value in values:
                combo.addItem(key_label(value), value)
        self.delay = QSpinBox()
        self.send_delay = QSpinBox()
        for spin in (self.delay, self.send_delay):
            spin.setRange(0, MAX_DELAY_MS)
            spin.setSingleStep(50)
            spin.setSuffix(" ms")
        self.send_after = QCheckBox()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #7a7a7a;")
        self.send_hint = QLabel()
        self.send_hint.setWordWrap(True)
        self.send_hint.setStyleSheet("color: #7a7a7a;")
        for label in (self.note, self.send_hint):
            # Wrapped text must not widen the page (it fits a 1280 px screen).
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save_current)
        self.reset_button = QPushButton()
        self.reset_button.clicked.connect(self.reset_current)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._labels = [QLabel() for _ in range(9)]
        for label, field in zip(
            self._labels,
            (
                self.name,
                self.match,
                self.title_contains,
                self.paste_key,
                self.newline,
                self.delay,
                self.send_after,
                self.send_key,
                self.send_delay,
            ),
            strict=True,
        ):
            self.form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        right = QVBoxLayout()
        right.addLayout(self.form)
        right.addWidget(self.send_hint)
        right.addWidget(self.note)
        right.addLayout(buttons)
        right.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addWidget(self.pick_button)
        left.addWidget(self.pick_label)
        row = QHBoxLayout()
        row.addLayout(left, 2)
        row.addLayout(right, 3)
        outer = QVBoxLayout(self)
        outer.addWidget(self.intro)
        outer.addLayout(row, 1)

        self._pick_timer = QTimer(self)
        self._pick_timer.setInterval(PICK_POLL_MS)
        self._pick_timer.timeout.connect(self._poll_pick)
        self.retranslate()
        self.refresh()

    # -- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.intro.setText(
            self.tr(
                "How a reply reaches each program: the paste key, the line-break key when "
                "typing, and whether to press Enter after pasting. Programs without a "
                "profile get Ctrl+V and Shift+Enter."
            )
        )
        self.pick_button.setText(self.tr("Pick a window..."))
        texts = [
            self.tr("Name"),
            self.tr("Programs"),
            self.tr("Title contains"),
            self.tr("Paste with"),
            self.tr("Line break when typing"),
            self.tr("Wait before the keys"),
            self.tr("Send after paste"),
            self.tr("Send key"),
            self.tr("Wait before sending"),
        ]
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.match.setPlaceholderText(self.tr("e.g. AliWorkbench.exe, XTerm"))
        self.title_contains.setPlaceholderText(self.tr("optional, e.g. 千牛"))
        self.paste_key.setItemText(PASTE_KEYS.index("type"), self.tr("type the text"))
        self.send_after.setText(self.tr("Send automatically"))
        self.send_hint.setText(
            self.tr(
                "Send after paste presses the send key once after the reply; never for a "
                "reply with a compliance warning or a {cursor} position."
            )
        )
        self.save_button.setText(self.tr("Save"))
        self.reset_button.setText(self.tr("Reset"))
        self.refresh()

    # -- the list -----------------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        wanted = select if select is not None else self.current_id()
        user_ids = {p.id for p in self.profiles.user}
        self.list.blockSignals(True)
        self.list.clear()
        for profile in self.profiles.all():
            label = profile.name
            if profile.id not in user_ids:
                label = f"{label}  {self.tr('(built-in)')}"
            elif any(b.id == profile.id for b in self.profiles.builtin):
                label = f"{label}  {self.tr('(changed)')}"
            item = QListWidgetItem(label)
            item.setData(IdRole, profile.id)
            self.list.addItem(item)
            if profile.id == wanted:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self.list.blockSignals(False)
        self._show_current()

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(IdRole)) if item is not None else None

    def select(self, profile_id: str) -> bool:
        for row in range(self.list.count()):
            if self.list.item(row).data(IdRole) == profile_id:
                self.list.setCurrentRow(row)
                return True
        return False

    def _show_current(self) -> None:
        ident = self.current_id()
        profile = self.profiles.get(ident) if ident is not None else None
        self._current = profile
        enabled = profile is not None
        for w in (
            self.name,
            self.match,
            self.title_contains,
            self.paste_key,
            self.newline,
            self.delay,
            self.send_after,
            self.send_key,
            self.send_delay,
            self.save_button,
        ):
            w.setEnabled(enabled)
        if profile is None:
            self.reset_button.setEnabled(False)
            return
        self.name.setText(profile.name)
        self.match.setText(", ".join(profile.match))
        self.title_contains.setText(", ".join(profile.title_contains))
        self.paste_key.setCurrentIndex(PASTE_KEYS.index(profile.paste_key))
        self.newline.setCurrentIndex(NEWLINE_KEYS.index(profile.newline))
        self.send_key.setCurrentIndex(SEND_KEYS.index(profile.send_key))
        self.delay.setValue(profile.delay_ms)
        self.send_delay.setValue(profile.send_delay_ms)
        self.send_after.setChecked(profile.send_after_paste)
        self.note.setText(profile.note_in(current_language()))
        self.reset_button.setEnabled(any(p.id == profile.id for p in self.profiles.user))

    # -- editing ------------------------------------------------------------------------------
    def edited_profile(self) -> AppProfile | None:
        """The profile as the form shows it (None when nothing is selected)."""
        if self._current is None:
            return None
        return replace(
            self._current,
            name=self.name.text().strip() or self._current.id,
            match=_split(self.match.text()),
            title_contains=_split(self.title_contains.text()),
            paste_key=str(self.paste_key.currentData()),
            newline=str(self.newline.currentData()),
            delay_ms=self.delay.value(),
            send_after_paste=self.send_after.isChecked(),
            send_key=str(self.send_key.currentData()),
            send_delay_ms=self.send_delay.value(),
            builtin=False,
        )

    def save_current(self) -> bool:
        profile = self.edited_profile()
        if profile is None:
            return False
        if not profile.match:
            self.status.emit(self.tr("Name at least one program (executable or window class)."))
            return False
        self.profiles.put_user(profile)
        if not self._write():
            return False
        self.refresh(select=profile.id)
        self.status.emit(self.tr("Saved the profile “{0}”.").format(profile.name))
        self.changed.emit()
        return True

    def reset_current(self) -> bool:
        ident = self.current_id()
        if ident is None or not self.profiles.remove_user(ident):
            return False
        if not self._write():
            return False
        self.refresh(select=ident)
        self.changed.emit()
        return True

    def _write(self) -> bool:
        try:
            save_user(self.home, self.profiles)
        except OSError as exc:
            log.warning("saving app profiles failed: %s", exc)
            self.status.emit(self.tr("Could not save the app profiles: {0}").format(exc))
            return False
        return True

    # -- picking a window -----------------------------------------------------------------------
    def start_pick(self) -> None:
        if self.windows is None:
            return
        self._pick_deadline = time.monotonic() + PICK_SECONDS
        self.pick_label.setText(
            self.tr("Click into the chat program's window within {0} seconds...").format(
                PICK_SECONDS
            )
        )
        self._pick_timer.start()

    def picking(self) -> bool:
        return self._pick_timer.isActive()

    def _poll_pick(self) -> None:
        assert self.windows is not None
        window = self.windows.focused()
        if window is not None and window.id not in self._own_windows() and window.app:
            self._pick_timer.stop()
            self.create_for(window)
            return
        if time.monotonic() >= self._pick_deadline:
            self._pick_timer.stop()
            self.pick_label.setText(self.tr("No other program's window was clicked."))

    def create_for(self, window: TargetWindow) -> AppProfile:
        """A user profile for ``window``'s program, starting from the one it matches now."""
        base = self.profiles.for_window(window)
        names = [window.app] + ([window.instance] if window.instance else [])
        unique = list(dict.fromkeys(n for n in names if n))
        profile = replace(
            base,
            id=self.profiles.new_id(window.app),
            name=window.title.strip()[:40] or window.app,
            match=tuple(unique),
            title_contains=(),
            note="",
            builtin=False,
        )
        self.profiles.put_user(profile)
        self._write()
        self.refresh(select=profile.id)
        self.pick_label.setText(
            self.tr("Profile created for {0}: adjust it and save.").format(window.app)
        )
        self.changed.emit()
        return profile

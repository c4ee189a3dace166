"""A line edit that records a pressed key combination as a keyboard-notation string.

Press e.g. Ctrl+Alt+5 and the field shows ``ctrl+alt+5``. Backspace or Delete without
modifiers clears it, Escape without modifiers restores the previous value, Tab and
Shift+Tab still move the focus. While the field has the focus it takes every shortcut
(Ctrl+N, Ctrl+Z... of the window), so they can be recorded.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from app.core.hotkeys import HotkeyProblem
from app.ui.language import Retranslating

_NAMED: dict[int, str] = {
    Qt.Key.Key_Space: "space",
    Qt.Key.Key_Return: "enter",
    Qt.Key.Key_Enter: "enter",
    Qt.Key.Key_Escape: "esc",
    Qt.Key.Key_Backspace: "backspace",
    Qt.Key.Key_Delete: "delete",
    Qt.Key.Key_Insert: "insert",
    Qt.Key.Key_Home: "home",
    Qt.Key.Key_End: "end",
    Qt.Key.Key_PageUp: "page up",
    Qt.Key.Key_PageDown: "page down",
    Qt.Key.Key_Up: "up",
    Qt.Key.Key_Down: "down",
    Qt.Key.Key_Left: "left",
    Qt.Key.Key_Right: "right",
    Qt.Key.Key_Print: "print screen",
    Qt.Key.Key_Pause: "pause",
    Qt.Key.Key_Tab: "tab",
    Qt.Key.Key_Backtab: "tab",
}

# Characters as Qt reports them (shifted on a US layout, too) -> keyboard-notation key.
_CHARS: dict[str, str] = {
    "-": "-", "_": "-", "=": "=", "+": "=", "[": "[", "{": "[", "]": "]", "}": "]",
    ";": ";", ":": ";", "'": "'", '"': "'", ",": "comma", "<": "comma", ".": ".", ">": ".",
    "/": "/", "?": "/", "\\": "\\", "|": "\\", "`": "`", "~": "`",
    "!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6", "&": "7", "*": "8",
    "(": "9", ")": "0",
}  # fmt: skip

_MODIFIER_KEYS = {
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_Shift,
    Qt.Key.Key_Meta,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_Super_L,
    Qt.Key.Key_Super_R,
}


def modifier_names(mods: Qt.KeyboardModifier) -> list[str]:
    out = []
    if mods & Qt.KeyboardModifier.ControlModifier:
        out.append("ctrl")
    if mods & Qt.KeyboardModifier.AltModifier:
        out.append("alt")
    if mods & Qt.KeyboardModifier.ShiftModifier:
        out.append("shift")
    if mods & Qt.KeyboardModifier.MetaModifier:
        out.append("win")
    return out


def key_name(key: int, text: str = "") -> str | None:
    """The keyboard-notation name of a Qt key (None for modifiers and unknown keys)."""
    if key in _NAMED:
        return _NAMED[key]
    if Qt.Key.Key_A <= key <= Qt.Key.Key_Z:
        return chr(ord("a") + key - Qt.Key.Key_A)
    if Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
        return chr(ord("0") + key - Qt.Key.Key_0)
    if Qt.Key.Key_F1 <= key <= Qt.Key.Key_F24:
        return f"f{key - Qt.Key.Key_F1 + 1}"
    if 0x20 < key < 0x7F and chr(key) in _CHARS:
        return _CHARS[chr(key)]
    if text and text in _CHARS:
        return _CHARS[text]
    return None


def hotkey_from_event(event: QKeyEvent) -> str | None:
    """``ctrl+alt+5`` for a key press event; None for a lone modifier or an unknown key."""
    key = event.key()
    if key in _MODIFIER_KEYS:
        return None
    mods = event.modifiers()
    if key == Qt.Key.Key_Backtab:
        mods |= Qt.KeyboardModifier.ShiftModifier
    name = key_name(key, event.text())
    if name is None:
        return None
    return "+".join([*modifier_names(mods), name])


def _tr(text: str, *args: str) -> str:
    out = QCoreApplication.translate("HotkeyProblem", text)
    for i, arg in reversed(list(enumerate(args, 1))):
        out = out.replace(f"%{i}", arg)
    return out


def problem_text(problem: HotkeyProblem, label_of: Callable[[str], str]) -> str:
    """``problem`` in the user's language; ``label_of`` names an action ("the picker")."""
    hotkey, label = problem.hotkey, label_of(problem.action)
    code = problem.code
    if code == HotkeyProblem.INVALID:
        return _tr("The hotkey %1 for %2 is not valid; change it in the settings.", hotkey, label)
    if code == HotkeyProblem.DUPLICATE:
        return _tr(
            "Hotkey %1 is bound twice: %2 and %3; only the first works.",
            hotkey,
            label_of(problem.detail),
            label,
        )
    if code == HotkeyProblem.TAKEN:
        return _tr(
            "Hotkey %1 for %2 cannot be used: another program already uses it.", hotkey, label
        )
    if code == HotkeyProblem.UNSUPPORTED:
        return _tr(
            "Hotkey %1 for %2 cannot be used: its key is not on this keyboard layout.",
            hotkey,
            label,
        )
    return _tr("Hotkey %1 for %2 cannot be used: the system refused it.", hotkey, label)


class RecordingBus(QObject):
    """Tells the app when a hotkey field is recording: global grabs must step aside,
    or pressing an already bound combination would fire it instead of recording it."""

    changed = Signal(bool)


_bus: RecordingBus | None = None


def recording_bus() -> RecordingBus:
    global _bus
    if _bus is None:
        _bus = RecordingBus()
    return _bus


class HotkeyEdit(Retranslating, QLineEdit):
    """Records a key combination; :attr:`hotkey_changed` carries the new string ("" = none)."""

    hotkey_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self._hotkey = ""
        self.retranslate()

    def retranslate(self) -> None:
        self.setPlaceholderText(self.tr("Press a key combination"))
        self.setToolTip(
            self.tr(
                "Click here and press the combination, for example Ctrl+Alt+1. "
                "Backspace clears it; Esc keeps the previous one."
            )
        )

    def hotkey(self) -> str:
        return self._hotkey

    def set_hotkey(self, hotkey: str) -> None:
        """Show ``hotkey`` without emitting :attr:`hotkey_changed`."""
        self._hotkey = hotkey
        self.setText(hotkey)

    def clear_hotkey(self) -> None:
        self._commit("")

    def _commit(self, hotkey: str) -> None:
        changed = hotkey != self._hotkey
        self._hotkey = hotkey
        self.setText(hotkey)
        if changed:
            self.hotkey_changed.emit(hotkey)

    # -- events ---------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and not self._is_focus_key(event)
        ):
            event.accept()  # deliver window shortcuts to keyPressEvent instead
            return True
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if self._is_focus_key(event):
                return super().event(event)  # Tab / Shift+Tab move the focus
            self.keyPressEvent(event)
            return True
        return super().event(event)

    @staticmethod
    def _is_focus_key(event: QKeyEvent) -> bool:
        mods = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        return event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not mods

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if not mods and key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self._commit("")
            event.accept()
            return
        if not mods and key == Qt.Key.Key_Escape:
            self.setText(self._hotkey)
            event.accept()
            return
        if key in _MODIFIER_KEYS:
            held = modifier_names(mods)
            self.setText("+".join([*held, ""]) if held else self._hotkey)
            event.accept()
            return
        combo = hotkey_from_event(event)
        event.accept()
        if combo is None:
            self.setText(self._hotkey)
            return
        self._commit(combo)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() in _MODIFIER_KEYS and not (
            event.modifiers()
            & (
                Qt.KeyboardModifier.ControlModifier
                | Qt.KeyboardModifier.AltModifier
                | Qt.KeyboardModifier.ShiftModifier
                | Qt.KeyboardModifier.MetaModifier
            )
        ):
            self.setText(self._hotkey)
        event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        recording_bus().changed.emit(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.setText(self._hotkey)
        recording_bus().changed.emit(False)
        super().focusOutEvent(event)

"""The hotkey field records combinations in keyboard-package notation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from app.platform.hotkeys import parse_hotkey
from app.ui.settings.hotkey_edit import HotkeyEdit

M = Qt.KeyboardModifier


def make(qtbot: object) -> tuple[QWidget, HotkeyEdit, QLineEdit]:
    box = QWidget()
    edit = HotkeyEdit()
    other = QLineEdit()
    lay = QVBoxLayout(box)
    lay.addWidget(edit)
    lay.addWidget(other)
    qtbot.addWidget(box)  # type: ignore[attr-defined]
    box.show()
    edit.setFocus()
    return box, edit, other


def test_records_combinations(qtbot: object) -> None:
    _box, edit, _other = make(qtbot)
    seen: list[str] = []
    edit.hotkey_changed.connect(seen.append)
    cases = [
        (Qt.Key.Key_5, M.ControlModifier | M.AltModifier, "ctrl+alt+5"),
        (Qt.Key.Key_F2, M.ControlModifier | M.ShiftModifier, "ctrl+shift+f2"),
        (Qt.Key.Key_Exclam, M.ControlModifier | M.ShiftModifier, "ctrl+shift+1"),
        (Qt.Key.Key_Space, M.ControlModifier | M.AltModifier, "ctrl+alt+space"),
        (Qt.Key.Key_Comma, M.AltModifier, "alt+comma"),
        (Qt.Key.Key_PageDown, M.MetaModifier, "win+page down"),
        (Qt.Key.Key_F9, M.NoModifier, "f9"),
    ]
    for key, mods, expected in cases:
        QTest.keyClick(edit, key, mods)
        assert edit.hotkey() == expected
        assert str(parse_hotkey(expected)) == expected  # the core accepts it as is
    assert seen == [c[2] for c in cases]
    QTest.keyClick(edit, Qt.Key.Key_Control, M.ControlModifier)  # a lone modifier: no change
    assert edit.hotkey() == "f9"
    QTest.keyClick(edit, Qt.Key.Key_Escape)  # keeps the previous value
    assert edit.hotkey() == "f9"
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    assert edit.hotkey() == "" and seen[-1] == ""


def test_tab_still_moves_focus(qtbot: object) -> None:
    box, edit, other = make(qtbot)
    QTest.keyClick(edit, Qt.Key.Key_Tab)
    assert box.focusWidget() is other and edit.hotkey() == ""


def test_problem_text_says_each_code_in_english(qapp: object) -> None:
    from app.core.hotkeys import HotkeyProblem
    from app.ui.settings.hotkey_edit import problem_text

    labels = {"picker": "the picker", "pause": "pause/resume"}

    def text(code: str, detail: str = "") -> str:
        return problem_text(HotkeyProblem(code, "ctrl+alt+7", "pause", detail), labels.__getitem__)

    assert text(HotkeyProblem.INVALID) == (
        "The hotkey ctrl+alt+7 for pause/resume is not valid; change it in the settings."
    )
    assert text(HotkeyProblem.DUPLICATE, "picker") == (
        "Hotkey ctrl+alt+7 is bound twice: the picker and pause/resume; only the first works."
    )
    assert text(HotkeyProblem.TAKEN) == (
        "Hotkey ctrl+alt+7 for pause/resume cannot be used: another program already uses it."
    )
    assert text(HotkeyProblem.UNSUPPORTED) == (
        "Hotkey ctrl+alt+7 for pause/resume cannot be used: its key is not on this keyboard layout."
    )
    assert text(HotkeyProblem.REFUSED, "error 5") == (
        "Hotkey ctrl+alt+7 for pause/resume cannot be used: the system refused it."
    )

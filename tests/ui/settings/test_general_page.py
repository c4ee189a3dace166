"""General page: app hotkeys, paste options, backend, language (with re-translation), autostart."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtTest import QTest

from app.core.fsutil import Paths
from app.core.settings import load_settings
from app.platform.autostart import FakeAutostart
from app.ui.settings.window import PAGE_GENERAL, SettingsWindow

from .conftest import Calls

CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def disk():  # type: ignore[no-untyped-def]
    return load_settings(Paths.default().settings)


def test_picker_hotkey_saved_and_applied(window: SettingsWindow, calls: Calls) -> None:
    window.show_page(PAGE_GENERAL)
    page = window.general_page
    page.picker_edit.setFocus()
    QTest.keyClick(page.picker_edit, Qt.Key.Key_K, CTRL_ALT)
    assert disk().picker_hotkey == "ctrl+alt+k"
    assert calls.hotkeys == 1
    QTest.keyClick(page.picker_edit, Qt.Key.Key_1, CTRL_ALT)  # a phrase has it
    assert page.picker_error.isVisibleTo(page) and "标准欢迎语" in page.picker_error.text()
    assert disk().picker_hotkey == "ctrl+alt+k"
    QTest.keyClick(page.picker_edit, Qt.Key.Key_P, CTRL_ALT)  # the pause hotkey
    assert "pause" in page.picker_error.text()
    assert calls.hotkeys == 1
    window.undo_stack.undo()
    assert disk().picker_hotkey == "ctrl+alt+space"
    assert page.picker_edit.hotkey() == "ctrl+alt+space"
    assert calls.hotkeys == 2


def test_suggest_hotkey_saved_checked_and_undone(window: SettingsWindow, calls: Calls) -> None:
    window.show_page(PAGE_GENERAL)
    page = window.general_page
    assert page.suggest_edit.hotkey() == "ctrl+alt+s"
    page.suggest_edit.setFocus()
    QTest.keyClick(page.suggest_edit, Qt.Key.Key_G, CTRL_ALT)
    assert disk().suggest_hotkey == "ctrl+alt+g"
    assert (disk().picker_hotkey, disk().pause_hotkey) == ("ctrl+alt+space", "ctrl+alt+p")
    assert calls.hotkeys == 1
    assert window.undo_stack.undoText() == "Change the suggest hotkey"
    QTest.keyClick(page.suggest_edit, Qt.Key.Key_P, CTRL_ALT)  # the pause hotkey
    assert page.suggest_error.isVisibleTo(page) and "pause" in page.suggest_error.text()
    assert not page.picker_error.isVisibleTo(page)
    assert disk().suggest_hotkey == "ctrl+alt+g"
    page.picker_edit.setFocus()
    QTest.keyClick(page.picker_edit, Qt.Key.Key_G, CTRL_ALT)  # now the suggest hotkey
    assert "suggest replies" in page.picker_error.text()
    window.undo_stack.undo()
    assert disk().suggest_hotkey == "ctrl+alt+s"
    assert page.suggest_edit.hotkey() == "ctrl+alt+s"
    assert not page.suggest_error.isVisibleTo(page)


def test_panel_hotkey_saved_checked_and_undone(window: SettingsWindow, calls: Calls) -> None:
    window.show_page(PAGE_GENERAL)
    page = window.general_page
    assert page.panel_edit.hotkey() == "ctrl+alt+q"
    assert page.panel_label.buddy() is page.panel_edit
    page.panel_edit.setFocus()
    QTest.keyClick(page.panel_edit, Qt.Key.Key_W, CTRL_ALT)
    assert disk().panel_hotkey == "ctrl+alt+w"
    others = (disk().picker_hotkey, disk().pause_hotkey, disk().suggest_hotkey)
    assert others == ("ctrl+alt+space", "ctrl+alt+p", "ctrl+alt+s")
    assert calls.hotkeys == 1  # the app re-binds at once
    assert window.undo_stack.undoText() == "Change the docked panel hotkey"
    QTest.keyClick(page.panel_edit, Qt.Key.Key_1, CTRL_ALT)  # a phrase has it
    assert page.panel_error.isVisibleTo(page) and "标准欢迎语" in page.panel_error.text()
    QTest.keyClick(page.panel_edit, Qt.Key.Key_S, CTRL_ALT)  # the suggest hotkey
    assert "suggest replies" in page.panel_error.text()
    assert not page.suggest_error.isVisibleTo(page)
    QTest.keyClick(page.panel_edit, Qt.Key.Key_Space)  # a typing key without Ctrl/Alt/Win
    assert "stop you typing" in page.panel_error.text()
    assert disk().panel_hotkey == "ctrl+alt+w" and calls.hotkeys == 1
    # The other fields see the panel hotkey as taken.
    page.picker_edit.setFocus()
    QTest.keyClick(page.picker_edit, Qt.Key.Key_W, CTRL_ALT)
    assert "docked panel" in page.picker_error.text()
    assert disk().picker_hotkey == "ctrl+alt+space"
    page.panel_clear.click()  # no panel hotkey at all
    assert disk().panel_hotkey == "" and calls.hotkeys == 2
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert disk().panel_hotkey == "ctrl+alt+q"
    assert page.panel_edit.hotkey() == "ctrl+alt+q"
    assert not page.panel_error.isVisibleTo(page)


def test_the_backend_list_is_the_registry(window: SettingsWindow) -> None:
    from app.core.settings import HOTKEY_BACKENDS

    combo = window.general_page.backend_combo
    assert [combo.itemData(i) for i in range(combo.count())] == list(HOTKEY_BACKENDS)
    labels = window.general_page.hotkey_backend_labels()
    assert list(labels) == list(HOTKEY_BACKENDS)
    assert [combo.itemText(i) for i in range(combo.count())] == list(labels.values())
    assert len(set(labels.values())) == len(labels)


def test_paste_options_and_backend(window: SettingsWindow, calls: Calls) -> None:
    page = window.general_page
    page.paste_combo.setCurrentIndex(page.paste_combo.findData("type"))
    page.paste_combo.activated.emit(page.paste_combo.currentIndex())
    page.delay_spin.setValue(1200)
    assert (disk().paste_mode, disk().restore_delay_ms) == ("type", 1200)
    page.backend_combo.setCurrentIndex(page.backend_combo.findData("x11"))
    page.backend_combo.activated.emit(page.backend_combo.currentIndex())
    assert disk().hotkey_backend == "x11"
    assert calls.hotkeys == 1  # the backend changed: re-register


def test_autostart(window: SettingsWindow, autostart: FakeAutostart) -> None:
    page = window.general_page
    page.autostart_check.setChecked(True)
    assert autostart.enabled and disk().autostart
    window.undo_stack.undo()
    assert not autostart.enabled and not disk().autostart
    assert not page.autostart_check.isChecked()
    autostart.fail = True
    page.autostart_check.setChecked(True)
    assert page.autostart_error.isVisibleTo(page)


class MarkingTranslator(QTranslator):
    """Translates every string to '[zz] ' + source, like a real .qm would change them."""

    def isEmpty(self) -> bool:
        return False

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return "[zz] " + source


def test_language_switch_calls_back_and_retranslates(
    window: SettingsWindow, calls: Calls, qtbot: object
) -> None:
    page = window.general_page
    page.language_combo.setCurrentIndex(page.language_combo.findData("en"))
    page.language_combo.activated.emit(page.language_combo.currentIndex())
    assert calls.languages == ["en"] and disk().language == "en"
    translator = MarkingTranslator()
    QCoreApplication.installTranslator(translator)
    try:
        qtbot.waitUntil(  # type: ignore[attr-defined]
            lambda: window.windowTitle().startswith("[zz] ")
        )
        assert window.phrases_page.new_button.text().startswith("[zz] ")
        assert window.phrases_page.editor.save_button.text().startswith("[zz] ")
        assert window.profile_page.agent_no_label.text().startswith("[zz] ")
        assert page.picker_label.text().startswith("[zz] ")
        assert window.stats_page.most_title.text().startswith("[zz] ")
        assert window.page_list.item(0).text().startswith("[zz] ")  # type: ignore[union-attr]
        assert page.language_combo.itemText(1) == "中文"  # native names stay
        assert page.language_combo.currentData() == "en"
    finally:
        QCoreApplication.removeTranslator(translator)
    qtbot.waitUntil(lambda: not window.windowTitle().startswith("[zz] "))  # type: ignore[attr-defined]
    window.undo_stack.undo()
    assert calls.languages == ["en", "auto"]

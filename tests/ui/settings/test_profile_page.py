"""Profile page: agent number and name, shops add / rename / remove, active shop."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.core.fsutil import Paths
from app.core.settings import load_settings
from app.ui.settings.window import PAGE_PROFILE, SettingsWindow

from .conftest import FakePrompts, commit_text


def disk_profile():  # type: ignore[no-untyped-def]
    return load_settings(Paths.default().settings).profile


def test_agent_number_and_name_saved_on_enter(window: SettingsWindow) -> None:
    window.show_page(PAGE_PROFILE)
    page = window.profile_page
    page.agent_no_edit.setFocus()
    page.agent_no_edit.selectAll()
    QTest.keyClicks(page.agent_no_edit, "2048")
    QTest.keyClick(page.agent_no_edit, Qt.Key.Key_Return)
    assert disk_profile().agent_no == "2048"
    page.agent_name_edit.setFocus()
    commit_text(page.agent_name_edit, "阿华")
    QTest.keyClick(page.agent_name_edit, Qt.Key.Key_Return)
    assert disk_profile().agent_name == "阿华"
    # the preview of the phrase editor follows the profile
    window.phrases_page.select_phrase("hello")
    assert "2048" in window.phrases_page.editor.preview.text()
    window.undo_stack.undo()
    assert disk_profile().agent_name == ""
    assert page.agent_name_edit.text() == ""


def test_shops_add_rename_remove_and_active(
    window: SettingsWindow, prompts: FakePrompts, qtbot: object
) -> None:
    page = window.profile_page
    prompts.texts.append("优选专营店")
    assert page.add_shop()
    assert disk_profile().shops == ["花漾旗舰店", "优选专营店"]
    assert not page.add_shop("优选专营店")  # no duplicates
    page.active_combo.setCurrentIndex(1)
    page.active_combo.activated.emit(1)
    assert disk_profile().active_shop == "优选专营店"
    item = page.shop_list.item(1)
    assert item is not None
    item.setText("优选旗舰店")  # inline rename (F2 / double-click)
    qtbot.waitUntil(lambda: disk_profile().shops[1] == "优选旗舰店")  # type: ignore[attr-defined]
    assert disk_profile().active_shop == "优选旗舰店"
    page.shop_list.setCurrentRow(1)
    assert page.remove_shop()
    prof = disk_profile()
    assert prof.shops == ["花漾旗舰店"] and prof.active_shop == "花漾旗舰店"
    assert page.active_combo.count() == 1
    window.undo_stack.undo()
    assert disk_profile().shops == ["花漾旗舰店", "优选旗舰店"]


def test_settings_object_is_changed_in_place(window: SettingsWindow) -> None:
    settings = window.ws.settings  # the app may hold this very object
    assert window.profile_page.add_shop("新店")
    assert "新店" in settings.profile.shops
    window.undo_stack.undo()
    assert "新店" not in settings.profile.shops and window.ws.settings is settings

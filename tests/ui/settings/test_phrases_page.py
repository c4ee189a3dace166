"""Phrases page: add / edit / delete / undo saved to disk, validation, hotkeys, filter."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.core.model import Phrase
from app.core.workspace import Workspace
from app.ui.settings.commands import Outcome
from app.ui.settings.window import SettingsWindow

from .conftest import Calls, FakePrompts, commit_text, reopen

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def select(window: SettingsWindow, pid: str) -> None:
    window.phrases_page.select_phrase(pid)
    assert window.phrases_page.editor.phrase is not None
    assert window.phrases_page.editor.phrase.id == pid


def test_new_phrase_is_saved_to_disk(window: SettingsWindow, qtbot: object) -> None:
    page = window.phrases_page
    page.tree.select("pay")
    QTest.keyClick(page.table, Qt.Key.Key_N, CTRL)  # Ctrl+N from the list
    editor = page.editor
    assert editor.is_new and editor.title_edit.hasFocus()
    commit_text(editor.title_edit, "催付-库存紧张")
    editor.code_edit.setText("cf9")
    editor.body_edit.setFocus()
    commit_text(editor.body_edit, "亲,{顾客}您好,库存紧张哦")
    commit_text(editor.tags_edit, "催付,库存")
    QTest.keyClick(editor.body_edit, Qt.Key.Key_S, CTRL)  # Ctrl+S saves
    disk = reopen()
    [saved] = [p for p in disk.library.phrases if p.code == "cf9"]
    assert saved.title == "催付-库存紧张"
    assert saved.body == "亲,{顾客}您好,库存紧张哦"
    assert saved.category == "pay"
    assert saved.tags == ["催付", "库存"]
    assert not editor.is_dirty() and editor.phrase is not None and editor.phrase.id == saved.id
    assert page.selected_ids() == [saved.id]
    disk.close()


def test_edit_is_saved_and_undone(window: SettingsWindow, calls: Calls) -> None:
    page = window.phrases_page
    select(window, "bye")
    editor = page.editor
    editor.title_edit.clear()
    commit_text(editor.title_edit, "结束语-新")
    assert editor.is_dirty()
    assert editor.save()
    disk = reopen()
    assert disk.library.phrase("bye").title == "结束语-新"  # type: ignore[union-attr]
    disk.close()
    assert calls.hotkeys == 0  # no hotkey changed
    window.undo_stack.undo()
    disk = reopen()
    assert disk.library.phrase("bye").title == "结束语"  # type: ignore[union-attr]
    disk.close()
    assert editor.title_edit.text() == "结束语"
    window.undo_stack.redo()
    assert reopen().library.phrase("bye").title == "结束语-新"  # type: ignore[union-attr]


def test_delete_then_undo_restores_on_disk(window: SettingsWindow, ws: Workspace) -> None:
    page = window.phrases_page
    with_signal = []
    window.library_changed.connect(lambda: with_signal.append(1))
    select(window, "remind")
    page.table.setFocus()
    QTest.keyClick(page.table, Qt.Key.Key_Delete)
    assert reopen().library.phrase("remind") is None
    assert ws.store.list_backups(), "a backup is taken before deleting"
    assert with_signal
    QTest.keyClick(page.table, Qt.Key.Key_Z, CTRL)
    restored = reopen().library.phrase("remind")
    assert restored is not None and restored.category == "pay" and restored.code == "cf1"
    QTest.keyClick(page.table, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert reopen().library.phrase("remind") is None


def test_empty_title_and_duplicate_code_are_blocked(window: SettingsWindow) -> None:
    page = window.phrases_page
    select(window, "bye")
    editor = page.editor
    editor.code_edit.setText("HY1")  # codes compare case-insensitively
    assert editor.code_error.isVisibleTo(editor)
    assert "标准欢迎语" in editor.code_error.text()
    assert not editor.save()
    editor.code_edit.setText("js1")
    assert not editor.code_error.isVisibleTo(editor)
    editor.title_edit.clear()
    assert editor.title_error.isVisibleTo(editor)
    assert not editor.save()
    disk = reopen()
    assert disk.library.phrase("bye").code == "js1"  # type: ignore[union-attr]
    assert disk.library.phrase("bye").title == "结束语"  # type: ignore[union-attr]
    disk.close()


def test_hotkey_capture_and_conflicts(window: SettingsWindow, calls: Calls) -> None:
    page = window.phrases_page
    select(window, "bye")
    edit = page.editor.hotkey_edit
    edit.setFocus()
    QTest.keyClick(edit, Qt.Key.Key_5, CTRL_ALT)
    assert edit.text() == "ctrl+alt+5"
    assert not page.editor.hotkey_error.isVisibleTo(page.editor)
    QTest.keyClick(edit, Qt.Key.Key_1, CTRL_ALT)  # used by 标准欢迎语
    assert edit.hotkey() == "ctrl+alt+1"
    assert page.editor.hotkey_error.isVisibleTo(page.editor)
    assert "标准欢迎语" in page.editor.hotkey_error.text()
    assert not page.editor.save()
    QTest.keyClick(edit, Qt.Key.Key_Space, CTRL_ALT)  # the picker hotkey
    assert "picker" in page.editor.hotkey_error.text()
    QTest.keyClick(edit, Qt.Key.Key_7, CTRL_ALT)  # free
    assert not page.editor.hotkey_error.isVisibleTo(page.editor)
    # Ctrl+N is a window shortcut, but the hotkey field records it instead
    QTest.keyClick(edit, Qt.Key.Key_N, CTRL)
    assert edit.hotkey() == "ctrl+n" and not page.editor.is_new
    QTest.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.hotkey() == ""
    QTest.keyClick(edit, Qt.Key.Key_6, CTRL_ALT)
    before = calls.hotkeys
    assert page.editor.save()
    assert calls.hotkeys == before + 1, "hotkey changes are applied at once"
    assert reopen().library.phrase("bye").hotkey == "ctrl+alt+6"  # type: ignore[union-attr]


def test_warnings_do_not_block(window: SettingsWindow) -> None:
    page = window.phrases_page
    select(window, "bye")
    editor = page.editor
    editor.body_edit.setPlainText("我们的质量最好,{未知}")
    assert editor.body_warning.isVisibleTo(editor) and "{未知}" in editor.body_warning.text()
    assert editor.lint_warning.isVisibleTo(editor) and "最好" in editor.lint_warning.text()
    assert editor.save()
    assert reopen().library.phrase("bye").body == "我们的质量最好,{未知}"  # type: ignore[union-attr]


def test_preview_uses_profile(window: SettingsWindow) -> None:
    select(window, "hello")
    assert window.phrases_page.editor.preview.text() == "您好,我是1024号客服"
    window.phrases_page.editor.body_edit.setPlainText("{店铺}:{顾客}")
    assert window.phrases_page.editor.preview.text() == "花漾旗舰店:【顾客】"


def test_insert_placeholder_menu(window: SettingsWindow) -> None:
    select(window, "bye")
    editor = window.phrases_page.editor
    actions = editor.insert_menu.actions()
    assert any("{工号}" in a.text() for a in actions)
    editor.body_edit.moveCursor(editor.body_edit.textCursor().MoveOperation.End)
    [agent] = [a for a in actions if "{工号}" in a.text()]
    agent.trigger()
    assert editor.body_edit.toPlainText().endswith("{工号}")


def test_read_only_phrase_is_not_editable(window: SettingsWindow, ws: Workspace) -> None:
    ws.library.phrases.append(Phrase("team1", "团队话术", "团队内容", "greet", source="team.toml"))
    window.phrases_page.refresh(Outcome(library=True))
    select(window, "team1")
    editor = window.phrases_page.editor
    assert editor.read_only and editor.banner.isVisibleTo(editor)
    assert editor.title_edit.isReadOnly() and editor.body_edit.isReadOnly()
    assert not editor.hotkey_edit.isEnabled()
    window.phrases_page.delete_selected()
    assert ws.library.phrase("team1") is not None


def test_multi_select_move_duplicate_delete(window: SettingsWindow, ws: Workspace) -> None:
    page = window.phrases_page
    page.tree.select("greet")
    page.table.selectAll()
    assert sorted(page.selected_ids()) == ["bye", "hello"]
    page.move_phrases(page.selected_ids(), "after")
    disk = reopen()
    assert {p.id for p in disk.library.phrases_in("after")} == {"bye", "hello", "sorry"}
    disk.close()
    page.tree.select("after")
    page.table.selectAll()
    page.duplicate_selected()
    copies = [p for p in ws.library.phrases if p.title.endswith("(copy)")]
    assert len(copies) == 3 and all(not p.hotkey and not p.code for p in copies)
    assert len(reopen().library.phrases) == 8
    page.tree.select("after")
    page.table.selectAll()
    page.delete_selected()
    assert reopen().library.phrases_in("after") == []
    window.undo_stack.undo()  # the delete
    assert len(reopen().library.phrases_in("after")) == 6


def test_filter_and_shortcuts(window: SettingsWindow) -> None:
    page = window.phrases_page
    QTest.keyClick(page.table, Qt.Key.Key_F, CTRL)
    assert page.filter_edit.hasFocus()
    QTest.keyClicks(page.filter_edit, "cf2")
    assert page.model.phrase_ids()[0] == "sms"
    page.filter_edit.clear()
    assert page.model.rowCount() == 5
    commit_text(page.filter_edit, "致歉")
    assert page.model.phrase_ids() == ["sorry"]
    QTest.keyClick(page.filter_edit, Qt.Key.Key_Down)
    assert page.table.hasFocus()
    assert page.editor.phrase is not None and page.editor.phrase.id == "sorry"


def test_switching_phrase_saves_valid_changes(window: SettingsWindow, qtbot: object) -> None:
    page = window.phrases_page
    select(window, "bye")
    page.editor.code_edit.setText("js9")
    page.select_phrase("sorry")
    qtbot.waitUntil(lambda: reopen().library.phrase("bye").code == "js9")  # type: ignore[attr-defined,union-attr]


def test_switching_with_errors_asks(
    window: SettingsWindow, prompts: FakePrompts, qtbot: object
) -> None:
    page = window.phrases_page
    select(window, "bye")
    page.editor.title_edit.clear()
    prompts.confirms.append(False)  # keep editing
    page.select_phrase("sorry")
    qtbot.waitUntil(lambda: not prompts.confirms)  # type: ignore[attr-defined]
    assert page.editor.phrase is not None and page.editor.phrase.id == "bye"
    assert page.editor.is_dirty()


def test_filtering_keeps_unsaved_editor(
    window: SettingsWindow, prompts: FakePrompts, qtbot: object
) -> None:
    page = window.phrases_page
    select(window, "bye")
    page.editor.title_edit.clear()  # invalid, unsaved
    page.filter_edit.setText("cf")
    page.filter_edit.setText("js")
    qtbot.wait(10)  # type: ignore[attr-defined]
    assert prompts.asked == []
    assert page.editor.phrase is not None and page.editor.phrase.id == "bye"
    assert page.editor.is_dirty()
    assert page.selected_ids() == ["bye"]  # listed again: selected again


def test_a_save_that_fails_half_way_leaves_disk_as_shown(
    window: SettingsWindow, ws: Workspace, prompts: FakePrompts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Moving a phrase rewrites two files; the disk fills up after the first one."""
    from app.core import storage

    real = storage.atomic_write_text
    calls: list[str] = []

    def flaky(path: Path, text: str) -> None:
        if path.suffix == ".toml":
            calls.append(path.name)
            if len(calls) == 2:
                raise OSError(28, "No space left on device")
        real(path, text)

    monkeypatch.setattr(storage, "atomic_write_text", flaky)
    window.phrases_page.move_phrases(["hello"], "after")
    assert window.last_error is not None or prompts.errors
    assert ws.library.phrase("hello").category == "greet"  # type: ignore[union-attr]
    monkeypatch.setattr(storage, "atomic_write_text", real)
    disk = reopen()
    moved = disk.library.phrase("hello")
    assert moved is not None and moved.category == "greet"  # not lost between two files
    disk.close()


def test_example_questions_are_edited_saved_and_undone(window: SettingsWindow) -> None:
    select(window, "bye")
    editor = window.phrases_page.editor
    assert editor.examples_edit.toPlainText() == ""
    editor.examples_edit.setFocus()
    commit_text(editor.examples_edit, "谢谢\n  好的  拜拜 \n\n谢谢")
    assert editor.examples() == ["谢谢", "好的 拜拜"]  # trimmed, no blanks or repeats
    assert editor.is_dirty()
    assert editor.save()
    disk = reopen()
    assert disk.library.phrase("bye").examples == ["谢谢", "好的 拜拜"]  # type: ignore[union-attr]
    disk.close()
    window.undo_stack.undo()
    disk = reopen()
    assert disk.library.phrase("bye").examples == []  # type: ignore[union-attr]
    disk.close()
    assert editor.examples_edit.toPlainText() == ""
    window.undo_stack.redo()
    assert editor.examples_edit.toPlainText() == "谢谢\n好的 拜拜"


def test_example_questions_of_a_read_only_phrase(window: SettingsWindow, ws: Workspace) -> None:
    ws.library.phrases.append(
        Phrase("team2", "团队话术", "团队内容", "greet", source="team.toml", examples=["问"])
    )
    window.phrases_page.refresh(Outcome(library=True))
    select(window, "team2")
    editor = window.phrases_page.editor
    assert editor.examples_edit.toPlainText() == "问"
    assert editor.examples_edit.isReadOnly()
    select(window, "bye")
    assert not editor.examples_edit.isReadOnly()


def _below(upper: object, lower: object) -> bool:
    return upper.geometry().bottom() < lower.geometry().top()  # type: ignore[attr-defined]


def test_narrow_editor_puts_labels_above_fields(window: SettingsWindow) -> None:
    editor = window.phrases_page.editor
    window.resize(window.minimumSizeHint().width(), 700)
    splitter = window.phrases_page.splitter
    total = sum(splitter.sizes())
    splitter.setSizes([0, total, 0])  # every pane at its minimum but the list
    QApplication.processEvents()
    assert editor.width() < editor.sizeHint().width()
    # a long label (example questions) goes above its field, which keeps its room
    assert _below(editor.examples_label, editor.examples_edit)
    assert editor.hotkey_edit.width() >= editor.hotkey_edit.minimumWidth() > 60
    for field in (editor.title_edit, editor.tags_edit, editor.examples_edit, editor.body_edit):
        assert field.width() >= field.minimumWidth() > 100  # still readable
    window.resize(2000, 700)  # room for every pane, whatever the font
    QApplication.processEvents()
    splitter.setSizes([0, 0, sum(splitter.sizes())])
    QApplication.processEvents()
    assert not _below(editor.examples_label, editor.examples_edit)  # wide: side by side
    assert editor.examples_label.y() < editor.examples_edit.geometry().bottom()


def test_category_buttons_wrap_in_a_narrow_pane(window: SettingsWindow) -> None:
    page = window.phrases_page
    splitter = page.splitter
    first, last = page.add_cat_button, page.delete_cat_button
    window.resize(2000, 700)  # room for every pane, whatever the font
    QApplication.processEvents()
    splitter.setSizes([sum(splitter.sizes()), 0, 0])
    QApplication.processEvents()
    assert first.y() == last.y()  # one row
    splitter.setSizes([0, 2000, 2000])
    QApplication.processEvents()
    assert last.y() > first.y()  # wrapped below
    assert page.tree.width() >= page.tree.minimumWidth() > 60
    left = page.tree.parentWidget()
    assert left is not None and last.geometry().bottom() <= left.height()  # not cut off

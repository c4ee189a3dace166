"""Categories: add, rename, reorder, nest, delete (with confirmation), all saved and undoable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.ui.settings.window import SettingsWindow

from .conftest import FakePrompts, reopen

CTRL = Qt.KeyboardModifier.ControlModifier


def tops() -> list[str]:
    disk = reopen()
    out = [c.id for c in disk.library.top_categories()]
    disk.close()
    return out


def test_add_top_level_and_sub_category(window: SettingsWindow, prompts: FakePrompts) -> None:
    page = window.phrases_page
    prompts.texts.append("物流")
    cid = page.add_category()
    assert cid is not None
    disk = reopen()
    cat = disk.library.category(cid)
    assert cat is not None and cat.name == "物流" and cat.parent is None
    assert tops()[-1] == cid  # appended at the end
    assert page.tree.current_category() == cid
    prompts.texts.append("物流异常")
    sub = page.add_category(sub=True)
    disk = reopen()
    assert disk.library.category(sub).parent == cid  # type: ignore[arg-type,union-attr]
    prompts.texts.append(None)  # cancelled
    assert page.add_category() is None
    window.undo_stack.undo()
    assert reopen().library.category(sub) is None  # type: ignore[arg-type]


def test_rename_by_editing_the_item(window: SettingsWindow) -> None:
    tree = window.phrases_page.tree
    tree.select("greet")
    tree.setFocus()
    QTest.keyClick(tree, Qt.Key.Key_F2)  # opens the inline editor
    assert tree.state() == tree.State.EditingState
    item = tree.item_for("greet")
    assert item is not None
    item.setText(0, "问候语")  # what committing the inline editor does
    assert reopen().library.category("greet").name == "问候语"  # type: ignore[union-attr]
    item = tree.item_for("greet")
    assert item is not None
    item.setText(0, "   ")  # an empty name is refused
    assert reopen().library.category("greet").name == "问候语"  # type: ignore[union-attr]
    window.undo_stack.undo()
    assert reopen().library.category("greet").name == "欢迎语"  # type: ignore[union-attr]


def test_reorder_with_ctrl_up_down(window: SettingsWindow) -> None:
    tree = window.phrases_page.tree
    assert tops() == ["greet", "pay", "after"]
    tree.select("after")
    tree.setFocus()
    QTest.keyClick(tree, Qt.Key.Key_Up, CTRL)
    assert tops() == ["greet", "after", "pay"]
    assert tree.current_category() == "after"
    QTest.keyClick(tree, Qt.Key.Key_Up, CTRL)
    assert tops() == ["after", "greet", "pay"]
    QTest.keyClick(tree, Qt.Key.Key_Down, CTRL)
    assert tops() == ["greet", "after", "pay"]
    window.undo_stack.undo()
    assert tops() == ["after", "greet", "pay"]


def test_nest_and_unnest_with_keyboard(window: SettingsWindow) -> None:
    tree = window.phrases_page.tree
    tree.select("after")
    tree.setFocus()
    QTest.keyClick(tree, Qt.Key.Key_Right, CTRL)  # under 催付 (the category above)
    disk = reopen()
    assert disk.library.category("after").parent == "pay"  # type: ignore[union-attr]
    assert [c.id for c in disk.library.children("pay")] == ["pay-sms", "after"]
    assert disk.library.phrase("sorry").category == "after"  # type: ignore[union-attr]
    disk.close()
    tree.select("pay")
    QTest.keyClick(tree, Qt.Key.Key_Right, CTRL)  # has children: one level only
    assert reopen().library.category("pay").parent is None  # type: ignore[union-attr]
    tree.select("after")
    QTest.keyClick(tree, Qt.Key.Key_Left, CTRL)
    assert tops() == ["greet", "pay", "after"]


def test_drag_layout_that_nests_two_levels_is_refused(
    window: SettingsWindow, prompts: FakePrompts
) -> None:
    page = window.phrases_page
    # the tree as a drop would leave it: 售后 under 短信催付 (a third level)
    page._on_layout(
        [("greet", None, 10), ("pay", None, 20), ("pay-sms", "pay", 10), ("after", "pay-sms", 10)],
        "after",
    )
    assert prompts.errors and "one level" in prompts.errors[-1]
    assert reopen().library.category("after").parent is None  # type: ignore[union-attr]
    assert page.tree.item_for("after") is not None
    assert page.tree.item_for("after").parent() is None  # type: ignore[union-attr]
    # a valid drop: 售后 becomes a child of 欢迎语
    page._on_layout([*page.tree.layout_from_tree()[:1], ("after", "greet", 10)], "after")
    assert reopen().library.category("after").parent == "greet"  # type: ignore[union-attr]


def test_delete_category_asks_and_can_be_undone(
    window: SettingsWindow, prompts: FakePrompts
) -> None:
    tree = window.phrases_page.tree
    tree.select("pay")
    tree.setFocus()
    prompts.confirms.append(False)
    QTest.keyClick(tree, Qt.Key.Key_Delete)
    assert "2 phrase(s)" in prompts.asked[-1]
    assert reopen().library.category("pay") is not None
    prompts.confirms.append(True)
    QTest.keyClick(tree, Qt.Key.Key_Delete)
    disk = reopen()
    assert disk.library.category("pay") is None and disk.library.category("pay-sms") is None
    assert disk.library.phrase("remind") is None and disk.library.phrase("sms") is None
    disk.close()
    window.undo_stack.undo()
    disk = reopen()
    assert disk.library.category("pay-sms").parent == "pay"  # type: ignore[union-attr]
    assert disk.library.phrase("sms").category == "pay-sms"  # type: ignore[union-attr]
    disk.close()


def test_dropping_phrases_on_a_category_moves_them(window: SettingsWindow) -> None:
    page = window.phrases_page
    page.tree.phrases_dropped.emit(["hello", "bye"], "after")
    assert {p.id for p in reopen().library.phrases_in("after")} == {"hello", "bye", "sorry"}

"""Issue 9: changing a phrase's category in the editor moves it between files, so it takes
a backup like a move (one undo away), and the library refuses hidden characters."""

from __future__ import annotations

from pathlib import Path

from app.core.fsutil import Paths
from app.core.model import Category
from app.core.workspace import Workspace
from app.ui.settings.commands import CommandContext, EditPhrase, RenameCategory


def _ctx(ws: Workspace, errors: list[str]) -> CommandContext:
    return CommandContext(ws, lambda outcome: None, errors.append)


def test_category_change_to_another_file_takes_a_backup(huashu_home: Path) -> None:
    ws = Workspace.open(Paths(huashu_home))
    tops = ws.library.top_categories()
    phrase = ws.library.phrases_in(tops[0].id)[0]
    errors: list[str] = []
    before = len(ws.store.list_backups())
    EditPhrase(_ctx(ws, errors), phrase, phrase.copy(title="新标题"), "edit").redo()
    assert len(ws.store.list_backups()) == before  # same file: no backup
    now = ws.library.phrase(phrase.id)
    assert now is not None
    EditPhrase(_ctx(ws, errors), now, now.copy(category=tops[1].id), "move").redo()
    backups = ws.store.list_backups()
    assert len(backups) == before + 1 and backups[-1].name.endswith("-move")
    assert errors == []
    ws.close()


def test_category_change_within_its_top_category_takes_no_backup(huashu_home: Path) -> None:
    ws = Workspace.open(Paths(huashu_home))
    top = ws.library.top_categories()[0]
    ws.library.add_category(Category("kid", "子类", parent=top.id))
    phrase = ws.library.phrases_in(top.id)[0]
    before = len(ws.store.list_backups())
    EditPhrase(_ctx(ws, []), phrase, phrase.copy(category="kid"), "nest").redo()
    assert len(ws.store.list_backups()) == before
    ws.close()


def test_rename_to_hidden_characters_fails_and_rolls_back(huashu_home: Path) -> None:
    ws = Workspace.open(Paths(huashu_home))
    top = ws.library.top_categories()[0]
    errors: list[str] = []
    cmd = RenameCategory(_ctx(ws, errors), top.id, "欢\u202e迎", "rename")
    cmd.redo()
    assert errors and "invisible character U+202E" in errors[0]
    assert ws.library.category(top.id).name == top.name  # type: ignore[union-attr]
    ws.close()


def test_failed_commands_report_coded_messages(huashu_home: Path) -> None:
    from app.core.messages import localize
    from app.core.problems import Msg
    from app.ui.settings.commands import ArrangeCategories, MovePhrases

    ws = Workspace.open(Paths(huashu_home))
    top = ws.library.top_categories()[0]
    phrase = ws.library.phrases_in(top.id)[0]
    errors: list[str] = []
    MovePhrases(_ctx(ws, errors), [phrase.id], "gone", "move").redo()
    MovePhrases(_ctx(ws, errors), ["nope"], top.id, "move").redo()
    ArrangeCategories(_ctx(ws, errors), [(top.id, "lost", 0)], "nest").redo()
    codes = [(e.code, e.params) for e in errors if isinstance(e, Msg)]
    assert codes == [
        ("import.no_category", {"id": "gone"}),
        ("library.no_phrase", {"id": "nope"}),
        ("library.no_parent", {"id": "lost"}),
    ]
    assert localize(errors[2], "zh_CN") == "上级分类 'lost' 不存在"
    assert ws.library.phrase(phrase.id).category == top.id  # type: ignore[union-attr]
    ws.close()

"""The workspace announces library changes: a transaction plus a change event, so no
caller has to remember to (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core import subscriptions as subs
from app.core.fsutil import Paths
from app.core.importing import apply_import, undo_import
from app.core.model import Category, Phrase
from app.core.packs import Pack, PackMeta, build_pack, dump_pack, preview_import
from app.core.workspace import Workspace


@pytest.fixture
def ws(huashu_home: Path) -> Workspace:
    w = Workspace.open(Paths(huashu_home), seed=False)
    yield w
    w.close()


def _events(ws: Workspace) -> list[int]:
    seen: list[int] = []
    ws.watch_library(lambda: seen.append(len(ws.library.phrases)))
    return seen


def _pack() -> Pack:
    cat = Category("c1", "欢迎", 1)
    phrase = Phrase("p1", "你好", "您好", "c1")
    return Pack(PackMeta("团队"), [cat], [phrase], "team.toml")


def test_a_transaction_announces_once_at_its_end(ws: Workspace) -> None:
    seen = _events(ws)
    with ws.transaction() as same:
        assert same is ws
        ws.library.add_category(Category("c", "欢迎", 1))
        ws.library.add_phrase(Phrase("a", "A", "a", "c"))
        with ws.transaction():
            ws.library.add_phrase(Phrase("b", "B", "b", "c"))
        ws.library_changed()  # inside a transaction: deferred, not repeated
        assert seen == []
    assert seen == [2]


def test_a_failed_transaction_announces_nothing(ws: Workspace) -> None:
    seen = _events(ws)
    with pytest.raises(RuntimeError), ws.transaction():
        raise RuntimeError("disk full")
    assert seen == []
    with ws.transaction():  # the failure left no state behind
        pass
    assert seen == [0]


def test_a_failed_transaction_announces_what_nested_ones_completed(ws: Workspace) -> None:
    seen = _events(ws)
    with pytest.raises(RuntimeError), ws.transaction():
        with ws.transaction():
            ws.library.add_category(Category("c", "欢迎", 1))
        raise RuntimeError("after a completed restore")
    assert seen == [0]


def test_library_changed_outside_a_transaction_announces_at_once(ws: Workspace) -> None:
    seen = _events(ws)
    ws.library_changed()
    ws.library_changed()
    assert seen == [0, 0]


def test_the_search_index_follows_the_event(ws: Workspace) -> None:
    assert ws.search("您好") == []
    with ws.transaction():
        ws.library.add_category(Category("c", "欢迎", 1))
        ws.library.add_phrase(Phrase("a", "问候", "您好", "c"))
        assert ws.search("您好") == []  # rebuilt at the end, not before
    assert [h.phrase.id for h in ws.search("您好")] == ["a"]


def test_watching_stops(ws: Workspace) -> None:
    seen: list[str] = []
    stop = ws.watch_library(lambda: seen.append("a"))
    ws.watch_library(lambda: seen.append("b"))
    ws.library_changed()
    stop()
    stop()  # twice is harmless
    ws.library_changed()
    assert seen == ["a", "b", "b"]


def test_saving_and_deleting_announce(ws: Workspace) -> None:
    seen = _events(ws)
    ws.library.add_category(Category("c", "欢迎", 1))
    ws.library.add_phrase(Phrase("a", "A", "a", "c"))
    ws.save_library()
    assert seen == [1]
    ws.delete_phrases(["a"])
    assert seen == [1, 0]


def test_import_and_undo_announce_once_each(ws: Workspace) -> None:
    seen = _events(ws)
    res = apply_import(ws, preview_import(ws.library, _pack()))
    assert res.added == 1 and seen == [1]
    undo_import(ws, res.backup)
    assert seen == [1, 0]


def test_a_failed_import_announces_the_restored_library(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _events(ws)

    def broken(*_args: object) -> list[str]:
        raise OSError("disk full")

    monkeypatch.setattr(ws.store, "save", broken)
    with pytest.raises(OSError, match="disk full"):
        apply_import(ws, preview_import(ws.library, _pack()))
    assert seen == [0]  # announced once, with the library as it was


def test_subscription_flows_announce(ws: Workspace, tmp_path: Path) -> None:
    team = tmp_path / "team.toml"
    lib = ws.library.__class__()
    lib.add_category(Category("c1", "欢迎", 1))
    lib.add_phrase(Phrase("p1", "你好", "您好", "c1"))
    team.write_text(dump_pack(build_pack(lib, PackMeta("团队"))), "utf-8")
    seen = _events(ws)
    subs.subscribe(ws, team)
    assert seen == [1]
    assert subs.refresh(ws, team).any_change is False
    assert seen == [1]  # nothing changed: nothing announced
    lib.add_phrase(Phrase("p2", "再见", "再见", "c1"))
    team.write_text(dump_pack(build_pack(lib, PackMeta("团队"))), "utf-8")
    assert subs.refresh(ws, team).added == 1
    assert seen == [1, 2]
    assert subs.unsubscribe(ws, team) == 2
    assert seen == [1, 2, 0]

"""app.services.team_packs and app.services.imports: the flows the tray app and the
command line share."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core import subscriptions
from app.core.fsutil import Paths
from app.core.model import Category, Library, Phrase
from app.core.packs import PackError, PackMeta, build_pack, dump_pack, preview_import
from app.core.subscriptions import RefreshResult
from app.core.workspace import Workspace
from app.services import imports
from app.services.team_packs import TeamPacks


def _team(path: Path, count: int, hotkey: str = "") -> None:
    lib = Library()
    lib.add_category(Category("t", "团队", 1))
    for i in range(count):
        lib.add_phrase(
            Phrase(f"t{i}", f"话术{i}", f"正文{i}", "t", hotkey=hotkey if i == 0 else "")
        )
    path.write_text(dump_pack(build_pack(lib, PackMeta("团队话术", version="1"))), "utf-8")


@pytest.fixture
def ws(huashu_home: Path) -> Workspace:
    ws = Workspace.open(Paths(huashu_home), seed=False)
    yield ws
    ws.close()


def test_subscribe_refresh_and_unsubscribe(ws: Workspace, tmp_path: Path) -> None:
    team = tmp_path / "team.toml"
    _team(team, 10)
    packs = TeamPacks(ws)
    res = packs.subscribe(team)
    assert res.added == 10 and packs.paths() == [res.path]
    _team(team, 2)  # 8 of 10 removed: held
    held = packs.refresh(res.path)
    assert held.held and len([p for p in ws.library.phrases if p.source]) == 10
    assert packs.refresh(res.path).held  # still held: nobody accepted
    packs.accept_shrink(res.path)
    taken = packs.refresh(res.path)
    assert not taken.held and len([p for p in ws.library.phrases if p.source]) == 2
    _team(team, 10)
    assert not packs.refresh(res.path).held
    _team(team, 2)
    assert packs.refresh(res.path).held  # accepting was for one refresh only
    assert packs.unsubscribe(team) == 10
    assert packs.paths() == []


def test_subscribing_again_to_a_shrunk_pack(ws: Workspace, tmp_path: Path) -> None:
    team = tmp_path / "team.toml"
    _team(team, 10)
    packs = TeamPacks(ws)
    packs.subscribe(team)
    _team(team, 2)
    assert packs.subscribe(team).held  # removes 8 of 10: held
    assert not packs.subscribe(team, allow_shrink=True).held
    assert len([p for p in ws.library.phrases if p.source]) == 2


def test_refresh_takes_what_a_reader_thread_fetched(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[object] = []

    def refresh(ws_: Workspace, path: str, *, fetched: object, allow_shrink: bool) -> object:
        seen.append((path, fetched, allow_shrink))
        return RefreshResult(path=path, slug="s")

    monkeypatch.setattr(subscriptions, "refresh", refresh)
    packs = TeamPacks(ws)
    pack = build_pack(Library(), PackMeta("空"))
    error = PackError([])
    packs.refresh("a", pack)
    packs.refresh("a", error)
    packs.refresh("a")
    packs.accept_shrink("a")
    packs.refresh("a", RuntimeError("thread died"))
    assert seen[:3] == [("a", pack, False), ("a", error, False), ("a", None, False)]
    path, got, allow = seen[3]  # type: ignore[misc]
    assert path == "a" and allow is True
    assert isinstance(got, PackError) and got is not error


def test_import_and_undo(ws: Workspace, tmp_path: Path) -> None:
    from app.core.packs import read_pack

    ws.library.add_category(Category("mine", "我的", 1))
    ws.library.add_phrase(Phrase("m1", "我的", "我自己的话术", "mine"))
    ws.save_library()
    team = tmp_path / "team.toml"
    _team(team, 3)
    preview = preview_import(ws.library, read_pack(team))
    before = len(ws.library.phrases)
    res = imports.import_pack(ws, preview, "skip")
    assert res.added == 3 and len(ws.library.phrases) == before + 3
    assert res.backup is not None
    assert imports.undo(ws, res.backup)
    assert len(ws.library.phrases) == before


@pytest.mark.parametrize(("accept", "bound"), [(False, 0), (True, 1)])
def test_import_binds_hotkeys_only_when_asked(
    ws: Workspace, tmp_path: Path, accept: bool, bound: int
) -> None:
    from app.core.packs import read_pack

    team = tmp_path / "team.toml"
    _team(team, 2, hotkey="ctrl+alt+9")
    preview = preview_import(ws.library, read_pack(team))
    if accept:
        res = imports.import_pack(ws, preview, "skip", accept_hotkeys=True)
    else:
        res = imports.import_pack(ws, preview, "skip")
    assert res.hotkeys_bound == bound and len(res.hotkeys_dropped) == 1 - bound


def test_import_conflicts_follow_the_choice(ws: Workspace, tmp_path: Path) -> None:
    from app.core.packs import read_pack

    team = tmp_path / "team.toml"
    _team(team, 2)
    imports.import_pack(ws, preview_import(ws.library, read_pack(team)), "skip")
    lib = Library()
    lib.add_category(Category("t", "团队", 1))
    lib.add_phrase(Phrase("t0", "话术0", "新的正文", "t"))
    team.write_text(dump_pack(build_pack(lib, PackMeta("团队话术", version="2"))), "utf-8")
    skipped = imports.import_pack(ws, preview_import(ws.library, read_pack(team)), "skip")
    replaced = imports.import_pack(ws, preview_import(ws.library, read_pack(team)), "replace")
    assert (skipped.replaced, replaced.replaced) == (0, 1)

"""Rows 1-3 of issue 9: one writer at a time across processes, nothing lost."""

from __future__ import annotations

from pathlib import Path

from app.core.fsutil import Paths
from app.core.model import Phrase
from app.core.storage import LibraryStore
from app.core.workspace import Workspace

from .conftest import report, run_cli, start_cli, write_pack


def _ids(home: Path) -> set[str]:
    result = LibraryStore(Paths(home)).load()
    assert result.problems == []
    return {p.id for p in result.library.phrases}


def test_row1_two_parallel_pack_imports_lose_nothing(tmp_path: Path) -> None:
    a = write_pack(tmp_path / "a.toml", "a", 2000, "team")
    b = write_pack(tmp_path / "b.toml", "b", 2000, "team")
    runs, lost = 4, 0
    for run in range(runs):
        home = tmp_path / f"home{run}"
        assert run_cli(home, "list").returncode == 0  # seeds the built-in library
        before = _ids(home)
        procs = [start_cli(home, "pack", "import", str(tmp_path / f)) for f in ("a.toml", "b.toml")]
        for p in procs:
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
            assert "imported: 2000 added" in out
        ids = _ids(home)
        lost += len((a | b | before) - ids)
    report("row 1 (two parallel imports of 2,000)", runs, lost)
    assert lost == 0


def test_row2_app_workspace_open_while_cli_writes(tmp_path: Path, huashu_home: Path) -> None:
    """The app's workspace stays open while the CLI imports and sets the profile; the app
    then saves a phrase and a shop: nothing the CLI wrote is lost."""
    pack = write_pack(tmp_path / "a.toml", "a", 2000, "team")
    runs, lost = 3, 0
    for run in range(runs):
        home = tmp_path / f"home{run}"
        app_ws = Workspace.open(Paths(home))  # the tray app's view, loaded first
        cat = app_ws.library.top_categories()[0].id
        imp = start_cli(home, "pack", "import", str(tmp_path / "a.toml"))
        prof = start_cli(home, "profile", "--agent-no", "42", "--shop", "新店")
        for p in (imp, prof):
            _out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
        app_ws.library.add_phrase(Phrase(f"app-{run}", "应用里加的", "您好", cat))
        app_ws.save_library()
        app_ws.settings.profile.agent_name = "阿华"
        app_ws.save_settings()
        app_ws.close()
        ids = _ids(home)
        lost += len((pack | {f"app-{run}"}) - ids)
        fresh = Workspace.open(Paths(home))
        prof_now = fresh.settings.profile
        fresh.close()
        lost += (prof_now.agent_no != "42") + ("新店" not in prof_now.shops)
        lost += prof_now.agent_name != "阿华"
    report("row 2 (app open while the CLI imports and sets the profile)", runs, lost)
    assert lost == 0


def test_row3_parallel_profile_shops_all_kept(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_cli(home, "list").returncode == 0
    pairs = 20
    wanted: set[str] = set()
    for i in range(pairs):
        procs = [start_cli(home, "profile", "--shop", f"{side}{i}") for side in "AB"]
        wanted |= {f"A{i}", f"B{i}"}
        for p in procs:
            _out, err = p.communicate(timeout=60)
            assert p.returncode == 0, err
    ws = Workspace.open(Paths(home))
    shops = set(ws.settings.profile.shops)
    ws.close()
    lost = len(wanted - shops)
    report("row 3 (20 pairs of parallel profile --shop)", pairs, lost)
    assert lost == 0

"""Issue 9 in Workspace: settings merge on save, sync with other processes, best-effort
use counts, profile values checked, empty profile values named."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.core.fsutil import Paths
from app.core.model import Phrase
from app.core.settings import SettingsError
from app.core.workspace import Workspace


@pytest.fixture
def two(huashu_home: Path) -> tuple[Workspace, Workspace]:
    Workspace.open(Paths(huashu_home)).close()
    a, b = Workspace.open(Paths(huashu_home)), Workspace.open(Paths(huashu_home))
    yield a, b
    a.close()
    b.close()


def test_settings_saves_merge_instead_of_overwriting(two: tuple[Workspace, Workspace]) -> None:
    a, b = two
    a.settings.profile.agent_no = "42"
    a.settings.profile.set_shop("A")
    a.save_settings()
    b.settings.profile.set_shop("B")
    b.save_settings()
    assert b.settings.profile.agent_no == "42"  # merged into b's object in place
    assert b.settings.profile.shops == ["A", "B"]
    fresh = Workspace.open(a.paths, seed=False)
    assert fresh.settings.profile.agent_no == "42"
    assert fresh.settings.profile.shops == ["A", "B"]
    fresh.close()


def test_sync_reports_what_changed(two: tuple[Workspace, Workspace]) -> None:
    a, b = two
    assert b.sync() == set()
    a.settings.profile.agent_no = "9"
    a.save_settings()
    assert b.sync() == {"settings"}
    assert b.settings.profile.agent_no == "9"
    cat = a.library.top_categories()[0].id
    a.library.add_phrase(Phrase("new", "新", "您好", cat))
    a.save_library()
    assert b.sync() == {"library"}
    assert b.library.phrase("new") is not None
    assert b.sync() == set()


def test_sync_of_a_touched_but_equal_settings_file_is_quiet(
    two: tuple[Workspace, Workspace],
) -> None:
    a, b = two
    a.save_settings()  # rewritten with the same values
    assert b.sync() == set()


def test_sync_keeps_unsaved_local_settings(two: tuple[Workspace, Workspace]) -> None:
    a, b = two
    b.settings.profile.agent_name = "阿华"  # not saved yet
    a.settings.profile.agent_no = "5"
    a.save_settings()
    b.sync()
    assert b.settings.profile.agent_name == "阿华" and b.settings.profile.agent_no == "5"


def test_sync_follows_subscriptions_changed_elsewhere(
    two: tuple[Workspace, Workspace], tmp_path: Path
) -> None:
    from app.core import subscriptions as subs

    team = tmp_path / "team.toml"
    team.write_text(
        '[pack]\nformat = 1\nname = "团队"\n[[categories]]\nid = "c"\nname = "C"\n'
        '[[phrases]]\nid = "p"\ntitle = "t"\nbody = "b"\ncategory = "c"\n',
        "utf-8",
    )
    a, b = two
    subs.subscribe(a, team)
    assert b.sync() == {"settings", "library"}
    assert [p.title for p in b.library.phrases if p.source] == ["t"]
    subs.unsubscribe(a, team)
    b.sync()
    assert not [p for p in b.library.phrases if p.source]


def test_unreadable_settings_change_is_ignored(two: tuple[Workspace, Workspace]) -> None:
    a, b = two
    a.paths.settings.write_text("schema_version = [\n", "utf-8")
    assert b.sync() == set()


def test_record_use_failure_warns_once_and_still_counts(huashu_home: Path) -> None:
    ws = Workspace.open(Paths(huashu_home))
    ws.index  # noqa: B018 - ranking must see the count too
    ws.usage._db.close()
    ws.usage._db = sqlite3.connect(f"file:{ws.paths.usage}?mode=ro", uri=True)
    pid = ws.library.phrases[0].id
    first = ws.record_use(pid)
    assert first is not None and "cannot save the usage statistics" in first
    assert ws.record_use(pid) is None
    assert ws.usage.get(pid)[0] == 2
    ws.close()


def test_record_use_success_returns_none(huashu_home: Path) -> None:
    ws = Workspace.open(Paths(huashu_home))
    assert ws.record_use(ws.library.phrases[0].id) is None
    assert ws.usage_warning is None
    ws.close()


@pytest.mark.parametrize("field", ["agent_no", "agent_name"])
def test_profile_values_with_control_characters_are_not_saved(
    huashu_home: Path, field: str
) -> None:
    ws = Workspace.open(Paths(huashu_home))
    setattr(ws.settings.profile, field, "7\n\x1b[31m")
    with pytest.raises(SettingsError, match=f"'{field}' contains a line break"):
        ws.save_settings()
    ws.close()
    assert not Paths(huashu_home).settings.exists() or "\\u001b" not in (
        Paths(huashu_home).settings.read_text("utf-8")
    )


def test_invisible_shop_name_is_not_saved(huashu_home: Path) -> None:
    ws = Workspace.open(Paths(huashu_home))
    ws.settings.profile.set_shop("新\u200b店")
    with pytest.raises(SettingsError, match="'shops' contains the invisible character U\\+200B"):
        ws.save_settings()
    ws.close()


def test_empty_profile_values_are_named(huashu_home: Path) -> None:
    ws = Workspace.open(Paths(huashu_home))
    phrase = Phrase("x", "t", "我是{工号}号客服{agent_name},欢迎光临{店铺}{工号}", "c")
    assert ws.empty_profile_values(phrase) == ["{工号}", "{客服}", "{店铺}"]
    ws.settings.profile.agent_no = "7"
    ws.settings.profile.set_shop("店")
    assert ws.empty_profile_values(phrase) == ["{客服}"]
    ws.settings.profile.agent_name = "阿华"
    assert ws.empty_profile_values(phrase) == []
    assert ws.empty_profile_values(Phrase("y", "t", "您好{{工号}}", "c")) == []
    ws.close()


def test_corrupt_usage_is_a_workspace_problem(huashu_home: Path) -> None:
    huashu_home.mkdir(parents=True)
    Paths(huashu_home).usage.write_bytes(b"garbage" * 100)
    ws = Workspace.open(Paths(huashu_home))
    assert [p.file for p in ws.problems] == ["usage.sqlite3"]
    ws.close()


def test_sync_gives_up_quickly_while_another_process_writes(huashu_home: Path) -> None:
    import subprocess
    import sys

    from app.core.locking import BusyError

    ws = Workspace.open(Paths(huashu_home))
    holder = (
        "import sys\nfrom pathlib import Path\nfrom app.core.locking import HomeLock\n"
        "with HomeLock(Path(sys.argv[1])).hold():\n"
        "    print('held', flush=True)\n    sys.stdin.readline()\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", holder, str(huashu_home)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None and proc.stdin is not None
        assert proc.stdout.readline().strip() == "held"
        with pytest.raises(BusyError):
            ws.sync(timeout=0.05)
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(timeout=10)
    assert ws.sync(timeout=0.05) == set()
    ws.close()

"""Rows 7-10 and 14-18: clean text, formula cells, settings that degrade per value,
deleted built-ins, held team-pack refreshes, the command line and start-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w

from app.core.fsutil import Paths
from app.core.model import LibraryError, Phrase
from app.core.workspace import Workspace

from .conftest import ROOT, cli_env, report, run_cli, write_pack

posix = pytest.mark.linux_only("POSIX resource limits")


def _pack_with(path: Path, **fields: str) -> None:
    phrase = {"id": "x1", "title": "标题", "body": "您好", "category": "c", **fields}
    data = {
        "pack": {"format": 1, "name": "x"},
        "categories": [{"id": "c", "name": "分类"}],
        "phrases": [phrase],
    }
    path.write_text(tomli_w.dumps(data), "utf-8")


def test_row8_formula_cells_are_neutralised_on_export(tmp_path: Path) -> None:
    cells = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)"]
    csv = tmp_path / "in.csv"
    rows = ["快捷短语编码,快捷短语,快捷短语分组"] + [
        f'"{c}",组' if "," in c else f",{c},组" for c in cells
    ]
    csv.write_text("\r\n".join(rows) + "\r\n", "utf-8")
    home = tmp_path / "home"
    done = run_cli(home, "pack", "import", str(csv))
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("may run it as a formula") == 4
    out = tmp_path / "out.csv"
    assert run_cli(home, "pack", "export", str(out)).returncode == 0
    text = out.read_text("utf-8-sig")
    for c in cells:
        assert f"'{c}" in text
    for line in text.splitlines()[1:]:
        for cell in line.split(","):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), line
    lint = run_cli(home, "lint")
    assert lint.stdout.count("spreadsheet formula") >= 4
    # a round trip through Huashu gives the original text back
    back = tmp_path / "home2"
    assert run_cli(back, "pack", "import", str(out)).returncode == 0
    ws = Workspace.open(Paths(back))
    bodies = {p.body for p in ws.library.phrases}
    ws.close()
    assert set(cells) <= bodies
    report("row 8 (formula cells exported)", len(cells), 0)


@pytest.mark.parametrize("ch", ["\u202e", "\u2028", "\u200b"])
def test_row9_invisible_characters(tmp_path: Path, ch: str) -> None:
    home = tmp_path / "home"
    for field in ("title", "code"):
        pack = tmp_path / f"{field}.toml"
        _pack_with(pack, **{field: f"cf{ch}1"})
        done = run_cli(home, "pack", "import", str(pack))
        assert done.returncode == 1 and "invisible character" in done.stderr, done.stderr
    body = tmp_path / "body.toml"
    _pack_with(body, body=f"您好{ch}请稍等")
    assert run_cli(home, "pack", "import", str(body)).returncode == 0
    lint = run_cli(home, "lint")
    assert lint.returncode == 1 and f"U+{ord(ch):04X}" in lint.stdout
    done = run_cli(home, "profile", "--shop", f"新{ch}店")
    assert done.returncode == 1 and "invisible character" in done.stderr
    ws = Workspace.open(Paths(home))
    cat = ws.library.top_categories()[0].id
    with pytest.raises(LibraryError, match="invisible"):
        ws.library.add_phrase(Phrase("z", f"标{ch}题", "您好", cat))
    assert f"新{ch}店" not in ws.settings.profile.shops
    ws.close()


def test_row10_control_characters_and_long_fields(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_cli(home, "list").returncode == 0
    ws = Workspace.open(Paths(home))
    cat = ws.library.top_categories()[0].id
    refused = 0
    for title in ("a\x07b", "a\x1b[31m", "a\x00b", "长" * 5000):
        with pytest.raises(LibraryError):
            ws.library.add_phrase(Phrase(f"bad{refused}", title, "您好", cat))
        refused += 1
    ws.close()
    done = run_cli(home, "profile", "--agent-no", "7\n\x1b[31m")
    assert done.returncode == 1 and "not allowed" in done.stderr
    assert run_cli(home, "pack", "export", str(tmp_path / "all.toml")).returncode == 0
    assert run_cli(home, "pack", "export", str(tmp_path / "all.csv")).returncode == 0
    report("row 10 (control characters, 5,000-character title)", refused + 1, 0)


def test_row14_settings_degrade_per_value(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_cli(home, "list").returncode == 0
    (home / "settings.toml").write_text(
        "schema_version = 2\n"
        '[profile]\nagent_no = 7\nagent_name = 5\nshops = ["小美", 3]\nactive_shop = "小美"\n'
        "[subscriptions]\nfiles = [1, {a = 1}]\n",
        "utf-8",
    )
    done = run_cli(home, "profile")
    assert done.returncode == 0, done.stderr
    assert "agent number: 7" in done.stdout and "小美" in done.stdout
    assert "'agent_name'" in done.stderr and "'files'" in done.stderr
    assert run_cli(home, "profile", "--agent-name", "阿华").returncode == 0
    saved = (home / "settings.toml").read_text("utf-8")
    assert "{'a'" not in saved and '"1"' not in saved
    assert 'agent_no = "7"' in saved and '"小美"' in saved
    report("row 14 (one wrong value in settings.toml)", 1, 0)


@pytest.mark.parametrize("damage", ["garbage", "wrong type", "missing"])
def test_row15_deleted_builtins_stay_deleted(tmp_path: Path, damage: str) -> None:
    home = tmp_path / "home"
    ws = Workspace.open(Paths(home))
    gone = [p.id for p in ws.library.phrases[:20]]
    ws.delete_phrases(gone)
    ws.close()
    state = Paths(home).builtin_state
    if damage == "garbage":
        state.write_bytes(b"\xff\xfe not toml [[[")
    elif damage == "wrong type":
        state.write_text('offered = "all"\n', "utf-8")
    else:
        state.unlink()
    done = run_cli(home, "list", "--json")
    assert done.returncode == 0, done.stderr
    back = [pid for pid in gone if f'"{pid}"' in done.stdout]
    report(f"row 15 (builtin-state.toml {damage})", 1, len(back))
    assert back == []


def test_row16_suspicious_refresh_is_held(tmp_path: Path) -> None:
    home = tmp_path / "home"
    team = tmp_path / "team.toml"
    write_pack(team, "t", 50)
    assert run_cli(home, "subscribe", str(team)).returncode == 0
    team.write_text('[pack]\nformat = 1\nname = "pack t"\n', "utf-8")  # emptied
    done = run_cli(home, "subscribe", str(team))
    assert done.returncode == 1 and "removes 50 of 50" in done.stderr
    ws = Workspace.open(Paths(home))
    kept = len([p for p in ws.library.phrases if p.source])
    ws.close()
    report("row 16 (team pack emptied to its header)", 1, 50 - kept)
    assert kept == 50
    assert run_cli(home, "subscribe", "--accept-removals", str(team)).returncode == 0
    ws = Workspace.open(Paths(home))
    assert not [p for p in ws.library.phrases if p.source]
    ws.close()


@posix
def test_row17_cli_on_a_full_disk_is_one_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_cli(home, "list").returncode == 0
    pack = tmp_path / "big.toml"
    write_pack(pack, "b", 500)
    before = sorted((p.name, p.read_bytes()) for p in (home / "library").glob("*.toml"))

    def full_disk() -> None:  # files cannot grow past 4 KB: writes fail like ENOSPC
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    done = subprocess.run(
        [sys.executable, "-m", "app", "pack", "import", str(pack)],
        env=cli_env(home),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        preexec_fn=full_disk,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("huashu: error")]
    assert len(errors) == 1 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    after = sorted((p.name, p.read_bytes()) for p in (home / "library").glob("*.toml"))
    assert after == before
    report("row 17 (pack import on a full disk)", 1, 0)


@posix
def test_row17_broken_pipe_is_quiet_and_warnings_print_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_cli(home, "list").returncode == 0
    (home / "library" / "broken.toml").write_text("[[phrases]\n", "utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "search", "c", "--limit", "50"],
        env=cli_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode("utf-8")
    proc.wait(timeout=30)
    proc.stderr.close()
    assert "Broken pipe" not in err and "Traceback" not in err, err
    assert err.count("broken.toml") == 1, err


def test_row18_no_display_is_one_clear_line(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "home")
    env.pop("QT_QPA_PLATFORM", None)
    done = subprocess.run(
        [sys.executable, "-m", "app"], env=env, capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display" in lines[0], done.stderr
    assert "xcb" not in done.stderr and done.stdout == ""

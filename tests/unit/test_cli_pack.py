"""``huashu pack export|import|check|undo`` and ``huashu subscribe|unsubscribe``."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import cli
from app.core.fsutil import Paths


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _snapshot(home: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((home / "library").glob("*.toml"))}


def test_export_check_and_dry_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, huashu_home: Path
) -> None:
    pack = tmp_path / "team.toml"
    code, out, _ = run(capsys, "pack", "export", str(pack), "--category", "催付", "--name", "团队")
    assert code == 0 and "exported" in out
    code, out, _ = run(capsys, "pack", "check", str(pack))
    assert code == 0 and out.startswith("ok: team.toml:")
    before = _snapshot(huashu_home)
    code, out, _ = run(capsys, "pack", "import", str(pack), "--dry-run")
    assert code == 0 and "dry run" in out
    total = out.splitlines()[-2].split()
    assert total[0] == "total" and int(total[1]) == 0 and int(total[2]) > 0  # all identical
    assert _snapshot(huashu_home) == before

    csv_path = tmp_path / "qn.csv"
    code, out, _ = run(capsys, "pack", "export", str(csv_path))
    assert code == 0 and "(qianniu)" in out
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    code, out, _ = run(capsys, "pack", "import", str(csv_path), "--dry-run")
    assert code == 0 and "UTF-8 with BOM" in out


def test_check_lists_every_problem_and_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[pack]\nformat = 1\nname = "x"\n[[categories]]\nid = "a"\nname = "A"\n'
        '[[phrases]]\nid = "p"\ntitle = "t"\nbody = 1\ncategory = "a"\n'
        '[[phrases]]\nid = "q"\ntitle = "t"\nbody = "b"\ncategory = "zz"\n',
        "utf-8",
    )
    code, out, err = run(capsys, "pack", "check", str(bad))
    assert code == 1 and out == ""
    assert "2 problem(s)" in err
    assert "bad.toml:7: 'body' must be text" in err
    assert "bad.toml:12: phrase 'q': category 'zz' not found" in err
    newer = tmp_path / "newer.toml"
    newer.write_text('[pack]\nformat = 3\nname = "x"\n', "utf-8")
    code, _, err = run(capsys, "pack", "check", str(newer))
    assert code == 1 and "format 3 is newer" in err


def test_import_text_then_undo(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, huashu_home: Path
) -> None:
    run(capsys, "list")
    before = _snapshot(huashu_home)
    txt = tmp_path / "lines.txt"
    txt.write_text("第一句话术\n第二句话术\n", "utf-8")
    code, _, err = run(capsys, "pack", "import", str(txt))
    assert code == 1 and "needs a category" in err
    code, out, _ = run(capsys, "pack", "import", str(txt), "--category", "临时")
    assert code == 0 and "2 added" in out
    code, out, _ = run(capsys, "list", "--category", "临时")
    assert "第一句话术" in out
    _, out2, _ = run(capsys, "pack", "import", str(txt), "--category", "临时")
    assert "0 added" in out2 and "2 already there" in out2
    backup = next(line for line in out2.splitlines() if line.startswith("backup: "))
    # Undo the first import: restore the backup taken before it.
    from app.core.storage import LibraryStore

    first = LibraryStore(Paths(huashu_home)).list_backups()[0]
    code, out, _ = run(capsys, "pack", "undo", str(first))
    assert code == 0 and "restored" in out
    assert _snapshot(huashu_home) == before
    assert backup


def test_import_conflict_policy(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run(capsys, "list")
    csv_path = tmp_path / "c.csv"
    csv_path.write_bytes(
        "快捷短语编码,快捷短语,快捷短语分组\r\ncf1,另一种说法,催付\r\n".encode("gbk")
    )
    code, out, _ = run(capsys, "pack", "import", str(csv_path), "--on-conflict", "keep-both")
    assert code == 0 and "encoding GBK" in out and "1 kept both" in out
    assert "code cf1 renamed to cf1-2" in out
    code, out, _ = run(capsys, "search", "cf1-2")
    assert "另一种说法" in out


def test_subscribe_and_unsubscribe(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pack = tmp_path / "team.toml"
    run(capsys, "pack", "export", str(pack), "--category", "物流", "--name", "团队物流")
    code, out, _ = run(capsys, "subscribe", str(pack))
    assert code == 0 and "subscribed to 团队物流" in out
    code, out, _ = run(capsys, "list", "--category", "团队物流", "--json")
    assert code == 0 and '"source": "团队物流"' in out
    code, out, _ = run(capsys, "unsubscribe", str(pack))
    assert code == 0 and int(out.split(": ")[1].split()[0]) > 0
    code, _, err = run(capsys, "unsubscribe", str(pack))
    assert code == 1 and "not subscribed" in err
    junk = tmp_path / "junk.toml"
    junk.write_bytes(b"\x00\x01")
    code, _, err = run(capsys, "subscribe", str(junk))
    assert code == 1 and "binary" in err

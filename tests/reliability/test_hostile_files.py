"""Rows 4, 5, 11, 12, 13: corrupt usage data, hostile shapes, FIFOs, huge CSVs, device
names. Real processes run against real files; each prints its figures."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
import tomli_w

from app.core.fsutil import Paths
from app.core.packs import PackError, read_pack
from app.core.packs.qianniu import read_qianniu
from app.core.storage import LibraryStore, is_reserved_name
from app.core.subscriptions import fetch

from .conftest import ROOT, cli_env, report, run_cli

posix = pytest.mark.linux_only("POSIX resource limits / FIFOs")


def _limited(home: Path, *args: str, mem_mb: int) -> tuple[subprocess.CompletedProcess[str], float]:
    """``huashu ARGS`` with its address space capped (the old parser needed 2.4 GB)."""

    def cap() -> None:
        limit = mem_mb * 1024 * 1024
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "app", *args],
        env=cli_env(home),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        preexec_fn=cap,
    )
    return done, time.perf_counter() - t0


@pytest.mark.parametrize("shape", ["truncated", "random", "directory"])
def test_row4_corrupt_usage_data_is_moved_aside(tmp_path: Path, shape: str) -> None:
    home = tmp_path / "home"
    assert run_cli(home, "list").returncode == 0
    usage = Paths(home).usage
    data = usage.read_bytes() if usage.exists() else b""
    usage.unlink(missing_ok=True)
    if shape == "truncated":
        usage.write_bytes((data or b"SQLite format 3\x00" + b"\x10\x00" * 100)[:100])
    elif shape == "random":
        usage.write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    else:
        usage.mkdir()
    done = run_cli(home, "list")
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "usage statistics" in line]
    assert len(warnings) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert len(list(home.glob("usage.sqlite3.corrupt-*"))) == 1
    again = run_cli(home, "stats")
    assert again.returncode == 0 and again.stderr == "", again.stderr
    report(f"row 4 (usage.sqlite3 {shape})", 1, 0)


@posix
@pytest.mark.parametrize("segments", [20_000, 40_000])
def test_row5_dotted_key_bomb_is_refused_cheaply(tmp_path: Path, segments: int) -> None:
    bomb = tmp_path / "bomb.toml"
    bomb.write_text('[pack]\nformat = 1\nname = "x"\n' + '"a".' * segments + '"a" = 1\n')
    done, seconds = _limited(tmp_path / "home", "pack", "check", str(bomb), mem_mb=400)
    assert done.returncode == 1, done.stderr
    assert "nested too deeply" in done.stderr
    # in-process: the parser never runs, so memory stays small
    tracemalloc.start()
    with pytest.raises(PackError):
        read_pack(bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"\nrow 5: {bomb.stat().st_size // 1024} KB refused by a process in {seconds:.2f} s; "
        f"parse peak {peak / 1e6:.1f} MB"
    )
    assert peak < 50e6


@posix
def test_row5_hostile_library_and_settings_files_do_not_stop_start(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_cli(home, "list").returncode == 0
    (home / "library" / "bomb.toml").write_text('"a".' * 20_000 + '"a" = 1\n')
    (home / "settings.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    done, seconds = _limited(home, "list", mem_mb=400)
    assert done.returncode == 0, done.stderr
    assert "library/bomb.toml" in done.stderr and "settings.toml" in done.stderr
    print(f"\nrow 5: hostile library + settings file: start in {seconds:.2f} s")


@posix
def test_row11_fifo_pack_and_subscription_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "team.toml"
    os.mkfifo(fifo)
    home = tmp_path / "home"
    for args in (
        ("pack", "check", str(fifo)),
        ("pack", "import", str(fifo)),
        ("subscribe", str(fifo)),
    ):
        done = run_cli(home, *args, timeout=30)  # a blocking open would hang here
        assert done.returncode == 1, (args, done.stderr)
        assert "not a regular file" in done.stderr
    (tmp_path / "dir.toml").mkdir()
    done = run_cli(home, "pack", "check", str(tmp_path / "dir.toml"))
    assert done.returncode == 1 and "not a regular file" in done.stderr
    report("row 11 (FIFO / folder as a pack or subscription)", 4, 0)


def test_row11_stalled_source_times_out(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import threading

    from app.core import subscriptions

    release = threading.Event()

    def stalled(path: object, source: object = None) -> object:
        release.wait(30)  # a network share that does not answer
        raise AssertionError("unreachable")

    monkeypatch.setattr(subscriptions, "read_pack", stalled)
    with pytest.raises(PackError, match=r"did not answer within 0\.2 s"):
        fetch(tmp_path / "team.toml", timeout=0.2)
    release.set()


def test_row12_qianniu_groups_are_capped(tmp_path: Path) -> None:
    rows = ["快捷短语编码,快捷短语,快捷短语分组"]
    rows += [f"c{i},您好 {i},组{i}" for i in range(5000)]
    csv = tmp_path / "many.csv"
    csv.write_text("\r\n".join(rows) + "\r\n", "utf-8")
    with pytest.raises(PackError, match="more than 1000 groups"):
        read_qianniu(csv)
    home = tmp_path / "home"
    done = run_cli(home, "pack", "import", str(csv))
    assert done.returncode == 1 and "more than 1000 groups" in done.stderr
    assert not (home / "library").exists() or len(list((home / "library").glob("*.toml"))) < 20
    # 1,000 groups: accepted, and the preview maps them in linear time (no timing assert)
    ok = tmp_path / "ok.csv"
    ok.write_text("\r\n".join(rows[:1001]) + "\r\n", "utf-8")
    t0 = time.perf_counter()
    done = run_cli(home, "pack", "import", "--dry-run", str(ok))
    assert done.returncode == 0, done.stderr
    print(
        f"\nrow 12: 5,000 groups refused; 1,000-group preview in {time.perf_counter() - t0:.2f} s"
    )


def test_row13_device_names_never_become_file_names(tmp_path: Path) -> None:
    pack = tmp_path / "dev.toml"
    cats = ["con", "aux", "com1.txt", "NUL", "lpt9", "prn"]
    data = {
        "pack": {"format": 1, "name": "dev"},
        "categories": [{"id": c, "name": f"分类{c}"} for c in cats],
        "phrases": [
            {"id": f"p-{i}", "title": f"t{i}", "body": "您好", "category": c}
            for i, c in enumerate(cats)
        ],
    }
    pack.write_text(tomli_w.dumps(data), "utf-8")
    home = tmp_path / "home"
    done = run_cli(home, "pack", "import", str(pack))
    assert done.returncode == 0, done.stderr
    names = [p.name for p in (home / "library").glob("*.toml")]
    assert not [n for n in names if is_reserved_name(n)], names
    result = LibraryStore(Paths(home)).load()
    assert {f"p-{i}" for i in range(len(cats))} <= {p.id for p in result.library.phrases}
    report("row 13 (device names as category ids)", len(cats), 0)

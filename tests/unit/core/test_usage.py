from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from app.core.usage import UsageStore


def test_record_and_persist(tmp_path: Path) -> None:
    db = tmp_path / "usage.sqlite3"
    u = UsageStore(db)
    u.record("a", ts=100.0)
    u.record("a", ts=200.0)
    u.record("b", ts=150.0)
    assert u.get("a") == (2, 200.0)
    assert u.get("zz") == (0, 0.0)
    u.close()
    u2 = UsageStore(db)
    assert u2.get("a") == (2, 200.0)
    assert {x.phrase_id for x in u2.all()} == {"a", "b"}
    u2.forget(["a"])
    assert u2.get("a") == (0, 0.0)
    u2.close()


def test_per_day(tmp_path: Path) -> None:
    u = UsageStore(None)
    today = dt.date.today()
    now = time.time()
    u.record("a", ts=now)
    u.record("a", ts=now)
    u.record("a", ts=now - 86400 * 2)
    u.record("a", ts=now - 86400 * 30)
    per = u.per_day(7, today=today)
    assert per["a"][today] == 2
    assert sum(per["a"].values()) == 3


# -- issue 9: corrupt data never stops the app; failed writes are best-effort ---------------
import os  # noqa: E402
import sqlite3  # noqa: E402

import pytest  # noqa: E402

from app.core.usage import UsageError  # noqa: E402


@pytest.mark.parametrize("shape", ["truncated", "random", "directory"])
def test_damaged_file_is_moved_aside_and_counting_starts_empty(tmp_path: Path, shape: str) -> None:
    db = tmp_path / "usage.sqlite3"
    good = UsageStore(db)
    good.record("a")
    good.close()
    if shape == "truncated":
        db.write_bytes(db.read_bytes()[:100])
    elif shape == "random":
        db.write_bytes(b"SQLite format 3\x00" + os.urandom(2048))
    else:
        db.unlink()
        db.mkdir()
    u = UsageStore(db)
    assert u.problem is not None and u.problem.file == "usage.sqlite3"
    moved = list(tmp_path.glob("usage.sqlite3.corrupt-*"))
    assert len(moved) == 1
    assert f"moved aside as {moved[0].name}; statistics start empty" in u.problem.message
    assert u.all() == []
    u.record("b")
    assert u.get("b")[0] == 1
    u.close()
    again = UsageStore(db)  # the fresh file is a real database now
    assert again.problem is None and again.get("b")[0] == 1
    again.close()


def test_second_damage_in_the_same_second_gets_its_own_name(tmp_path: Path) -> None:
    db = tmp_path / "usage.sqlite3"
    for _ in range(2):
        db.write_bytes(b"not a database at all" * 10)
        UsageStore(db).close()
    assert len(list(tmp_path.glob("usage.sqlite3.corrupt-*"))) == 2


def test_healthy_file_has_no_problem(tmp_path: Path) -> None:
    u = UsageStore(tmp_path / "usage.sqlite3")
    assert u.problem is None
    u.close()


def test_failed_write_raises_usage_error_and_keeps_the_count(tmp_path: Path) -> None:
    db = tmp_path / "usage.sqlite3"
    UsageStore(db).close()
    u = UsageStore(db)
    u._db.close()
    u._db = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    with pytest.raises(UsageError, match="cannot save the usage statistics"):
        u.record("a", ts=5.0)
    assert u.get("a") == (1, 5.0)
    u.close()

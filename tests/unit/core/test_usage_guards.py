"""app.core.usage: cases written against mutants that survived test_usage.py (issue 13)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import time
from pathlib import Path

import pytest

import app.core.usage as usage
from app.core.usage import UsageStore, UseCount


def test_all_forget_and_a_first_use_time() -> None:
    u = UsageStore(None)
    u.record("a", ts=5.0)
    u.record("a", ts=3.0)
    u.record("b", ts=0.5)  # used before 1 s after the epoch: still its last use
    assert sorted(u.all(), key=lambda c: c.phrase_id) == [
        UseCount("a", 2, 5.0),
        UseCount("b", 1, 0.5),
    ]
    u.forget(["a", "never-used"])
    assert [c.phrase_id for c in u.all()] == ["b"]
    assert u.get("a") == (0, 0.0)
    u.close()


def test_per_day_covers_exactly_the_last_days() -> None:
    u = UsageStore(None)
    today = dt.date(2026, 3, 10)
    for back in range(5):
        day = today - dt.timedelta(days=back)
        u.record("a", ts=time.mktime(day.timetuple()) + 3600)
    per = u.per_day(3, today=today)["a"]
    assert sorted(per) == [dt.date(2026, 3, 8), dt.date(2026, 3, 9), today]
    u.close()


def test_per_day_defaults_to_today() -> None:
    u = UsageStore(None)
    u.record("a")
    assert u.per_day(1) == {"a": {dt.date.today(): 1}}
    u.close()


def test_a_damaged_file_is_moved_aside_with_its_journal_files(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "usage.sqlite3"
    db.mkdir()  # (SQLite would clean up the journal files of a damaged file itself)
    for suffix in ("-journal", "-wal", "-shm"):
        (tmp_path / f"usage.sqlite3{suffix}").write_bytes(b"old " + suffix.encode())
    with caplog.at_level(logging.WARNING, logger="app.core.usage"):
        u = UsageStore(db)
    assert u.problem is not None
    assert [r.getMessage() for r in caplog.records] == [str(u.problem)]
    moved = sorted(p.name for p in tmp_path.glob("usage.sqlite3.corrupt-*"))
    assert len(moved) == 4
    base = moved[0]
    assert re.fullmatch(r"usage\.sqlite3\.corrupt-\d{8}-\d{6}", base), base
    assert moved[1:] == [base + "-journal", base + "-shm", base + "-wal"]
    assert (tmp_path / (base + "-wal")).read_bytes() == b"old -wal"
    u.close()


def test_names_of_later_damages_count_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Frozen:
            return cls(2026, 1, 2, 3, 4, 5)

    monkeypatch.setattr(usage._dt, "datetime", Frozen)
    db = tmp_path / "usage.sqlite3"
    for _ in range(4):
        db.write_bytes(b"not a database at all" * 10)
        UsageStore(db).close()
    names = sorted(p.name for p in tmp_path.glob("usage.sqlite3.corrupt-*"))
    stem = "usage.sqlite3.corrupt-20260102-030405"
    assert names == [stem, stem + "-2", stem + "-3", stem + "-4"]


def test_a_damaged_file_that_cannot_be_moved_is_counted_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "usage.sqlite3"
    db.write_bytes(b"not a database at all" * 10)

    def refuse(src: object, dst: object) -> None:
        raise PermissionError("in use")

    monkeypatch.setattr(usage.os, "replace", refuse)
    with caplog.at_level(logging.ERROR, logger="app.core.usage"):
        u = UsageStore(db)
    assert u.problem is not None
    assert "moved aside as (could not move it); statistics start empty" in u.problem.message
    assert f"cannot move {db} aside: in use" in [r.getMessage() for r in caplog.records]
    u.record("a")
    assert u.get("a")[0] == 1
    u.close()
    assert db.read_bytes() == b"not a database at all" * 10  # untouched
    assert os.listdir(tmp_path) == ["usage.sqlite3"]


def test_the_store_opens_in_a_folder_not_made_yet(tmp_path: Path) -> None:
    u = UsageStore(tmp_path / "a" / "b" / "usage.sqlite3")
    u.record("x")
    u.close()
    assert UsageStore(tmp_path / "a" / "b" / "usage.sqlite3").get("x")[0] == 1


def test_a_store_without_a_file_writes_nothing_to_disk_and_serves_any_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    monkeypatch.chdir(tmp_path)
    u = UsageStore(None)
    worker = threading.Thread(target=u.record, args=("a",))
    worker.start()
    worker.join()
    assert u.get("a")[0] == 1
    u.close()
    assert os.listdir(tmp_path) == []

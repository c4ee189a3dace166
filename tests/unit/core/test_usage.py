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

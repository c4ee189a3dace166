"""Use counts and last-used times of phrases, in ``usage.sqlite3`` (stdlib sqlite3)."""

from __future__ import annotations

import datetime as _dt
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS usage (
    phrase_id TEXT PRIMARY KEY,
    count INTEGER NOT NULL DEFAULT 0,
    last_used REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS events (
    phrase_id TEXT NOT NULL,
    ts REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS events_ts ON events(ts);
"""


@dataclass(frozen=True)
class UseCount:
    phrase_id: str
    count: int
    last_used: float


class UsageStore:
    """Thin wrapper over SQLite; keeps an in-memory copy for fast ranking look-ups."""

    def __init__(self, path: Path | None) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        self._db.executescript(_SCHEMA)
        self._cache: dict[str, tuple[int, float]] = {
            pid: (count, last)
            for pid, count, last in self._db.execute(
                "SELECT phrase_id, count, last_used FROM usage"
            )
        }

    def close(self) -> None:
        self._db.close()

    def record(self, phrase_id: str, ts: float | None = None) -> None:
        ts = time.time() if ts is None else ts
        with self._db:
            self._db.execute(
                "INSERT INTO usage(phrase_id, count, last_used) VALUES (?, 1, ?) "
                "ON CONFLICT(phrase_id) DO UPDATE SET count = count + 1, "
                "last_used = max(last_used, excluded.last_used)",
                (phrase_id, ts),
            )
            self._db.execute("INSERT INTO events(phrase_id, ts) VALUES (?, ?)", (phrase_id, ts))
        count, last = self._cache.get(phrase_id, (0, 0.0))
        self._cache[phrase_id] = (count + 1, max(last, ts))

    def get(self, phrase_id: str) -> tuple[int, float]:
        """(use count, last used as epoch seconds); (0, 0.0) for a never-used phrase."""
        return self._cache.get(phrase_id, (0, 0.0))

    def all(self) -> list[UseCount]:
        return [UseCount(pid, c, t) for pid, (c, t) in self._cache.items()]

    def forget(self, phrase_ids: Iterable[str]) -> None:
        ids = list(phrase_ids)
        with self._db:
            self._db.executemany("DELETE FROM usage WHERE phrase_id = ?", [(i,) for i in ids])
        for i in ids:
            self._cache.pop(i, None)

    def per_day(
        self, days: int, *, today: _dt.date | None = None
    ) -> dict[str, dict[_dt.date, int]]:
        """phrase id -> {day -> uses} for the last ``days`` days (today included)."""
        today = today or _dt.date.today()
        start = today - _dt.timedelta(days=days - 1)
        since = time.mktime(start.timetuple())
        out: dict[str, dict[_dt.date, int]] = {}
        for pid, ts in self._db.execute("SELECT phrase_id, ts FROM events WHERE ts >= ?", (since,)):
            day = _dt.date.fromtimestamp(ts)
            per = out.setdefault(pid, {})
            per[day] = per.get(day, 0) + 1
        return out

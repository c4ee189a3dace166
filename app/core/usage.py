"""Use counts and last-used times of phrases, in ``usage.sqlite3`` (stdlib sqlite3)."""

from __future__ import annotations

import datetime as _dt
import logging
import os
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.core.fsutil import Problem
from app.core.problems import Msg

log = logging.getLogger(__name__)


class UsageError(Exception):
    """Use counts could not be saved (disk full, read-only folder, damaged file)."""


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
        self.problem: Problem | None = None
        """Set when a damaged file was moved aside at start (one warning for the user)."""
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._open(path)
        except sqlite3.Error as exc:
            if path is None:
                raise
            self._close_quietly()
            moved = _move_aside(path)
            self.problem = Problem(
                path.name,
                None,
                Msg(
                    "usage.damaged",
                    msg=str(exc),
                    name=moved.name if moved else Msg("usage.not_moved"),
                ),
            )
            log.warning("%s", self.problem)
            try:
                self._open(path if moved else None)
            except sqlite3.Error:
                self._open(None)  # in memory: counts of this session only

    def _open(self, path: Path | None) -> None:
        self._db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        self._db.executescript(_SCHEMA)
        self._cache: dict[str, tuple[int, float]] = {
            pid: (count, last)
            for pid, count, last in self._db.execute(
                "SELECT phrase_id, count, last_used FROM usage"
            )
        }
        self._db.execute("SELECT count(*) FROM events").fetchone()

    def _close_quietly(self) -> None:
        db = getattr(self, "_db", None)
        if db is not None:
            try:
                db.close()
            except sqlite3.Error:
                pass

    def close(self) -> None:
        self._db.close()

    def record(self, phrase_id: str, ts: float | None = None) -> None:
        ts = time.time() if ts is None else ts
        count, last = self._cache.get(phrase_id, (0, 0.0))
        self._cache[phrase_id] = (count + 1, max(last, ts))  # ranking works even if not saved
        try:
            self._write(phrase_id, ts)
        except sqlite3.Error as exc:
            raise UsageError(Msg("usage.cannot_save", msg=str(exc))) from None

    def _write(self, phrase_id: str, ts: float) -> None:
        with self._db:
            self._db.execute(
                "INSERT INTO usage(phrase_id, count, last_used) VALUES (?, 1, ?) "
                "ON CONFLICT(phrase_id) DO UPDATE SET count = count + 1, "
                "last_used = max(last_used, excluded.last_used)",
                (phrase_id, ts),
            )
            self._db.execute("INSERT INTO events(phrase_id, ts) VALUES (?, ?)", (phrase_id, ts))

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


def _move_aside(path: Path) -> Path | None:
    """Rename a damaged database (and its journal files) to ``<name>.corrupt-<time>``."""
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    try:
        os.replace(path, target)
    except OSError as exc:
        log.error("cannot move %s aside: %s", path, exc)
        return None
    for suffix in ("-journal", "-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            try:
                os.replace(extra, target.with_name(target.name + suffix))
            except OSError:
                pass
    return target

"""Where the suggestion ranker keeps what it learned: ``suggest.sqlite3`` (stdlib sqlite3).

Each row is one message an agent answered with one phrase, and how often. It stays on this
computer; long digit runs (phone, order and tracking numbers) are masked before a message
is stored, and each phrase keeps only its :data:`MAX_PER_PHRASE` most recent messages.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from app.core.suggest import Learned

MAX_PER_PHRASE = 30
MAX_MESSAGE = 300

_SCHEMA = """
CREATE TABLE IF NOT EXISTS learned (
    phrase_id TEXT NOT NULL,
    message TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 1,
    last_used REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (phrase_id, message)
);
"""
_DIGITS = re.compile(r"\d{5,}")


def clean_message(message: str) -> str:
    """The message as stored: one line, long digit runs masked, at most MAX_MESSAGE chars."""
    flat = " ".join(message.split())
    return _DIGITS.sub("#", flat)[:MAX_MESSAGE]


class MemoryLearnStore:
    """A learn store that forgets on exit (tests, the command line without a home)."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], int] = {}

    def load(self) -> list[Learned]:
        return [Learned(pid, msg, n) for (pid, msg), n in self._rows.items()]

    def add(self, phrase_id: str, message: str) -> Learned:
        key = (phrase_id, clean_message(message))
        self._rows[key] = self._rows.get(key, 0) + 1
        return Learned(key[0], key[1], self._rows[key])

    def forget(self, phrase_ids: Iterable[str]) -> None:
        ids = set(phrase_ids)
        self._rows = {k: v for k, v in self._rows.items() if k[0] not in ids}


class SqliteLearnStore:
    """The learn store in a SQLite file (created on first use).

    One connection serves two threads (the ranker's builder loads, the GUI thread adds):
    each operation holds ``_lock``, as Python's sqlite3 asks of a shared connection.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._lock = threading.RLock()

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), timeout=5, check_same_thread=False)
            self._db.executescript(_SCHEMA)
        return self._db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def load(self) -> list[Learned]:
        with self._lock:
            if self._db is None and not self.path.exists():
                return []
            rows = self._conn().execute(
                "SELECT phrase_id, message, count FROM learned ORDER BY last_used"
            )
            return [Learned(pid, msg, count) for pid, msg, count in rows]

    def add(self, phrase_id: str, message: str, ts: float | None = None) -> Learned:
        message = clean_message(message)
        ts = time.time() if ts is None else ts
        with self._lock, self._conn() as db:
            db.execute(
                "INSERT INTO learned(phrase_id, message, count, last_used) VALUES (?, ?, 1, ?) "
                "ON CONFLICT(phrase_id, message) DO UPDATE SET count = count + 1, "
                "last_used = max(last_used, excluded.last_used)",
                (phrase_id, message, ts),
            )
            db.execute(
                "DELETE FROM learned WHERE phrase_id = ? AND rowid NOT IN (SELECT rowid FROM "
                "learned WHERE phrase_id = ? ORDER BY last_used DESC, rowid DESC LIMIT ?)",
                (phrase_id, phrase_id, MAX_PER_PHRASE),
            )
            (count,) = db.execute(
                "SELECT count FROM learned WHERE phrase_id = ? AND message = ?",
                (phrase_id, message),
            ).fetchone()
        return Learned(phrase_id, message, int(count))

    def forget(self, phrase_ids: Iterable[str]) -> None:
        ids = [(i,) for i in phrase_ids]
        with self._lock:
            if not ids or (self._db is None and not self.path.exists()):
                return
            with self._conn() as db:
                db.executemany("DELETE FROM learned WHERE phrase_id = ?", ids)

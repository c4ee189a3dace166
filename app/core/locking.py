"""One writer at a time across processes, and "is the file still the one I loaded".

The tray app, the command line, the settings window and subscription refreshes all write
the same ``HUASHU_HOME``. Every read-modify-write of ``library/`` and ``settings.toml``
holds :class:`HomeLock` (an OS file lock from the maintained ``filelock`` package:
``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows; the OS drops it when a process
dies, so a killed writer never leaves a stale lock behind).

A :data:`Stamp` (inode, size, modification time in ns) tells whether a file on disk is
still the one that was loaded; writers compare stamps under the lock and merge what
another process wrote before overwriting (see :mod:`app.core.merge`).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import filelock

from app.core.problems import Msg

log = logging.getLogger(__name__)

LOCK_NAME = ".huashu.lock"
DEFAULT_TIMEOUT = 15.0

Stamp = tuple[int, int, int] | None


class BusyError(OSError):
    """Another Huashu process held the data folder's lock for too long."""


def stamp(path: Path) -> Stamp:
    """(inode, size, mtime_ns) of ``path``; None when it does not exist or is unreadable."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class HomeLock:
    """The inter-process lock of one data folder; re-entrant within a thread."""

    def __init__(self, home: Path, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.path = home / LOCK_NAME
        self.timeout = timeout
        self._lock = filelock.FileLock(str(self.path), timeout=timeout)
        self._local = threading.local()

    @property
    def held(self) -> bool:
        return getattr(self._local, "depth", 0) > 0

    @contextmanager
    def hold(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the lock for the block; raises :class:`BusyError` after ``timeout`` s
        (default: the lock's own). Already held by this thread: no wait at all."""
        depth = getattr(self._local, "depth", 0)
        if depth == 0:
            wait = self.timeout if timeout is None else timeout
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._lock.acquire(timeout=wait)
            except filelock.Timeout:
                raise BusyError(Msg("lock.busy", path=str(self.path.parent), n=wait)) from None
        self._local.depth = depth + 1
        try:
            yield
        finally:
            self._local.depth -= 1
            if self._local.depth == 0:
                self._lock.release()

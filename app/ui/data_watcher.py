"""Follow changes other processes make to ``library/`` and ``settings.toml``.

The command line, a second window or a sync tool may write the data folder while the
tray app runs. A QFileSystemWatcher on the data folder and ``library/`` reports changes
at once (atomic writes replace files, so the folders are watched, not the files). A slow
QTimer re-checks only where notifications may not come: a folder that could not be watched,
or one on a network or FUSE file system (another computer's writes send none there). On a
local disk the app does not wake up at all while nothing changes. Each check calls
``sync()`` (:meth:`app.core.workspace.Workspace.sync`): it compares file stamps under the
data folder's lock and merges what changed, so the app's own writes cost nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

log = logging.getLogger(__name__)


class DataWatcher(QObject):
    """Calls ``sync()`` when the data folder changes; emits what it reported."""

    changed = Signal(object)
    """set[str]: ``library`` and/or ``settings``."""
    failed = Signal(str)
    """A check could not be done (the reason, in English)."""

    def __init__(
        self,
        folders: list[Path],
        sync: Callable[[], set[str]],
        *,
        poll_ms: int = 5_000,
        debounce_ms: int = 250,
        unnotified: Callable[[Path], str | None] = lambda _folder: None,
        parent: QObject | None = None,
    ) -> None:
        """``unnotified(folder)`` says why changes made elsewhere under ``folder`` may send
        no notification (:func:`app.platform.filesystems.unnotified_reason`), or None."""
        super().__init__(parent)
        self._folders = folders
        self._sync = sync
        self._unnotified = unnotified
        self._reasons: dict[Path, str | None] = {}  # asked once per folder
        self._fs = QFileSystemWatcher(self)
        self._fs.directoryChanged.connect(self._on_fs)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self.check_now)
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self.check_now)
        self._last_error = ""

    def start(self) -> None:
        self._rewatch()
        self._poll_if_needed()

    @property
    def polling(self) -> bool:
        """Whether the slow re-check runs (see :meth:`poll_reason`)."""
        return self._poll.isActive()

    def poll_reason(self) -> str | None:
        """Why notifications alone cannot be trusted here, or None."""
        watched = {Path(d) for d in self._fs.directories()}
        for folder in self._folders:
            if folder not in watched:
                return f"{folder} is not watched"
            if folder not in self._reasons:
                self._reasons[folder] = self._unnotified(folder)
            reason = self._reasons[folder]
            if reason:
                return f"{folder} is on a {reason}"
        return None

    def _poll_if_needed(self) -> None:
        reason = self.poll_reason()
        if reason is None:
            self._poll.stop()
        elif not self._poll.isActive():
            log.info("re-checking every %d s: %s", self._poll.interval() // 1000, reason)
            self._poll.start()

    def stop(self) -> None:
        self._poll.stop()
        self._debounce.stop()
        if self._fs.directories():
            self._fs.removePaths(self._fs.directories())

    def _rewatch(self) -> None:
        want = {str(f) for f in self._folders if f.is_dir()}
        new = sorted(want - set(self._fs.directories()))
        if new:
            self._fs.addPaths(new)

    def _on_fs(self, _path: str) -> None:
        self._debounce.start()

    def check_now(self) -> set[str]:
        """Sync now; returns (and emits) what changed."""
        self._rewatch()  # library/ may have been created since
        self._poll_if_needed()
        try:
            changed = self._sync()
        except Exception as exc:  # a busy lock or an unreadable folder: try again later
            log.warning("following external changes failed: %s", exc)
            if str(exc) != self._last_error:
                self._last_error = str(exc)
                self.failed.emit(str(exc))
            return set()
        self._last_error = ""
        if changed:
            log.info("took in changes made by another process: %s", sorted(changed))
            self.changed.emit(changed)
        return changed

"""Watch subscribed pack files and refresh them when they change.

A QFileSystemWatcher reports local changes at once; the files' folders are watched too,
because sync tools and :func:`atomic_write_text` replace the file (the file watch is then
lost and re-added). Network drives often send no notifications, so a slow QTimer
re-checks every ``poll_ms`` (30 s) by size and modification time.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from app.core.messages import localize, message_of
from app.core.packs import PackError
from app.core.problems import Msg
from app.core.subscriptions import RefreshResult
from app.platform import relay
from app.platform.relay import Ticket
from app.ui.language import current_language

log = logging.getLogger(__name__)

Signature = tuple[int, int] | None


def _signature(path: str) -> Signature:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


class _Mailbox:
    """Where reader threads leave what they fetched, by path."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.results: dict[str, object] = {}


class SubscriptionWatcher(QObject):
    """Calls ``refresh(path)`` for changed subscribed files; reports what changed."""

    changed = Signal(object)
    """list[RefreshResult]: results with changes or a new warning."""
    summary = Signal(str)
    """A one-line, translated description of ``changed`` for a tray message."""

    def __init__(
        self,
        paths: Callable[[], list[str]],
        refresh: Callable[..., RefreshResult],
        *,
        fetch: Callable[[str], object] | None = None,
        poll_ms: int = 30_000,
        debounce_ms: int = 500,
        parent: QObject | None = None,
    ) -> None:
        """``refresh(path)`` reads and applies on the GUI thread; with ``fetch``, the
        source is read by ``fetch(path)`` in a thread of its own (a stalled network
        share never freezes the app) and ``refresh(path, fetched)`` applies it here."""
        super().__init__(parent)
        self._paths = paths
        self._refresh = refresh
        self._fetch = fetch
        self._in_flight: set[str] = set()
        # Reader threads hold only the mailbox and a relay ticket (app/platform/relay.py), never
        # this QObject: the GUI thread alone may destroy it. stop() swaps in a new mailbox
        # and cancels the ticket, so reads still under way are forgotten.
        self._mailbox = _Mailbox()
        self._ticket: Ticket | None = None
        self._seen: dict[str, Signature] = {}
        self._warned: dict[str, str] = {}
        self._fs = QFileSystemWatcher(self)
        self._fs.fileChanged.connect(self._on_fs)
        self._fs.directoryChanged.connect(self._on_fs)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self.check_now)
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self.check_now)

    # -- control -------------------------------------------------------------------------
    def start(self) -> None:
        """Remember the current state of every file and begin watching."""
        for path in self._paths():
            self._seen[path] = _signature(path)
        self._rewatch()
        self._poll.start()

    def stop(self) -> None:
        """Stop watching; reads still under way are forgotten (a later start reads again)."""
        self._poll.stop()
        self._debounce.stop()
        if self._ticket is not None:
            self._ticket.cancel()
            self._ticket = None
        self._mailbox = _Mailbox()
        self._in_flight.clear()
        watched = self._fs.files() + self._fs.directories()
        if watched:
            self._fs.removePaths(watched)

    def _rewatch(self) -> None:
        want: set[str] = set()
        for path in self._paths():
            if os.path.exists(path):
                want.add(path)
            parent = os.path.dirname(path)
            if parent and os.path.isdir(parent):
                want.add(parent)
        have = set(self._fs.files()) | set(self._fs.directories())
        stale = sorted(have - want)
        if stale:
            self._fs.removePaths(stale)
        new = sorted(want - have)
        if new:
            self._fs.addPaths(new)

    def _on_fs(self, _path: str) -> None:
        self._debounce.start()  # a writer often touches the file several times

    # -- checking ------------------------------------------------------------------------
    def check_now(self, force: bool = False) -> list[RefreshResult]:
        """Refresh every subscription whose file changed (all of them when ``force``)."""
        reported: list[RefreshResult] = []
        paths = self._paths()
        for path in paths:
            sig = _signature(path)
            if not force and path in self._seen and self._seen[path] == sig:
                continue
            self._seen[path] = sig
            if self._fetch is not None:
                self._start_fetch(path)
                continue
            res = self._apply(path, ())
            if self._report(res):
                reported.append(res)
        for gone in set(self._seen) - set(paths):
            del self._seen[gone]
        self._rewatch()
        self._emit(reported)
        return reported

    def _apply(self, path: str, args: tuple[object, ...]) -> RefreshResult:
        try:
            return self._refresh(path, *args)
        except Exception as exc:  # never let a bad file stop the watcher
            log.exception("refreshing %s failed", path)
            problem = exc.problems[0] if isinstance(exc, PackError) and exc.problems else None
            warning = Msg("subscription.error", path=path, problem=problem or message_of(exc))
            return RefreshResult(path, "", warning=warning)

    def _report(self, res: RefreshResult) -> bool:
        """Whether ``res`` is news (a change, or a warning not given before)."""
        path = res.path
        if res.warning:
            if self._warned.get(path) == res.warning and not res.any_change:
                return False
            self._warned[path] = res.warning
        else:
            self._warned.pop(path, None)
        return res.any_change or bool(res.warning)

    def _emit(self, reported: list[RefreshResult]) -> None:
        if reported:
            self.changed.emit(reported)
            self.summary.emit(self.describe(reported))

    # -- reading off the GUI thread ------------------------------------------------------
    def _start_fetch(self, path: str) -> None:
        if path in self._in_flight:
            return  # the last read has not answered yet (a stalled share): do not pile up
        self._in_flight.add(path)
        if self._ticket is None:
            self._ticket = relay.register(self._collect)
        fetch, mailbox, ticket = self._fetch, self._mailbox, self._ticket
        assert fetch is not None

        def work() -> None:  # no reference to self in here (see __init__)
            try:
                out = fetch(path)
            except Exception as exc:
                out = exc
            with mailbox.lock:
                mailbox.results[path] = out
            ticket.post()

        threading.Thread(target=work, name=f"subscription {path}", daemon=True).start()

    def _collect(self) -> None:
        """On the GUI thread: apply what reader threads have fetched."""
        with self._mailbox.lock:
            done, self._mailbox.results = self._mailbox.results, {}
        for path, out in done.items():
            self._on_fetched(path, out)

    def _on_fetched(self, path: str, out: object) -> None:
        self._in_flight.discard(path)
        if path not in self._paths():
            return  # unsubscribed meanwhile
        res = self._apply(path, (out,))
        if self._report(res):
            self._emit([res])

    def busy(self) -> bool:
        """Whether a read is still waiting for its source."""
        return bool(self._in_flight)

    def describe(self, results: list[RefreshResult]) -> str:
        parts: list[str] = []
        for r in results:
            if r.any_change:
                parts.append(
                    self.tr("{name}: {added} added, {changed} changed, {removed} removed").format(
                        name=r.name or os.path.basename(r.path),
                        added=r.added,
                        changed=r.changed,
                        removed=r.removed,
                    )
                )
            if r.warning:
                warning = localize(r.warning, current_language())
                parts.append(self.tr("Warning: {warning}").format(warning=warning))
        return "\n".join(parts)

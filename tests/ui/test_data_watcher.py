"""DataWatcher (follow other processes' changes) and SubscriptionWatcher reading off the
GUI thread."""

from __future__ import annotations

import threading
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.subscriptions import RefreshResult
from app.ui.data_watcher import DataWatcher
from app.ui.subscription_watcher import SubscriptionWatcher


def test_a_file_event_leads_to_one_sync(qtbot: QtBot, tmp_path: Path) -> None:
    calls: list[int] = []

    def sync() -> set[str]:
        calls.append(1)
        return {"library"} if len(calls) == 1 else set()

    w = DataWatcher([tmp_path], sync, poll_ms=60_000, debounce_ms=10)
    w.start()
    with qtbot.waitSignal(w.changed, timeout=5000) as blocker:
        for i in range(3):  # a burst of writes
            (tmp_path / f"f{i}").write_text("x")
    assert blocker.args == [{"library"}]
    qtbot.wait(100)
    assert len(calls) == 1
    w.stop()


def test_poll_catches_changes_without_notifications(qtbot: QtBot, tmp_path: Path) -> None:
    results = [set(), {"settings"}]
    w = DataWatcher([tmp_path / "missing"], lambda: results.pop(0), poll_ms=30, debounce_ms=10)
    w.start()
    with qtbot.waitSignal(w.changed, timeout=5000) as blocker:
        pass
    assert blocker.args == [{"settings"}]
    w.stop()


def test_nothing_changed_emits_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    w = DataWatcher([tmp_path], set, poll_ms=60_000)
    with qtbot.assertNotEmitted(w.changed):
        assert w.check_now() == set()


def test_a_failing_sync_is_reported_once(qtbot: QtBot, tmp_path: Path) -> None:
    def sync() -> set[str]:
        raise OSError("busy")

    w = DataWatcher([tmp_path], sync, poll_ms=60_000)
    seen: list[str] = []
    w.failed.connect(seen.append)
    assert w.check_now() == set()
    assert w.check_now() == set()
    assert seen == ["busy"]


def test_folders_created_later_are_watched(qtbot: QtBot, tmp_path: Path) -> None:
    later = tmp_path / "library"
    w = DataWatcher([later], set, poll_ms=60_000)
    w.start()
    assert str(later) not in w._fs.directories()
    later.mkdir()
    w.check_now()
    assert str(later) in w._fs.directories()
    w.stop()
    assert w._fs.directories() == []


def test_watched_local_folders_are_not_polled(qtbot: QtBot, tmp_path: Path) -> None:
    # issue 10: idle wakeups 0 -- on a local disk the notifications are enough
    asked: list[Path] = []

    def local(folder: Path) -> None:
        asked.append(folder)

    (tmp_path / "library").mkdir()
    w = DataWatcher([tmp_path, tmp_path / "library"], set, poll_ms=30, unnotified=local)
    w.start()
    assert w.poll_reason() is None
    assert not w.polling
    w.check_now()
    w.check_now()
    assert asked == [tmp_path, tmp_path / "library"]  # asked once per folder
    with qtbot.assertNotEmitted(w.changed, wait=120):
        pass
    w.stop()


def test_a_network_folder_is_polled(qtbot: QtBot, tmp_path: Path) -> None:
    results = [{"library"}]

    def remote(folder: Path) -> str | None:
        return "nfs4 file system" if folder == tmp_path else None

    w = DataWatcher(
        [tmp_path], lambda: results.pop(0) if results else set(), poll_ms=30, unnotified=remote
    )
    w.start()
    assert w.poll_reason() == f"{tmp_path} is on a nfs4 file system"
    assert w.polling
    with qtbot.waitSignal(w.changed, timeout=5000) as blocker:  # no file event: the poll
        pass
    assert blocker.args == [{"library"}]
    w.stop()
    assert not w.polling


def test_the_poll_stops_once_a_missing_folder_is_watched(qtbot: QtBot, tmp_path: Path) -> None:
    later = tmp_path / "library"
    w = DataWatcher([tmp_path, later], set, poll_ms=60_000)
    w.start()
    assert w.poll_reason() == f"{later} is not watched"
    assert w.polling
    later.mkdir()
    w.check_now()
    assert w.poll_reason() is None
    assert not w.polling
    w.stop()


def test_subscription_read_happens_off_the_gui_thread(qtbot: QtBot, tmp_path: Path) -> None:
    team = tmp_path / "team.toml"
    team.write_text("v1")
    gate = threading.Event()
    threads: list[str] = []

    def fetch(path: str) -> object:
        threads.append(threading.current_thread().name)
        gate.wait(10)  # a stalled share: the GUI keeps running meanwhile
        return "pack"

    applied: list[tuple[str, object]] = []

    def refresh(path: str, fetched: object = None) -> RefreshResult:
        applied.append((path, fetched))
        assert threading.current_thread() is threading.main_thread()
        return RefreshResult(path, "s", "团队", added=1)

    w = SubscriptionWatcher(lambda: [str(team)], refresh, fetch=fetch, poll_ms=60_000)
    assert w.check_now(True) == []  # returns at once
    assert w.busy()
    w.check_now(True)  # a second check does not pile up another read
    qtbot.waitUntil(lambda: len(threads) == 1)
    assert threads[0] != threading.main_thread().name
    with qtbot.waitSignal(w.changed, timeout=5000) as blocker:
        gate.set()
    assert applied == [(str(team), "pack")]
    assert [r.added for r in blocker.args[0]] == [1]
    assert not w.busy()
    assert len(threads) == 1
    w.stop()


def test_subscription_fetch_error_becomes_a_warning(qtbot: QtBot, tmp_path: Path) -> None:
    def fetch(path: str) -> object:
        raise RuntimeError("gone")

    def refresh(path: str, fetched: object = None) -> RefreshResult:
        return RefreshResult(path, "s", warning=f"subscription {path}: {fetched}")

    w = SubscriptionWatcher(lambda: [str(tmp_path / "t.toml")], refresh, fetch=fetch)
    with qtbot.waitSignal(w.summary, timeout=5000) as blocker:
        w.check_now(True)
    assert "gone" in blocker.args[0]
    w.stop()


def test_result_for_an_unsubscribed_path_is_dropped(qtbot: QtBot, tmp_path: Path) -> None:
    paths = [str(tmp_path / "t.toml")]
    gate = threading.Event()

    def fetch(path: str) -> object:
        gate.wait(10)
        return "pack"

    applied: list[str] = []

    def refresh(path: str, fetched: object = None) -> RefreshResult:
        applied.append(path)
        return RefreshResult(path, "s", added=1)

    w = SubscriptionWatcher(lambda: list(paths), refresh, fetch=fetch)
    w.check_now(True)
    paths.clear()
    gate.set()
    qtbot.waitUntil(lambda: not w.busy(), timeout=5000)
    assert applied == []
    w.stop()


def test_stop_forgets_a_read_under_way_and_the_reader_holds_no_qt_object(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The app quits (or a test ends) while a stalled share is read: the watcher is
    destroyed on the GUI thread at once, and the late answer goes nowhere."""
    import gc
    import weakref

    from app.platform import relay

    live = relay.relay().registered()
    gate = threading.Event()
    started = threading.Event()
    errors: list[BaseException] = []
    hook = threading.excepthook
    threading.excepthook = lambda args: errors.append(args.exc_value)  # type: ignore[assignment]

    def fetch(path: str) -> object:
        started.set()
        gate.wait(10)
        return "pack"

    applied: list[object] = []

    def refresh(path: str, fetched: object = None) -> RefreshResult:
        applied.append(fetched)
        return RefreshResult(path, "s", added=1)

    try:
        w = SubscriptionWatcher(lambda: [str(tmp_path / "t.toml")], refresh, fetch=fetch)
        w.check_now(True)
        assert started.wait(10) and w.busy()
        assert relay.relay().registered() == live + 1
        w.stop()
        assert not w.busy()  # a later start reads again
        assert relay.relay().registered() == live
        gone = weakref.ref(w)
        del w
        gc.collect()
        assert gone() is None  # the reader thread does not keep it alive
        gate.set()
        qtbot.waitUntil(
            lambda: not any(t.name.startswith("subscription") for t in threading.enumerate())
        )
        qtbot.wait(50)
    finally:
        threading.excepthook = hook
    assert applied == [] and errors == []


def test_a_restarted_watcher_reads_again_after_a_forgotten_read(
    qtbot: QtBot, tmp_path: Path
) -> None:
    gate = threading.Event()
    reads: list[int] = []

    def fetch(path: str) -> object:
        reads.append(1)
        if len(reads) == 1:
            gate.wait(10)
            return "old"
        return "new"

    applied: list[object] = []

    def refresh(path: str, fetched: object = None) -> RefreshResult:
        applied.append(fetched)
        return RefreshResult(path, "s", added=1)

    w = SubscriptionWatcher(lambda: [str(tmp_path / "t.toml")], refresh, fetch=fetch)
    w.check_now(True)
    qtbot.waitUntil(lambda: len(reads) == 1)
    w.stop()
    w.start()
    with qtbot.waitSignal(w.changed, timeout=5000):
        w.check_now(True)
    gate.set()  # the first, forgotten read answers late
    qtbot.wait(100)
    assert applied == ["new"]
    w.stop()

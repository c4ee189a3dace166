"""app.core.locking: the inter-process lock and file stamps."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.core.locking import LOCK_NAME, BusyError, HomeLock, stamp

HOLDER = r"""
import sys, time
from pathlib import Path
from app.core.locking import HomeLock
lock = HomeLock(Path(sys.argv[1]))
with lock.hold():
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_stamp_changes_with_content_and_replacement(tmp_path: Path) -> None:
    f = tmp_path / "a.toml"
    assert stamp(f) is None
    f.write_text("one")
    first = stamp(f)
    assert first is not None and first[1] == 3
    assert stamp(f) == first
    other = tmp_path / "b.toml"
    other.write_text("two")
    other.replace(f)  # an atomic write from another process: new inode
    assert stamp(f) != first


def test_lock_is_reentrant_and_creates_its_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    lock = HomeLock(home)
    assert not lock.held
    with lock.hold():
        assert lock.held
        with lock.hold():
            assert lock.held
        assert lock.held  # the inner release keeps the outer hold
    assert not lock.held
    # filelock leaves the file on POSIX and deletes it on release on Windows
    assert (home / LOCK_NAME).exists() is (sys.platform != "win32")


def _holder(home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(home)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_another_process_holding_the_lock_makes_us_wait_then_busy(tmp_path: Path) -> None:
    with _holder(tmp_path) as proc:
        assert proc.stdout is not None and proc.stdin is not None
        assert proc.stdout.readline().strip() == "held"
        lock = HomeLock(tmp_path, timeout=0.2)
        with (
            pytest.raises(BusyError, match=r"another Huashu process .* more than 0\.2 s"),
            lock.hold(),
        ):
            pass
        assert not lock.held
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(timeout=10)
    with lock.hold():  # released when the holder ends
        assert lock.held


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    with _holder(tmp_path) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "held"
        proc.kill()
        proc.wait(timeout=10)
    with HomeLock(tmp_path, timeout=2).hold():
        pass


def test_threads_of_one_process_exclude_each_other(tmp_path: Path) -> None:
    lock = HomeLock(tmp_path, timeout=5)
    inside = 0
    most = 0
    guard = threading.Lock()

    def work() -> None:
        nonlocal inside, most
        for _ in range(20):
            with lock.hold():
                with guard:
                    inside += 1
                    most = max(most, inside)
                with guard:
                    inside -= 1

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most == 1


def test_busy_error_is_an_oserror() -> None:
    assert issubclass(BusyError, OSError)


def test_hold_with_a_shorter_timeout_names_it(tmp_path: Path) -> None:
    with _holder(tmp_path) as proc:
        assert proc.stdout is not None and proc.stdin is not None
        assert proc.stdout.readline().strip() == "held"
        lock = HomeLock(tmp_path, timeout=30)
        with pytest.raises(BusyError, match=r"more than 0\.05 s"), lock.hold(timeout=0.05):
            pass
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(timeout=10)


def test_nested_hold_does_not_wait_even_with_zero_timeout(tmp_path: Path) -> None:
    lock = HomeLock(tmp_path)
    with lock.hold(), lock.hold(timeout=0):
        assert lock.held

"""The data directory, atomic writes and file problems (``app/core/fsutil.py``)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
import pytest

from app.core import fsutil
from app.core.document import tomllib
from app.core.fsutil import (
    Paths,
    Problem,
    atomic_write_bytes,
    atomic_write_text,
    huashu_home,
    toml_error_line,
)


def test_huashu_home_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HUASHU_HOME", str(tmp_path / "x"))
    assert huashu_home() == tmp_path / "x"
    monkeypatch.setenv("HUASHU_HOME", "~/huashu-test")
    assert huashu_home() == Path.home() / "huashu-test"


def test_huashu_home_defaults_to_the_platform_data_dir(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HUASHU_HOME")
    expected = Path(platformdirs.user_data_dir("huashu", appauthor=False))
    assert huashu_home() == expected
    assert expected.name == "huashu"
    monkeypatch.setenv("HUASHU_HOME", "")  # empty means unset
    assert huashu_home() == expected


def test_no_author_folder_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """%LOCALAPPDATA%\\huashu, not %LOCALAPPDATA%\\huashu\\huashu (platformdirs' default)."""
    calls: list[tuple[tuple[object, ...], dict[str, object]]] = []

    def user_data_dir(*args: object, **kwargs: object) -> str:
        calls.append((args, kwargs))
        return "/data/huashu"

    monkeypatch.delenv("HUASHU_HOME")
    monkeypatch.setattr(platformdirs, "user_data_dir", user_data_dir)
    assert huashu_home() == Path("/data/huashu")
    assert calls == [(("huashu",), {"appauthor": False})]


def test_paths_layout(tmp_path: Path) -> None:
    p = Paths(tmp_path)
    assert [
        p.settings,
        p.library,
        p.subscriptions,
        p.usage,
        p.backups,
        p.logs,
        p.pinyin_cache,
        p.parse_cache,
        p.builtin_state,
    ] == [
        tmp_path / "settings.toml",
        tmp_path / "library",
        tmp_path / "subscriptions",
        tmp_path / "usage.sqlite3",
        tmp_path / "backups",
        tmp_path / "logs",
        tmp_path / "pinyin-cache.json",
        tmp_path / "library-cache.bin",
        tmp_path / "builtin-state.toml",
    ]


def test_paths_default_uses_huashu_home(huashu_home: Path) -> None:
    assert Paths.default() == Paths(huashu_home)


def test_atomic_write_creates_missing_parents_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "c.toml"
    atomic_write_bytes(target, b"one")
    assert target.read_bytes() == b"one"
    atomic_write_text(target, "二")
    assert target.read_bytes() == "二".encode()
    # nothing but the file itself is left in the folder
    assert os.listdir(target.parent) == ["c.toml"]


def test_atomic_write_goes_through_a_hidden_temp_file_in_the_same_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        seen.append((src, dst))
        # the old content is still in place while the new one is written
        assert Path(dst).read_bytes() == b"old"
        assert Path(src).read_bytes() == b"new"
        real_replace(src, dst)

    target = tmp_path / "f.toml"
    target.write_bytes(b"old")
    monkeypatch.setattr(fsutil.os, "replace", spy)
    atomic_write_bytes(target, b"new")
    [(src, dst)] = seen
    assert Path(dst) == target
    tmp = Path(src)
    assert tmp.parent == tmp_path
    assert tmp.name.startswith(".f.toml.") and tmp.name.endswith(".tmp")
    assert target.read_bytes() == b"new"


def test_a_failed_write_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "f.toml"
    target.write_bytes(b"old")

    def boom(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fsutil.os, "fsync", boom)
    with pytest.raises(OSError, match="No space"):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["f.toml"]


def test_interrupt_during_write_also_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fsutil.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(tmp_path / "f.toml", b"x")
    assert os.listdir(tmp_path) == []


def test_cleanup_failure_does_not_hide_the_write_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_replace(src: str, dst: str) -> None:
        raise PermissionError("read-only")

    def no_unlink(path: str) -> None:
        raise OSError("cannot unlink")

    monkeypatch.setattr(fsutil.os, "replace", no_replace)
    monkeypatch.setattr(fsutil.os, "unlink", no_unlink)
    with pytest.raises(PermissionError, match="read-only"):
        atomic_write_bytes(tmp_path / "f.toml", b"x")


@pytest.mark.skipif(os.name != "posix", reason="directory fsync is POSIX-only")
def test_the_folder_is_synced_after_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace, real_open = os.fsync, os.replace, os.open
    dir_fds: set[int] = set()

    def open_spy(path: str | Path, flags: int, *args: int) -> int:
        fd = real_open(path, flags, *args)
        if Path(path) == tmp_path:
            dir_fds.add(fd)
        return fd

    def fsync_spy(fd: int) -> None:
        events.append("fsync-dir" if fd in dir_fds else "fsync-file")
        real_fsync(fd)

    def replace_spy(src: str, dst: str) -> None:
        events.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(fsutil.os, "open", open_spy)
    monkeypatch.setattr(fsutil.os, "fsync", fsync_spy)
    monkeypatch.setattr(fsutil.os, "replace", replace_spy)
    atomic_write_bytes(tmp_path / "f.toml", b"x")
    assert events == ["fsync-file", "replace", "fsync-dir"]


@pytest.mark.skipif(os.name != "posix", reason="directory fsync is POSIX-only")
def test_folder_sync_problems_are_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    closed: list[int] = []
    real_close = os.close

    def no_fsync(fd: int) -> None:
        raise OSError("fsync not supported")

    def close_spy(fd: int) -> None:
        closed.append(fd)
        real_close(fd)

    monkeypatch.setattr(fsutil.os, "fsync", no_fsync)
    monkeypatch.setattr(fsutil.os, "close", close_spy)
    fsutil._fsync_dir(tmp_path)  # no error
    assert len(closed) == 1  # and the folder's descriptor is closed
    fsutil._fsync_dir(tmp_path / "missing")  # cannot open: no error either
    assert len(closed) == 1


def test_folder_sync_is_skipped_off_posix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[object] = []
    monkeypatch.setattr(fsutil.os, "name", "nt")
    monkeypatch.setattr(fsutil.os, "open", lambda *a: opened.append(a))
    fsutil._fsync_dir(tmp_path)
    assert opened == []


def test_problem_text_names_file_and_line() -> None:
    assert str(Problem("a.toml", 3, "bad")) == "a.toml:3: bad"
    assert str(Problem("a.toml", None, "bad")) == "a.toml: bad"
    assert str(Problem("a.toml", 0, "bad")) == "a.toml: bad"


def _toml_error(text: str) -> tomllib.TOMLDecodeError:
    with pytest.raises(tomllib.TOMLDecodeError) as info:
        tomllib.loads(text)
    return info.value


def test_toml_error_line_from_the_decoder() -> None:
    exc = _toml_error('a = 1\nb = "x\n')
    line, message = toml_error_line(exc)
    assert line == 2
    assert message.startswith("invalid TOML: ")
    assert "(at line" not in message and "column" not in message
    assert message == message.strip()


def test_toml_error_line_from_the_message_only() -> None:
    exc = ValueError("Invalid value (at line 7, column 3)")
    assert toml_error_line(exc) == (7, "invalid TOML: Invalid value")


def test_toml_error_line_prefers_the_lineno_attribute() -> None:
    exc = ValueError("Invalid value (at line 7, column 3)")
    exc.lineno = 9  # type: ignore[attr-defined]
    assert toml_error_line(exc) == (9, "invalid TOML: Invalid value")


def test_toml_error_at_end_of_file() -> None:
    exc = ValueError("Expected ']' (at end of document)")
    assert toml_error_line(exc) == (None, "invalid TOML: Expected ']' (at end of file)")
    _line, message = toml_error_line(_toml_error("a = ["))
    assert message.endswith("(at end of file)")


def test_toml_error_without_position() -> None:
    assert toml_error_line(ValueError("odd")) == (None, "invalid TOML: odd")

"""Each site that used to write a plain English message (translated by regex) now emits
its catalog code with the right parameters (issue 12)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import filelock
import pytest

from app.core import settings, storage, usage
from app.core import subscriptions as subs
from app.core.fsutil import Paths, Problem
from app.core.locking import BusyError, HomeLock
from app.core.messages import localize, localize_problem
from app.core.model import Category, Library, LibraryError, Phrase
from app.core.packs import PackError, PackMeta, build_pack, dump_pack, parse_pack_text
from app.core.problems import Msg
from app.core.safefile import LimitError, loads_limited, read_regular, too_big
from app.core.storage import LibraryStore
from app.core.usage import UsageError, UsageStore
from app.core.workspace import Workspace
from app.platform.display import display_problem

ZH = "zh_CN"


def _code(message: object) -> tuple[str, dict[str, Any]]:
    assert isinstance(message, Msg), repr(message)
    return message.code, message.params


# -- safefile --------------------------------------------------------------------------


def test_too_big_carries_sizes_in_mb() -> None:
    msg = too_big(3 * 1024 * 1024 + 512 * 1024, 2 * 1024 * 1024 + 1)
    assert _code(msg) == ("file.too_big", {"size": 3.5, "max": 2})
    assert msg == "file is 3.5 MB; the limit is 2 MB"
    assert localize(msg, ZH) == "文件大小为 3.5 MB，超过了上限 2 MB"


def test_read_regular_refusals_are_coded(tmp_path: Path) -> None:
    with pytest.raises(LimitError) as info:
        read_regular(tmp_path, 10)
    assert _code(info.value.message) == ("file.not_regular", {})
    big = tmp_path / "big.toml"
    big.write_bytes(b"x" * (3 * 1024 * 1024))
    with pytest.raises(LimitError) as info:
        read_regular(big, 1024 * 1024)
    assert _code(info.value.message) == ("file.too_big", {"size": 3.0, "max": 1})
    assert info.value.message is info.value.args[0]


def test_deep_shapes_are_coded() -> None:
    with pytest.raises(LimitError) as info:
        loads_limited("x = " + "[" * 40 + "]" * 40 + "\n")
    assert _code(info.value.message) == ("file.deep_values", {})
    assert info.value.line == 1
    with pytest.raises(LimitError) as info:
        loads_limited("a.b.c.d.e.f.g.h.i.j = 1\n")
    assert _code(info.value.message) == ("pack.deep_keys", {})


def test_a_pack_keeps_the_code_of_a_refused_shape() -> None:
    text = '[pack]\nformat = 1\nname = "x"\ny = ' + "[" * 40 + "]" * 40 + "\n"
    with pytest.raises(PackError) as info:
        parse_pack_text(text, "deep.toml")
    (problem,) = info.value.problems
    assert _code(problem.message) == ("file.deep_values", {})
    assert localize_problem(problem, ZH) == "deep.toml 第 4 行：值的嵌套层级太深"


# -- storage and settings: refused and unreadable files ------------------------------------


def _refuse(exc: Exception) -> Any:
    def read(path: object, limit: int) -> bytes:
        raise exc

    return read


def test_library_files_that_cannot_be_read_are_coded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = Paths(tmp_path)
    paths.library.mkdir(parents=True)
    (paths.library / "a.toml").write_text("schema_version = 1\n", "utf-8")
    monkeypatch.setattr(storage, "read_regular", _refuse(PermissionError(13, "Permission denied")))
    (problem,) = LibraryStore(paths).load().problems
    assert problem.file == "library/a.toml"
    assert _code(problem.message) == ("pack.cannot_read", {"msg": "Permission denied"})
    assert localize_problem(problem, ZH) == "library/a.toml：无法读取：没有访问权限"
    monkeypatch.setattr(storage, "read_regular", _refuse(LimitError(too_big(9 << 20, 1 << 20))))
    (problem,) = LibraryStore(paths).load().problems
    assert _code(problem.message) == ("file.too_big", {"size": 9.0, "max": 1})


def test_undecodable_files_fall_back_to_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = Paths(tmp_path)
    paths.library.mkdir(parents=True)
    (paths.library / "a.toml").write_text("schema_version = 1\n", "utf-8")
    monkeypatch.setattr(storage, "decode_utf8", lambda data, source: (None, None))
    (problem,) = LibraryStore(paths).load().problems
    assert (problem.file, _code(problem.message)) == ("library/a.toml", ("file.unreadable", {}))
    _, problems = storage.load_builtin_packs()
    assert problems and {_code(p.message)[0] for p in problems} == {"file.unreadable"}
    assert localize_problem(problems[0], ZH).endswith("：无法读取")


def test_settings_that_cannot_be_read_are_coded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("", "utf-8")
    monkeypatch.setattr(settings, "read_regular", _refuse(PermissionError(13, "Permission denied")))
    with pytest.raises(settings.SettingsError) as info:
        settings.read_settings(path)
    problem = info.value.problem
    assert isinstance(problem, Problem) and problem.file == "settings.toml"
    assert _code(problem.message) == ("pack.cannot_read", {"msg": "Permission denied"})
    monkeypatch.setattr(settings, "read_regular", _refuse(LimitError(Msg("file.not_regular"))))
    with pytest.raises(settings.SettingsError) as info:
        settings.read_settings(path)
    assert _code(info.value.problem.message) == ("file.not_regular", {})
    monkeypatch.setattr(settings, "read_regular", lambda p, limit: b"x = [[[[[[[[[[[[[[[[[[1]]]]")
    with pytest.raises(settings.SettingsError) as info:
        settings.read_settings(path)
    assert _code(info.value.problem.message) == ("file.deep_values", {})
    assert info.value.problem.line == 1
    monkeypatch.setattr(settings, "read_regular", lambda p, limit: b"x = 1\n")
    monkeypatch.setattr(settings, "decode_utf8", lambda data, source: (None, None))
    with pytest.raises(settings.SettingsError) as info:
        settings.read_settings(path)
    assert _code(info.value.problem.message) == ("file.unreadable", {})


# -- the library --------------------------------------------------------------------------


def test_library_lookups_are_coded() -> None:
    lib = Library([Category("c", "C")], [])
    with pytest.raises(LibraryError) as info:
        lib.add_category(Category("k", "K", parent="gone"))
    assert _code(info.value.args[0]) == ("library.no_parent", {"id": "gone"})
    assert localize(info.value, ZH) == "上级分类 'gone' 不存在"
    with pytest.raises(LibraryError) as info:
        lib.add_phrase(Phrase("p", "t", "b", "nope"))
    assert _code(info.value.args[0]) == ("import.no_category", {"id": "nope"})
    lib.add_phrase(Phrase("p", "t", "b", "c"))
    with pytest.raises(LibraryError) as info:
        lib.update_phrase(Phrase("p", "t", "b", "nope"))
    assert _code(info.value.args[0]) == ("import.no_category", {"id": "nope"})
    with pytest.raises(LibraryError) as info:
        lib.update_phrase(Phrase("q", "t", "b", "c"))
    assert _code(info.value.args[0]) == ("library.no_phrase", {"id": "q"})
    with pytest.raises(LibraryError) as info:
        lib.remove_phrase("r")
    assert _code(info.value.args[0]) == ("library.no_phrase", {"id": "r"})
    assert localize(info.value, ZH) == "没有 ID 为 'r' 的话术"


def test_workspace_lookups_are_coded(tmp_path: Path) -> None:
    ws = Workspace.open(Paths(tmp_path), seed=False)
    with pytest.raises(LibraryError) as info:
        ws.delete_phrases(["gone"])
    assert _code(info.value.args[0]) == ("library.no_phrase", {"id": "gone"})
    with pytest.raises(LibraryError) as info:
        ws.render("none")
    assert _code(info.value.args[0]) == ("library.no_phrase", {"id": "none"})
    ws.close()


# -- locking, usage data, the display -----------------------------------------------------


class _Stuck:
    def acquire(self, timeout: float) -> None:
        raise filelock.Timeout("held")


def test_a_busy_lock_names_the_folder_and_the_wait(tmp_path: Path) -> None:
    lock = HomeLock(tmp_path, timeout=2.5)
    lock._lock = _Stuck()  # type: ignore[assignment]
    with pytest.raises(BusyError) as info, lock.hold():
        pass
    assert _code(info.value.args[0]) == ("lock.busy", {"path": str(tmp_path), "n": 2.5})
    with pytest.raises(BusyError) as info, lock.hold(timeout=0.5):
        pass
    assert info.value.args[0].params["n"] == 0.5
    assert localize(info.value, ZH) == (
        f"另一个话术进程正在写入 {tmp_path}，已超过 0.5 秒；请稍后再试"
    )


def test_damaged_usage_data_is_coded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "usage.sqlite3"
    db.write_bytes(b"not a database at all" * 10)
    u = UsageStore(db)
    assert u.problem is not None
    code, params = _code(u.problem.message)
    moved = next(tmp_path.glob("usage.sqlite3.corrupt-*"))
    assert (code, params["name"]) == ("usage.damaged", moved.name)
    assert params["msg"] == "file is not a database"  # sqlite3's own words
    u.close()
    db.write_bytes(b"not a database at all" * 10)

    def refuse(src: object, dst: object) -> None:
        raise PermissionError("in use")

    monkeypatch.setattr(usage.os, "replace", refuse)
    u = UsageStore(db)
    assert u.problem is not None
    name = u.problem.message.params["name"]  # type: ignore[attr-defined]
    assert _code(name) == ("usage.not_moved", {})
    assert "已移到 （无法移走）；统计从零开始" in localize(u.problem.message, ZH)
    u.close()


def test_a_failed_usage_write_is_coded(tmp_path: Path) -> None:
    db = tmp_path / "usage.sqlite3"
    UsageStore(db).close()
    u = UsageStore(db)
    u._db.close()
    u._db = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    with pytest.raises(UsageError) as info:
        u.record("a")
    code, params = _code(info.value.args[0])
    assert code == "usage.cannot_save" and "readonly" in params["msg"]
    u.close()


def test_no_display_is_coded() -> None:
    assert _code(display_problem({}, "linux")) == ("display.missing", {})
    assert display_problem({"DISPLAY": ":0"}, "linux") == ""


# -- subscriptions ------------------------------------------------------------------------


def _write_pack(path: Path, n: int) -> None:
    lib = Library([Category("c", "C")], [Phrase(f"p{i}", f"t{i}", "b", "c") for i in range(n)])
    path.write_text(dump_pack(build_pack(lib, PackMeta("团队"))), "utf-8")


def test_subscription_refusals_are_coded(tmp_path: Path) -> None:
    ws = Workspace.open(Paths(tmp_path / "home"), seed=False)
    ws.settings.subscriptions = ["/a.toml"]
    with pytest.raises(subs.SubscriptionError) as info:
        subs.unsubscribe(ws, "/n/t.toml")
    assert _code(info.value.args[0]) == (
        "subscription.unknown",
        {"path": "/n/t.toml", "known": "/a.toml"},
    )
    ws.settings.subscriptions = []
    with pytest.raises(subs.SubscriptionError) as info:
        subs.unsubscribe(ws, "/n/t.toml")
    assert info.value.args[0].params["known"] == "none"
    assert localize(info.value, ZH) == "没有订阅 /n/t.toml（当前订阅：无）"
    ws.close()


def test_a_held_update_is_coded(tmp_path: Path) -> None:
    ws = Workspace.open(Paths(tmp_path / "home"), seed=False)
    shared = tmp_path / "team.toml"
    _write_pack(shared, 4)
    subs.subscribe(ws, shared)
    _write_pack(shared, 1)
    res = subs.refresh(ws, shared)
    assert res.held
    code, params = _code(res.warning)
    assert code == "subscription.failed"
    assert params["keep"] == "keeping the last good copy"
    assert _code(params["problem"]) == ("subscription.removes", {"n": 3, "total": 4})
    assert localize(res.warning, ZH) == (
        f"订阅 {res.path}：新版本删掉了 4 条话术中的 3 条；继续使用上次的有效副本"
    )
    empty = subs.refresh(ws, shared, fetched=PackError([]))
    assert _code(empty.warning)[1]["problem"] == Msg("file.unreadable")
    assert _code(_code(empty.warning)[1]["problem"]) == ("file.unreadable", {})
    ws.close()


def test_fetch_failures_are_coded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def slow(path: object) -> object:
        release.wait(5)
        raise PackError([])

    monkeypatch.setattr(subs, "read_pack", slow)
    with pytest.raises(PackError) as info:
        subs.fetch(tmp_path / "team.toml", timeout=0.01)
    release.set()
    (problem,) = info.value.problems
    assert problem.file == "team.toml"
    assert _code(problem.message) == ("subscription.timeout", {"n": 0.01})
    assert localize(problem.message, ZH) == "源文件在 0.01 秒内没有响应"

    def broken(path: object) -> object:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(subs, "read_pack", broken)
    with pytest.raises(PackError) as info:
        subs.fetch(tmp_path / "team.toml", timeout=5)
    assert _code(info.value.problems[0].message) == ("pack.cannot_read", {"msg": "disk on fire"})


def test_settings_not_loaded_carries_its_code_and_place() -> None:
    exc = settings.SettingsNotLoaded()
    assert exc.problem == Problem("settings.toml", None, Msg("settings.broken"))
    assert _code(exc.problem.message) == ("settings.broken", {})
    assert _code(exc.args[0]) == ("settings.broken", {}) and len(exc.args) == 1
    assert settings.SettingsNotLoaded("other.toml").problem.file == "other.toml"
    assert isinstance(exc, settings.SettingsError)

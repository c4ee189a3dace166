"""The binary parse cache: entries round-trip, and anything doubtful is never trusted."""

from __future__ import annotations

import gc
import hashlib
import logging
from pathlib import Path
from typing import Any

import msgspec
import pytest

import app.core.parsecache as pc
import app.core.storage as storage
from app.core.fsutil import Paths
from app.core.model import Category, Library, Phrase
from app.core.parsecache import MAGIC, ParseCache, cached_files, read_entries
from app.core.storage import LibraryStore


def _cats() -> list[Category]:
    return [Category("greeting", "欢迎语", 10), Category("g-busy", "高峰", 1, parent="greeting")]


def _phrases() -> list[Phrase]:
    return [
        Phrase("g1", "欢迎", "您好\n请问", "greeting", code="hy1", tags=["a"], created="c"),
        Phrase("g2", "忙时", "稍等", "g-busy", hotkey="ctrl+alt+2", examples=["在吗"], updated="u"),
    ]


def _saved(path: Path) -> ParseCache:
    cache = ParseCache(path)
    cache.put("greeting.toml", "d1", 1, _cats(), _phrases())
    cache.put("other.toml", "d2", None, [], [])
    cache.save()
    return cache


def test_entries_round_trip_through_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cache.bin"
    _saved(path)
    again = ParseCache(path)
    again.load()
    assert again.names() == {"greeting.toml", "other.toml"}
    doc = again.get("greeting.toml", "d1", "library/greeting.toml")
    assert doc is not None
    assert doc.source == "library/greeting.toml"
    assert doc.schema_version == 1
    assert doc.categories == _cats()
    assert doc.phrases == _phrases()
    assert not doc.problems
    other = again.get("other.toml", "d2", "x")
    assert other is not None and other.schema_version is None and other.phrases == []
    # Another digest (the file changed) or an unknown file: no document.
    assert again.get("greeting.toml", "d2", "x") is None
    assert again.get("nope.toml", "d1", "x") is None
    files = cached_files(path)
    assert files["greeting.toml"] == ("d1", 1, _cats(), _phrases())
    assert files["other.toml"].digest == "d2"


def test_an_entry_is_a_snapshot_and_never_shares_objects(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / "c.bin")
    phrases = _phrases()
    cache.put("f.toml", "d", 1, _cats(), phrases)
    phrases[0].body = "改了"
    phrases[0].tags.append("b")
    first = cache.get("f.toml", "d", "f")
    assert first is not None
    assert first.phrases == _phrases()
    first.phrases[1].title = "又改了"
    second = cache.get("f.toml", "d", "f")
    assert second is not None and second.phrases == _phrases()


def test_save_writes_only_changes(tmp_path: Path) -> None:
    path = tmp_path / "c.bin"
    cache = ParseCache(path)
    assert not cache.dirty
    cache.save()
    assert not path.exists()  # nothing to write
    cache.discard("unknown.toml")
    assert not cache.dirty
    cache.put("f.toml", "d", 1, [], [])
    assert cache.dirty
    cache.save()
    assert path.exists() and not cache.dirty
    path.unlink()
    cache.save()
    assert not path.exists()  # written already
    cache.discard("f.toml")
    assert cache.dirty
    cache.save()
    assert read_entries(path) == {}


def test_keep_only_drops_the_other_entries(tmp_path: Path) -> None:
    cache = _saved(tmp_path / "c.bin")
    cache.keep_only(["other.toml", "new.toml"])
    assert cache.names() == {"other.toml"}
    assert cache.dirty
    cache.save()
    assert set(read_entries(tmp_path / "c.bin")) == {"other.toml"}
    cache.keep_only(["other.toml"])
    assert not cache.dirty


def test_ensure_loaded_reads_the_file_once(tmp_path: Path) -> None:
    path = tmp_path / "c.bin"
    _saved(path)
    cache = ParseCache(path)
    assert not cache.loaded and cache.names() == set()
    cache.ensure_loaded()
    assert cache.loaded and cache.names() == {"greeting.toml", "other.toml"}
    cache.discard("other.toml")
    cache.ensure_loaded()  # not again: the change stays
    assert cache.names() == {"greeting.toml"}
    cache.load()  # load always reads
    assert cache.names() == {"greeting.toml", "other.toml"} and not cache.dirty


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    head = len(MAGIC) + 16
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "short":
        path.write_bytes(MAGIC + data[len(MAGIC) : head - 1])
    elif how == "flipped":
        i = head + (len(data) - head) // 2
        path.write_bytes(data[:i] + bytes([data[i] ^ 0x20]) + data[i + 1 :])
    elif how == "magic":
        path.write_bytes(b"X" + data[1:])
    elif how == "json":
        path.write_text('{"version": 1, "files": {}}', "utf-8")
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "garbage-with-digest":
        payload = b"\xc1\xc1 not msgpack"
        path.write_bytes(MAGIC + hashlib.blake2b(payload, digest_size=16).digest() + payload)
    elif how == "wrong-shape-with-digest":
        payload = msgspec.msgpack.encode({"files": 5})
        path.write_bytes(MAGIC + hashlib.blake2b(payload, digest_size=16).digest() + payload)
    else:  # pragma: no cover
        raise AssertionError(how)


DAMAGE = [
    "truncated",
    "short",
    "flipped",
    "magic",
    "json",
    "empty",
    "garbage-with-digest",
    "wrong-shape-with-digest",
]


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_cache_file_gives_no_entries(tmp_path: Path, how: str) -> None:
    path = tmp_path / "c.bin"
    _saved(path)
    _damage(path, how)
    assert read_entries(path) == {}
    cache = ParseCache(path)
    cache.load()
    assert cache.get("greeting.toml", "d1", "x") is None


def test_a_missing_cache_file_gives_no_entries(tmp_path: Path) -> None:
    assert read_entries(tmp_path / "none.bin") == {}
    assert read_entries(tmp_path) == {}  # a folder


def test_another_version_or_model_shape_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.bin"
    _saved(path)
    assert read_entries(path)
    monkeypatch.setattr(pc, "CACHE_VERSION", pc.CACHE_VERSION + 1)
    assert read_entries(path) == {}
    monkeypatch.undo()
    assert read_entries(path)
    # A field added to the model changes the layout too (no version bump needed).
    fields = pc.dataclasses.fields

    def more_fields(cls: Any) -> Any:
        return (*fields(cls), *fields(Category)[:1]) if cls is Phrase else fields(cls)

    monkeypatch.setattr(pc.dataclasses, "fields", more_fields)
    assert read_entries(path) == {}


def test_a_bad_entry_is_skipped_and_the_others_stay(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "c.bin"
    cache = _saved(path)
    bad = msgspec.Raw(msgspec.msgpack.encode([1, [{"id": 5}], []]))
    cache._entries["bad.toml"] = ("d3", bad)
    cache.dirty = True
    cache.save()
    again = ParseCache(path)
    again.load()
    with caplog.at_level(logging.WARNING):
        assert again.get("bad.toml", "d3", "x") is None
    assert "bad.toml" in caplog.text
    assert again.get("greeting.toml", "d1", "x") is not None
    assert set(cached_files(path)) == {"greeting.toml", "other.toml"}


def test_decoding_leaves_the_collector_as_it_was(tmp_path: Path) -> None:
    cache = _saved(tmp_path / "c.bin")
    assert gc.isenabled()
    assert cache.get("greeting.toml", "d1", "x") is not None
    assert gc.isenabled()
    gc.disable()
    try:
        assert cache.get("greeting.toml", "d1", "x") is not None
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_write_failure_is_logged_and_kept_for_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "c.bin"
    cache = ParseCache(path)
    cache.put("f.toml", "d", 1, [], [])

    def failing(_path: Path, _data: bytes) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(pc, "atomic_write_bytes", failing)
    with caplog.at_level(logging.WARNING):
        cache.save()
    assert "disk full" in caplog.text
    assert cache.dirty and not path.exists()
    monkeypatch.undo()
    cache.save()
    assert set(read_entries(path)) == {"f.toml"}


def _library() -> Library:
    lib = Library()
    for c in _cats():
        lib.add_category(c)
    for p in _phrases():
        lib.add_phrase(p)
    return lib


@pytest.mark.parametrize("how", DAMAGE)
def test_a_load_with_a_damaged_cache_parses_and_writes_a_good_one(
    huashu_home: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_library())
    first = LibraryStore(paths).load().library  # parses, writes the cache
    _damage(paths.parse_cache, how)
    parsed: list[str] = []
    real = storage.parse_document

    def counting(text: str, source: str, **kw: Any) -> Any:
        parsed.append(source)
        return real(text, source, **kw)

    monkeypatch.setattr(storage, "parse_document", counting)
    assert LibraryStore(paths).load().library == first
    assert parsed == ["library/greeting.toml"]
    assert set(read_entries(paths.parse_cache)) == {"greeting.toml"}
    parsed.clear()
    assert LibraryStore(paths).load().library == first
    assert parsed == []  # warm again


def test_a_warm_load_gives_the_library_a_cold_one_gives(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    lib = _library()
    lib.add_category(Category("pay", "催付", 3))
    lib.add_phrase(Phrase("p1", "催付", "请付款", "pay", tags=["x", "y"], examples=["问"]))
    LibraryStore(paths).save(lib)
    cold = LibraryStore(paths).load().library
    assert paths.parse_cache.exists()
    warm = LibraryStore(paths).load().library
    assert warm == cold
    assert [p.id for p in warm.phrases] == [p.id for p in cold.phrases]


def _warm_store(paths: Paths) -> tuple[LibraryStore, Library]:
    """A store whose load took every file from the parse cache."""
    lib = _library()
    lib.add_category(Category("pay", "催付", 3))
    lib.add_phrase(Phrase("p1", "催付", "请付款", "pay"))
    LibraryStore(paths).save(lib)
    LibraryStore(paths).load()  # writes the cache
    store = LibraryStore(paths)
    loaded = store.load().library
    assert store._on_disk == {}  # nothing snapshotted yet: made when a save needs it
    assert set(store._on_disk_later) == {"greeting.toml", "pay.toml"}
    return store, loaded


def test_a_save_after_a_warm_load_writes_only_what_changed(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    store, lib = _warm_store(paths)
    assert store.save(lib) == []
    lib.phrase("p1").body = "改了"  # type: ignore[union-attr]
    assert store.save(lib) == ["pay.toml"]
    assert store.save(lib) == []
    assert LibraryStore(paths).load().library.phrase("p1").body == "改了"  # type: ignore[union-attr]


def test_the_snapshot_is_what_was_loaded_not_what_was_edited_since(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    store, lib = _warm_store(paths)
    lib.phrase("g1").title = "在内存里改的"  # type: ignore[union-attr]
    # The snapshot is made after the edit, but from the cache: the file is rewritten.
    assert store.save(lib) == ["greeting.toml"]


def test_deleting_everything_after_a_warm_load_removes_the_files(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    store, _ = _warm_store(paths)
    assert sorted(store.save(Library())) == ["greeting.toml", "pay.toml"]
    assert not list(paths.library.glob("*.toml"))


def test_a_merge_after_a_warm_load_keeps_both_sides(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    ours, ours_lib = _warm_store(paths)
    theirs = LibraryStore(paths)
    theirs_lib = theirs.load().library
    theirs_lib.phrase("g2").body = "他们改的"  # type: ignore[union-attr]
    assert theirs.save(theirs_lib) == ["greeting.toml"]
    ours_lib.phrase("p1").body = "我们改的"  # type: ignore[union-attr]
    ours.save(ours_lib)
    merged = LibraryStore(paths).load().library
    assert merged.phrase("g2").body == "他们改的"  # type: ignore[union-attr]
    assert merged.phrase("p1").body == "我们改的"  # type: ignore[union-attr]


def test_a_cache_hit_skips_decoding_but_a_bad_file_is_still_reported(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    _warm_store(paths)
    (paths.library / "bad.toml").write_bytes(b"x = \xff\n")
    result = LibraryStore(paths).load()
    assert result.broken_files == {"bad.toml"}
    assert "not valid UTF-8" in str(result.problems[0])
    assert "bad.toml" not in read_entries(paths.parse_cache)

"""LibraryStore guards found by re-measuring storage after the msgspec parse cache came in
(tests/mutation): what the cache records, flushes that mix removals and writes, and a
save leaving the store in step with the disk. Real files in a temporary HUASHU_HOME."""

from __future__ import annotations

import hashlib
from pathlib import Path

from app.core.fsutil import Paths
from app.core.model import Category, Library, Phrase
from app.core.parsecache import cached_files
from app.core.storage import LibraryStore


def _library() -> Library:
    lib = Library()
    lib.add_category(Category("alpha", "甲", 1))
    lib.add_category(Category("beta", "乙", 2))
    lib.add_phrase(Phrase("a1", "甲一", "甲的内容", "alpha"))
    lib.add_phrase(Phrase("b1", "乙一", "乙的内容", "beta"))
    return lib


def _phrase(lib: Library, pid: str) -> Phrase:
    found = lib.phrase(pid)
    assert found is not None
    return found


def _digest(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def test_the_cache_records_each_files_schema_version(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    paths.library.mkdir(parents=True)
    (paths.library / "alpha.toml").write_text(
        'schema_version = 1\n\n[[categories]]\nid = "alpha"\nname = "甲"\n', "utf-8"
    )
    (paths.library / "plain.toml").write_text(
        '[[categories]]\nid = "plain"\nname = "乙"\n', "utf-8"
    )
    result = LibraryStore(paths).load()
    assert not result.problems
    files = cached_files(paths.parse_cache)
    assert files["alpha.toml"].schema_version == 1
    assert files["plain.toml"].schema_version is None
    assert files["alpha.toml"].digest == _digest(paths.library / "alpha.toml")


def test_a_flush_after_a_removal_still_records_the_later_writes(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    lib = _library()
    store = LibraryStore(paths)
    store.save(lib)
    store.flush_cache()
    assert set(cached_files(paths.parse_cache)) == {"alpha.toml", "beta.toml"}
    # A removal noted first, a write after it: both reach the cache at the next flush.
    lib.phrases = [p for p in lib.phrases if p.category != "alpha"]
    lib.categories = [c for c in lib.categories if c.id != "alpha"]
    store.save(lib)
    _phrase(lib, "b1").body = "乙的新内容"
    store.save(lib)
    store.flush_cache()
    files = cached_files(paths.parse_cache)
    assert set(files) == {"beta.toml"}
    assert files["beta.toml"].digest == _digest(paths.library / "beta.toml")
    assert [p.body for p in files["beta.toml"].phrases] == ["乙的新内容"]


def test_after_a_save_the_store_is_in_step_with_the_disk(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    lib = _library()
    store = LibraryStore(paths)
    store.load()
    store.save(lib)
    assert not store.disk_changed()
    assert store.refresh(lib) is False
    _phrase(lib, "a1").body = "改过"
    store.save(lib)
    assert not store.disk_changed()
    assert store.external_merges == 0

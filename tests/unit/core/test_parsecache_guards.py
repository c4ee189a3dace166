"""Guards for the parse cache found by mutation testing (tests/mutation): the documented
file layout, the warnings naming the cache file, and bad entries skipped one by one."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from pathlib import Path

import msgspec
import pytest

from app.core.model import Category, Phrase
from app.core.parsecache import (
    CACHE_VERSION,
    MAGIC,
    ParseCache,
    cached_files,
    read_entries,
)


def _file(path: Path, payload: bytes) -> None:
    path.write_bytes(MAGIC + hashlib.blake2b(payload, digest_size=16).digest() + payload)


def _layout() -> bytes:
    """The layout as documented: the version, a colon, the field names joined by commas."""
    names = [f.name for f in dataclasses.fields(Category)]
    names += [f.name for f in dataclasses.fields(Phrase)]
    return f"{CACHE_VERSION}:{','.join(names)}".encode()


def _entry(categories: list[object], phrases: list[object]) -> msgspec.Raw:
    return msgspec.Raw(msgspec.msgpack.encode([1, categories, phrases]))


def test_a_cache_file_written_to_the_documented_layout_is_read(tmp_path: Path) -> None:
    path = tmp_path / "c.bin"
    entry = _entry([{"id": "greeting", "name": "欢迎语", "order": 10}], [])
    _file(path, msgspec.msgpack.encode([_layout(), {"g.toml": ["d1", entry]}]))
    assert set(read_entries(path)) == {"g.toml"}
    files = cached_files(path)
    assert files["g.toml"].digest == "d1"
    assert files["g.toml"].categories == [Category("greeting", "欢迎语", 10)]


def test_cached_files_skips_a_bad_entry_and_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "c.bin"
    bad = _entry([{"id": 5}], [])
    good = _entry([], [])
    # The bad entry comes first in the file: the good one after it must still be read.
    _file(
        path, msgspec.msgpack.encode([_layout(), {"a.toml": ["d1", bad], "b.toml": ["d2", good]}])
    )
    files = cached_files(path)
    assert set(files) == {"b.toml"}
    assert files["b.toml"].digest == "d2"


def _messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_a_damaged_cache_is_reported_with_its_path(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "c.bin"
    path.write_bytes(MAGIC + b"\0" * 16 + b"payload")
    with caplog.at_level(logging.WARNING):
        assert read_entries(path) == {}
    assert _messages(caplog) == [f"ignoring a damaged parse cache {path}"]


def test_a_header_without_payload_is_checked_like_any_other(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Exactly the header (magic and a digest) is long enough to be checked: a wrong digest
    # is a damaged cache, reported as such.
    path = tmp_path / "c.bin"
    path.write_bytes(MAGIC + b"\0" * 16)
    with caplog.at_level(logging.WARNING):
        assert read_entries(path) == {}
    assert _messages(caplog) == [f"ignoring a damaged parse cache {path}"]


def test_an_unreadable_cache_is_reported_with_its_path(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "c.bin"
    _file(path, b"\xc1\xc1 not msgpack")
    with caplog.at_level(logging.WARNING):
        assert read_entries(path) == {}
    assert _messages(caplog) == [f"ignoring an unreadable parse cache {path}"]


def test_a_bad_entry_is_reported_with_its_file_name(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "c.bin"
    _file(path, msgspec.msgpack.encode([_layout(), {"bad.toml": ["d", _entry([{"id": 5}], [])]}]))
    cache = ParseCache(path)
    cache.load()
    with caplog.at_level(logging.WARNING):
        assert cache.get("bad.toml", "d", "x") is None
    assert _messages(caplog) == ["ignoring a bad parse-cache entry for bad.toml"]


def test_a_write_failure_is_reported_with_the_path_and_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import app.core.parsecache as pc

    path = tmp_path / "c.bin"
    cache = ParseCache(path)
    cache.put("f.toml", "d", 1, [], [])

    def failing(_path: Path, _data: bytes) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(pc, "atomic_write_bytes", failing)
    with caplog.at_level(logging.WARNING):
        cache.save()
    assert _messages(caplog) == [f"cannot write {path}: disk full"]


def test_the_flags_are_booleans(tmp_path: Path) -> None:
    path = tmp_path / "c.bin"
    cache = ParseCache(path)
    assert cache.loaded is False
    assert cache.dirty is False
    cache.put("f.toml", "d", 1, [], [])
    assert cache.dirty is True
    cache.save()
    assert cache.dirty is False
    cache.put("g.toml", "d", 1, [], [])
    cache.load()
    assert cache.loaded is True
    assert cache.dirty is False

"""app.core.gcpause: the cycle collector paused around bulk builds, and given back."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import app.core.storage as storage
from app.core.fsutil import Paths
from app.core.gcpause import CollectorPause, cycle_collector_paused
from app.core.model import Category, Library, Phrase
from app.core.pinyin import PinyinCache
from app.core.search import SearchIndex


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_inside_and_back_on_after() -> None:
    with cycle_collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_every_caller_shares_one_pause() -> None:
    assert cycle_collector_paused() is cycle_collector_paused()


def test_a_new_pause_pauses_and_gives_back() -> None:
    pause = CollectorPause()
    with pause:
        assert not gc.isenabled()
        with pause:
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pause:  # and again
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_exception_still_gives_the_collector_back() -> None:
    with pytest.raises(KeyError), cycle_collector_paused():
        raise KeyError("x")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with cycle_collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_nested_pauses_give_the_collector_back_at_the_outermost_end() -> None:
    with cycle_collector_paused():
        with cycle_collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still runs
    assert gc.isenabled()


def test_overlapping_pauses_in_two_threads_end_with_the_last_one() -> None:
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def second() -> None:
        first_in.wait(5)
        with cycle_collector_paused():
            second_in.set()
            first_out.wait(5)
            seen.append(gc.isenabled())  # the first pause ended: still paused for this one
        seen.append(gc.isenabled())

    t = threading.Thread(target=second)
    t.start()
    with cycle_collector_paused():
        first_in.set()
        assert second_in.wait(5)
    first_out.set()
    t.join(5)
    assert seen == [False, True]
    assert gc.isenabled()


def _library() -> Library:
    lib = Library()
    lib.categories.append(Category("pay", "催付", 10))
    lib.phrases.append(Phrase("remind", "催付提醒", "您好,宝贝还在等您付款。", "pay", code="cf1"))
    return lib


def test_the_search_index_is_built_with_the_collector_paused() -> None:
    seen: list[bool] = []

    def usage(pid: str) -> tuple[int, float]:
        seen.append(gc.isenabled())
        return 0, 0.0

    index = SearchIndex(_library(), PinyinCache(None), usage=usage)
    assert seen == [False]
    assert gc.isenabled()
    assert [h.phrase.id for h in index.search("cf", 5)] == ["remind"]


def test_a_library_load_runs_with_the_collector_paused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = Paths(tmp_path)
    store = storage.LibraryStore(paths)
    store.save(_library())
    seen: list[bool] = []
    real = storage.parse_document

    def spying(*args: object, **kw: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(storage, "parse_document", spying)
    paths.parse_cache.unlink(missing_ok=True)
    result = storage.LibraryStore(paths).load()
    assert seen and not any(seen)
    assert gc.isenabled()
    assert [p.id for p in result.library.phrases] == ["remind"]

"""Workspace.start_index_build: the search index is built off the event loop's thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import app.core.search as search
from app.core.model import Phrase
from app.core.pinyin import PinyinCache
from app.core.search import SearchIndex
from app.core.workspace import Workspace


def _ids(ws: Workspace, query: str) -> list[str]:
    return [h.phrase.id for h in ws.search(query, 50)]


def test_the_index_built_in_a_thread_answers_as_one_built_at_once(huashu_home: Path) -> None:
    ws = Workspace.open()
    assert not ws.index_ready  # nothing built, nothing building
    assert not ws.paths.pinyin_cache.exists()
    ws.start_index_build()
    assert ws._index_build is not None
    thread = ws._index_build[0]
    assert thread.daemon and thread.name == "huashu-index"
    thread.join()
    assert ws.index_ready
    # the pinyin is on disk once built, before any quit: the next start reads it
    assert PinyinCache(ws.paths.pinyin_cache).dirty is False
    assert "催付" in PinyinCache(ws.paths.pinyin_cache)
    index = ws.index
    assert ws.index is index  # installed once
    other = Workspace.open()
    for q in ("", "cf", "催付", "hy", "物流"):
        assert _ids(ws, q) == _ids(other, q)
    ws.start_index_build()  # already there: nothing to start
    assert ws._index_build is None
    ws.close()
    other.close()


def test_asking_for_the_index_waits_for_the_build(
    huashu_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = Workspace.open()
    go = threading.Event()
    real = SearchIndex.rebuild

    def slow(self: SearchIndex, library: object) -> None:
        go.wait(10)
        real(self, library)  # type: ignore[arg-type]

    monkeypatch.setattr(SearchIndex, "rebuild", slow)
    ws.start_index_build()
    assert not ws.index_ready
    ws.start_index_build()  # running: not a second one
    # An edit while it is built is in the index it gives.
    p = ws.library.phrases[0]
    p.title = "建索引时改的标题"
    threading.Timer(0.05, go.set).start()
    assert ws.index.search("建索引时改的标题")[0].phrase is p
    assert ws.index_ready
    ws.close()


def test_a_failed_build_is_built_on_first_use(
    huashu_home: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    ws = Workspace.open()
    real = SearchIndex.__init__
    calls: list[str] = []

    def failing_once(self: SearchIndex, *args: object, **kw: object) -> None:
        calls.append(threading.current_thread().name)
        if len(calls) == 1:
            raise RuntimeError("boom")
        real(self, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(SearchIndex, "__init__", failing_once)
    ws.start_index_build()
    assert ws._index_build is not None
    ws._index_build[0].join()
    assert "building the search index failed" in caplog.text
    assert not ws.index_ready  # the index would be built on the spot
    assert ws.index.search("")  # built now, in this thread
    assert calls == ["huashu-index", threading.current_thread().name]
    ws.close()


def test_a_replaced_library_is_indexed_afresh(huashu_home: Path) -> None:
    ws = Workspace.open()
    ws.start_index_build()
    assert ws._index_build is not None
    ws._index_build[0].join()
    from app.core.model import Category, Library

    ws.library = Library([Category("c", "新分类")], [Phrase("n1", "全新的短语", "正文", "c")])
    assert [h.phrase.id for h in ws.index.search("")] == ["n1"]
    ws.close()


def test_closing_during_a_build_does_not_save_the_pinyin(
    huashu_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = Workspace.open()
    go = threading.Event()
    real = search.SearchIndex.rebuild

    def slow(self: SearchIndex, library: object) -> None:
        go.wait(10)
        real(self, library)  # type: ignore[arg-type]

    monkeypatch.setattr(SearchIndex, "rebuild", slow)
    ws.start_index_build()
    saved: list[bool] = []
    monkeypatch.setattr(type(ws.pinyin), "save", lambda self: saved.append(True))
    ws.close()
    assert saved == []  # a half-built cache is not written at quit
    go.set()
    assert ws._index_build is not None
    ws._index_build[0].join()
    assert saved == [True]  # the build saves what it converted, when done
    ws.close()  # done now: saved (a no-op when nothing changed since)
    assert saved == [True, True]

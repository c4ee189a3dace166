"""SearchIndex.sync: a library change patches the index when few phrases changed, and the
index then answers exactly as one built afresh."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app.core.search as search
from app.core.model import Category, Library, Phrase
from app.core.pinyin import PinyinCache
from app.core.search import SearchIndex

QUERIES = ("", "cf", "cf1", "hy", "催付", "付款", "wl", "kuaidi", "快递", "物流", "tk", "新", "xin")


def _library() -> Library:
    from tests.unit.core.test_search import make_library

    return make_library()


def _answers(index: SearchIndex) -> list[list[tuple[str, float, str]]]:
    return [
        [(h.phrase.id, h.score, h.reason) for h in index.search(q, 50)] + [(q, 0, "")]
        for q in QUERIES
    ]


def _fresh(lib: Library) -> SearchIndex:
    return SearchIndex(lib, PinyinCache(None))


@pytest.fixture
def rebuilds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = SearchIndex.rebuild

    def counting(self: SearchIndex, library: Library) -> None:
        calls.append(len(library.phrases))
        real(self, library)

    monkeypatch.setattr(SearchIndex, "rebuild", counting)
    return calls


def test_an_edit_in_place_is_patched_in(rebuilds: list[int]) -> None:
    lib = _library()
    index = _fresh(lib)
    rebuilds.clear()
    p = lib.phrase("track")
    assert p is not None
    p.title = "新的快递标题"
    p.code = "xin1"
    p.category = "after"
    index.sync(lib)
    assert rebuilds == []
    assert _answers(index) == _answers(_fresh(lib))
    assert index.search("xin1")[0].phrase is p


def test_a_replaced_object_is_returned_even_when_its_keys_are_the_same(
    rebuilds: list[int],
) -> None:
    lib = _library()
    index = _fresh(lib)
    rebuilds.clear()
    old = lib.phrase("refund")
    assert old is not None
    new = old.copy(hotkey="ctrl+alt+9")  # nothing the index searches changed
    lib.phrases[lib.phrases.index(old)] = new
    index.sync(lib)
    assert rebuilds == []
    assert index.search("tk")[0].phrase is new


def test_removals_and_additions_at_the_end_are_patched_in(rebuilds: list[int]) -> None:
    lib = _library()
    index = _fresh(lib)
    rebuilds.clear()
    lib.remove_phrase("bank")
    lib.remove_phrase("warm")
    lib.phrases.append(Phrase("new1", "新催付", "付款吧", "pay", code="xf"))
    index.sync(lib)
    assert rebuilds == []
    assert len(index) == len(lib.phrases)
    assert _answers(index) == _answers(_fresh(lib))


@pytest.mark.parametrize(
    "change",
    [
        lambda lib: lib.phrases.insert(0, Phrase("n", "新", "b", "pay")),  # not at the end
        lambda lib: lib.phrases.reverse(),  # another order
        lambda lib: setattr(lib.categories[0], "name", "改名"),
        lambda lib: lib.categories.append(Category("zz", "新分类")),
        lambda lib: setattr(lib.categories[1], "parent", None),
        lambda lib: setattr(lib.categories[0], "order", 99),
    ],
)
def test_changes_a_patch_cannot_follow_rebuild(rebuilds: list[int], change: Any) -> None:
    lib = _library()
    index = _fresh(lib)
    rebuilds.clear()
    change(lib)
    index.sync(lib)
    assert rebuilds == [len(lib.phrases)]
    assert _answers(index) == _answers(_fresh(lib))


def test_an_id_twice_rebuilds(rebuilds: list[int]) -> None:
    lib = _library()
    index = _fresh(lib)
    rebuilds.clear()
    lib.phrases.append(lib.phrases[0].copy(title="同一个id"))
    index.sync(lib)
    assert rebuilds == [len(lib.phrases)]


def test_another_library_object_rebuilds(rebuilds: list[int]) -> None:
    index = _fresh(_library())
    rebuilds.clear()
    other = _library()
    index.sync(other)
    assert rebuilds == [len(other.phrases)]


def _big() -> Library:
    lib = Library([Category("c", "分类")])
    for i in range(search.SYNC_LIMIT * 3):
        lib.phrases.append(Phrase(f"p{i}", f"标题{i}", "正文", "c", code=f"c{i}"))
    return lib


@pytest.mark.parametrize("kind", ["edit", "remove", "add", "mixed"])
def test_more_changes_than_the_limit_rebuild(rebuilds: list[int], kind: str) -> None:
    lib = _big()
    index = _fresh(lib)
    n = search.SYNC_LIMIT
    # exactly the limit: patched
    _change(lib, kind, n, "a")
    rebuilds.clear()
    index.sync(lib)
    assert rebuilds == []
    assert _answers(index) == _answers(_fresh(lib))
    # one more: rebuilt
    _change(lib, kind, n + 1, "b")
    rebuilds.clear()
    index.sync(lib)
    assert rebuilds == [len(lib.phrases)]


def _change(lib: Library, kind: str, n: int, tag: str) -> None:
    if kind == "edit":
        for p in lib.phrases[:n]:
            p.title += tag
    elif kind == "remove":
        del lib.phrases[:n]
    elif kind == "add":
        lib.phrases.extend(Phrase(f"a{tag}{i}", f"加{i}", "y", "c") for i in range(n))
    else:
        half = n // 2
        for p in lib.phrases[:half]:
            p.body += tag
        lib.phrases.extend(Phrase(f"m{tag}{i}", f"混{i}", "y", "c") for i in range(n - half))


_edits = st.lists(
    st.tuples(
        st.sampled_from(["title", "body", "code", "cat", "tags", "remove", "add", "swap"]),
        st.integers(0, 1000),
    ),
    max_size=6,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_edits)
def test_after_any_edits_sync_answers_as_a_fresh_index(edits: list[tuple[str, int]]) -> None:
    lib = _library()
    index = _fresh(lib)
    rnd = random.Random(0)
    for n, (what, k) in enumerate(edits):
        if not lib.phrases:
            break
        p = lib.phrases[k % len(lib.phrases)]
        if what == "title":
            p.title = rnd.choice(["催付新", "快递到了", "新品"]) + str(k)
        elif what == "body":
            p.body = "正文" + str(k)
        elif what == "code":
            p.code = rnd.choice(["", "cf", "xin"]) + str(k % 3)
        elif what == "cat":
            p.category = lib.categories[k % len(lib.categories)].id
        elif what == "tags":
            p.tags = ["快递"] if not p.tags else []
        elif what == "remove":
            lib.phrases.remove(p)
        elif what == "add":
            lib.phrases.append(Phrase(f"x{n}", "新加的", "内容", "ship"))
        else:
            lib.phrases[lib.phrases.index(p)] = p.copy(title=p.title + "改")
        index.sync(lib)
        assert _answers(index) == _answers(_fresh(lib))

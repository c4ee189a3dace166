"""app.services.results: result rows for the picker, the panel and the tray menu."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.fsutil import Paths
from app.core.model import Category, Library, Phrase
from app.core.workspace import Workspace
from app.services.results import (
    PANEL_SEARCH_LIMIT,
    SUGGEST_LIMIT,
    SUGGEST_MAX_CHARS,
    Results,
    one_line,
    reads_like_sentence,
)


@pytest.fixture
def ws(huashu_home: Path) -> Workspace:
    ws = Workspace.open(Paths(huashu_home), seed=False)
    lib = Library()
    lib.add_category(Category("top", "售前", 1))
    lib.add_category(Category("sub", "尺码", 1, "top"))
    lib.add_category(Category("empty", "空的", 2, "top"))
    lib.add_category(Category("other", "售后", 2))
    lib.add_phrase(Phrase("hello", "问候", "您好，\n欢迎  光临", "top", code="hy"))
    lib.add_phrase(Phrase("size", "尺码表", "请看尺码表", "sub"))
    lib.add_phrase(Phrase("back", "退货", "七天无理由退货，全网最低价", "other", code="th"))
    lib.add_phrase(Phrase("me", "工号", "我是{工号}号客服", "sub"))
    ws.library = lib
    ws.save_library()
    ws.settings.profile.agent_no = "7"
    yield ws
    ws.close()


def test_limits() -> None:
    assert (SUGGEST_LIMIT, SUGGEST_MAX_CHARS, PANEL_SEARCH_LIMIT) == (9, 300, 200)


@pytest.mark.parametrize(
    ("query", "sentence"),
    [
        ("", False),
        ("退", False),  # one character
        ("hy", False),  # ascii: codes and pinyin
        ("what time is it", False),
        ("亲，什么时候发货啊", True),
        ("可以开发票吗", True),
    ],
)
def test_reads_like_sentence(query: str, sentence: bool) -> None:
    assert reads_like_sentence(query) is sentence


def test_one_line() -> None:
    assert one_line("  您好\n\t在吗  ") == "您好 在吗"
    assert one_line("a" * 400) == "a" * SUGGEST_MAX_CHARS
    assert one_line("abcdef", 3) == "abc"


def test_item(ws: Workspace) -> None:
    results = Results(ws)
    hello = ws.library.phrase("hello")
    assert hello is not None
    item = results.item(hello, why="because")
    assert (item.phrase_id, item.title, item.code, item.why) == ("hello", "问候", "hy", "because")
    assert item.category == "售前"
    assert item.preview == "您好， 欢迎 光临"  # one line
    assert item.warning == ""
    back = ws.library.phrase("back")
    assert back is not None
    assert results.item(back).warning.startswith("“全网最低”: ")
    size = ws.library.phrase("size")
    assert size is not None
    assert results.item(size).category == "售前 / 尺码"
    me = ws.library.phrase("me")
    assert me is not None
    assert results.item(me).preview == "我是7号客服"  # the profile fills the preview
    loud = Phrase("loud", "夸张", "全网最低价，第一品牌，绝对正品，国家级产品", "top")
    assert results.item(loud).warning.count("”: ") == 3  # the first three findings


def test_search_codes_and_text(ws: Workspace) -> None:
    results = Results(ws)
    assert [i.phrase_id for i in results.search("hy", 5)] == ["hello"]
    assert results.search("退货", 5)[0].phrase_id == "back"
    assert len(results.search("", 2)) == 2
    assert results.search("工号", 5)[0].preview == "我是7号客服"
    assert all(i.why == "" for i in results.search("th", 5))


def test_suggestions_only_for_sentences(ws: Workspace) -> None:
    results = Results(ws)
    assert results.suggestions("hy") == []
    assert results.suggestions("") == []


def test_categories_indent_subcategories(ws: Workspace) -> None:
    assert Results(ws).categories() == [
        ("top", "售前"),
        ("sub", "    尺码"),
        ("empty", "    空的"),
        ("other", "售后"),
    ]


def test_in_category_includes_subcategories(ws: Workspace) -> None:
    results = Results(ws)
    assert [i.phrase_id for i in results.in_category("top", "")] == ["hello", "size", "me"]
    rows = results.in_category("sub", "")
    assert [i.phrase_id for i in rows] == ["size", "me"]
    assert rows[1].preview == "我是7号客服"
    assert [i.phrase_id for i in results.in_category("top", "th")] == ["back"]  # a query
    assert len(results.in_category("", "")) == 4  # no category: the search


def test_menu(ws: Workspace) -> None:
    assert Results(ws).menu() == [
        ("售前", [("hello", "问候  [hy]")], [("尺码", [("size", "尺码表"), ("me", "工号")])]),
        ("售后", [("back", "退货  [th]")], []),
    ]


@pytest.fixture
def seeded(huashu_home: Path) -> Workspace:
    ws = Workspace.open(Paths(huashu_home))  # the built-in phrases, with their examples
    yield ws
    ws.close()


def test_menu_of_the_built_in_library_lists_each_category_in_library_order(
    seeded: Workspace,
) -> None:
    lib = seeded.library

    def entries(category_id: str) -> list[tuple[str, str]]:
        return [
            (p.id, f"{p.title}  [{p.code}]" if p.code else p.title)
            for p in lib.phrases
            if p.category == category_id
        ]

    expected = []
    for top in lib.top_categories():
        children = [(c.name, entries(c.id)) for c in lib.children(top.id)]
        expected.append((top.name, entries(top.id), [c for c in children if c[1]]))
    menu = Results(seeded).menu()
    assert menu == expected
    assert sum(len(m[1]) + sum(len(c[1]) for c in m[2]) for m in menu) == len(lib.phrases)


def test_a_sentence_is_ranked_by_the_suggester(
    seeded: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = Results(seeded)
    items = results.search("亲，什么时候发货啊", 20)
    expected = seeded.suggest("亲，什么时候发货啊", SUGGEST_LIMIT).suggestions
    assert [i.phrase_id for i in items] == [s.phrase.id for s in expected]
    assert [i.why for i in items] == [s.why for s in expected]
    assert items[0].phrase_id == "logistics-ship-time" and items[0].why.startswith("example “")
    many = "有没有优惠券可以用"  # the ranker has several answers
    assert len(results.search(many, 20)) == len(seeded.suggest(many, 20).suggestions) > 3
    assert len(results.search(many, 3)) == 3  # the smaller limit wins
    asked: list[int] = []
    suggest = seeded.suggest
    monkeypatch.setattr(seeded, "suggest", lambda q, n: asked.append(n) or suggest(q, n))
    results.search(many, 20)
    results.search(many, 2)
    assert asked == [SUGGEST_LIMIT, 2]  # at most one screen of the picker


def test_nothing_fits_falls_back_to_exact_text_matches_only(seeded: Workspace) -> None:
    results = Results(seeded)
    assert results.search("可以开发票吗", 10) == []
    seeded.suggester.min_score = 2.0  # the ranker declines everything
    items = results.search("七天无理由退货", 10)
    assert [i.phrase_id for i in items] == ["aftersales-return-7day"]
    assert items[0].why == ""
    assert items[0].preview and items[0].category


def test_suggestions_for_a_message(seeded: Workspace) -> None:
    results = Results(seeded)
    rows = results.suggestions("亲，什么时候发货呀？")
    expected = seeded.suggest("亲，什么时候发货呀？", SUGGEST_LIMIT).suggestions
    assert [r.phrase_id for r in rows] == [s.phrase.id for s in expected] != []
    assert [r.why for r in rows] == [s.why for s in expected]
    assert all(r.preview and r.title and r.category for r in rows)
    assert results.suggestions("cf1") == []

"""Ranked phrase search (app/core/search.py)."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from app.core.model import Category, Library, Phrase
from app.core.pinyin import PinyinCache
from app.core.search import Hit, SearchIndex
from app.core.storage import load_builtin_packs

REASONS = {"code", "code-prefix", "initials", "pinyin", "substring", "fuzzy"}


def make_library() -> Library:
    cats = [
        Category("pay", "催付", 10),
        Category("pay-stock", "库存紧张", 10, parent="pay"),
        Category("greet", "欢迎语", 20),
        Category("greet-busy", "高峰期", 10, parent="greet"),
        Category("ship", "物流", 30),
        Category("after", "售后", 40),
    ]
    p = Phrase
    phrases = [
        p("warm", "温柔催付", "亲,您的订单还没付款哦,有问题随时找我。", "pay", code="cf1"),
        p("remind", "催付提醒", "您好,您拍下的宝贝还在等您付款。", "pay", code="cf12"),
        p("unpaid", "还没付款", "库存不多了,付款后马上为您锁定。", "pay-stock"),
        p("bank", "银行卡付款失败", "换一张银行卡试试。", "pay"),
        p("welcome", "标准欢迎语", "{问候},欢迎光临{店铺}!", "greet", code="hy1"),
        p("busy", "高峰期问候", "咨询的人较多,请稍等。", "greet-busy"),
        p("vip", "VIP客户专享", "尊贵的会员您好。", "greet", code="vip"),
        p("track", "物流查询", "您的快递已经发出。", "ship", code="wl1", tags=["快递"]),
        p("resend", "重新发货", "包裹丢失,我们为您补发。", "ship"),
        p("long", "长款说明", "长款衣服请看尺码表。", "after"),
        p("refund", "退款进度", "退款一到三天原路退回。", "after", code="tk"),
    ]
    return Library(cats, phrases)


@pytest.fixture
def lib() -> Library:
    return make_library()


@pytest.fixture
def index(lib: Library) -> SearchIndex:
    return SearchIndex(lib, PinyinCache(None))


def ids(hits: list[Hit]) -> list[str]:
    return [h.phrase.id for h in hits]


def first(index: SearchIndex, query: str) -> Hit:
    hits = index.search(query)
    assert hits, query
    return hits[0]


def test_hits_are_sorted_by_score_with_known_reasons(index: SearchIndex) -> None:
    for q in ["cf", "hy", "cuifu", "物流", "cuifo", "物留", "k", "付款", "zk", "VIP"]:
        hits = index.search(q)
        assert all(h.reason in REASONS for h in hits), q
        scores = [h.score for h in hits]
        assert scores == sorted(scores, reverse=True), q
        assert len(set(ids(hits))) == len(hits), q


def test_exact_code_then_code_prefix_then_initials(index: SearchIndex) -> None:
    hits = index.search("cf1")
    assert [(h.phrase.id, h.reason) for h in hits[:2]] == [
        ("warm", "code"),
        ("remind", "code-prefix"),
    ]
    hits = index.search("cf")
    assert [(h.phrase.id, h.reason) for h in hits[:2]] == [
        ("warm", "code-prefix"),
        ("remind", "code-prefix"),
    ]
    # then the category 催付 (initials "cf") brings its other phrases, children included
    assert {h.phrase.id for h in hits[2:]} == {"unpaid", "bank"}
    assert {h.reason for h in hits[2:]} == {"initials"}


def test_initials_title_start_before_inside_before_category(lib: Library) -> None:
    for p in lib.phrases:
        p.code = ""
    index = SearchIndex(lib, PinyinCache(None))
    hits = index.search("cf")
    assert ids(hits[:2]) == ["remind", "warm"]  # 催付提醒 starts with it, 温柔催付 does not
    assert hits[0].score > hits[1].score > hits[2].score
    assert {h.phrase.id for h in hits[2:]} == {"unpaid", "bank"}  # category 催付
    hits = index.search("hy")
    assert hits[0].phrase.id == "welcome"
    assert (hits[1].phrase.id, hits[1].reason) == ("busy", "initials")  # parent 欢迎语


def test_issue_examples_on_the_hand_made_library(index: SearchIndex) -> None:
    assert "催付" in first(index, "cf").phrase.title
    assert "欢迎" in first(index, "hy").phrase.title


@pytest.mark.parametrize(
    ("query", "expected", "reason"),
    [
        ("zk", "long", "initials"),
        ("ck", "long", "initials"),
        ("yhk", "bank", "initials"),
        ("yxk", "bank", "initials"),
        ("cxfh", "resend", "initials"),
        ("zxfh", "resend", "initials"),
        ("hmfk", "unpaid", "initials"),
        ("huanmeifukuan", "unpaid", "pinyin"),
        ("haimei", "unpaid", "pinyin"),
        ("changkuan", "long", "pinyin"),
        ("zhangkuan", "long", "pinyin"),
        ("chongxinfahuo", "resend", "pinyin"),
        ("yinxingka", "bank", "pinyin"),
    ],
)
def test_heteronyms_match_either_reading(
    index: SearchIndex, query: str, expected: str, reason: str
) -> None:
    hit = first(index, query)
    assert (hit.phrase.id, hit.reason) == (expected, reason)


@pytest.mark.parametrize("query", ["cuifu", "cui fu", "cuif", "CuiFu", "ｃｕｉｆｕ", "cui'fu"])
def test_full_pinyin(index: SearchIndex, query: str) -> None:
    hits = index.search(query)
    assert ids(hits[:2]) == ["warm", "remind"]  # both titles; library order
    assert {h.reason for h in hits[:2]} == {"pinyin"}
    assert hits[2].phrase.category == "pay-stock" or hits[2].phrase.id == "bank"
    assert hits[2].score < hits[1].score  # category 催付 only


def test_case_and_width_insensitive_codes(index: SearchIndex) -> None:
    for q in ["CF1", "ｃｆ１", " cf1 "]:
        assert (first(index, q).phrase.id, first(index, q).reason) == ("warm", "code")
    assert first(index, "VIP").phrase.id == "vip"


def test_substring_title_before_tag_before_category_before_body(index: SearchIndex) -> None:
    hits = index.search("物流")
    assert (hits[0].phrase.id, hits[0].reason) == ("track", "substring")
    assert hits[1].phrase.id == "resend"  # category 物流
    assert hits[0].score > hits[1].score
    hit = first(index, "快递")
    assert (hit.phrase.id, hit.reason) == ("track", "substring")  # its tag
    hits = index.search("银行卡")
    assert ids(hits) == ["bank"]
    hit = first(index, "尺码")  # body only
    assert (hit.phrase.id, hit.reason, hit.score) == ("long", "substring", 40.0)


def test_title_start_ranks_above_title_inside(index: SearchIndex) -> None:
    hits = index.search("催付")
    assert [(h.phrase.id, h.score) for h in hits[:4]] == [
        ("remind", 52.0),  # 催付提醒: title starts with it
        ("warm", 50.0),  # 温柔催付: inside the title
        ("unpaid", 45.0),  # category 催付 (its child 库存紧张), library order
        ("bank", 45.0),
    ]
    hits = index.search("付款")
    assert {h.reason for h in hits[4:]} <= {"fuzzy"}  # 长款, 退款: one character in common
    assert [(h.phrase.id, h.score) for h in hits[:4]] == [
        ("unpaid", 50.0),
        ("bank", 50.0),
        ("warm", 40.0),  # bodies
        ("remind", 40.0),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("cuifo", {"warm", "remind"}), ("物留", {"track"}), ("tuikaun", {"refund"})],
)
def test_fuzzy_typos(index: SearchIndex, query: str, expected: set[str]) -> None:
    hits = index.search(query)
    assert hits and hits[0].reason == "fuzzy"
    assert {h.phrase.id for h in hits[: len(expected)]} == expected


def test_fuzzy_can_be_left_out(index: SearchIndex) -> None:
    assert index.search("cuifo", fuzzy=False) == []
    assert {h.reason for h in index.search("付款", limit=100, fuzzy=False)} == {"substring"}


def test_no_match(index: SearchIndex) -> None:
    assert index.search("zzqxj") == []
    assert index.search("火星人") == []


def test_limit(index: SearchIndex) -> None:
    assert len(index.search("", limit=3)) == 3
    assert len(index.search("f", limit=2)) == 2
    assert index.search("cf", limit=0) == []


def usage_from(table: dict[str, tuple[int, float]]) -> Callable[[str], tuple[int, float]]:
    return lambda pid: table.get(pid, (0, 0.0))


def test_ties_break_by_use_count_then_recency_then_library_order(lib: Library) -> None:
    table: dict[str, tuple[int, float]] = {}
    index = SearchIndex(lib, PinyinCache(None), usage=usage_from(table))
    assert ids(index.search("cuifu")[:2]) == ["warm", "remind"]  # library order
    table["remind"] = (3, 100.0)
    assert ids(index.search("cuifu")[:2]) == ["warm", "remind"]  # not refreshed yet
    index.refresh_usage("remind")
    assert ids(index.search("cuifu")[:2]) == ["remind", "warm"]  # more uses
    table["warm"] = (3, 50.0)
    index.refresh_usage()
    assert ids(index.search("cuifu")[:2]) == ["remind", "warm"]  # same count, more recent
    table["warm"] = (4, 50.0)
    index.refresh_usage("warm")
    assert ids(index.search("cuifu")[:2]) == ["warm", "remind"]  # more uses
    # usage never lifts a phrase above a better level
    table["long"] = (100, 999.0)
    index.refresh_usage("long")
    assert ids(index.search("cf")[:2]) == ["warm", "remind"]
    # and orders the hits of a lower level too: category phrases of 催付
    table["bank"] = (1, 1.0)
    index.refresh_usage("bank")
    assert ids(index.search("cf")[2:4]) == ["bank", "unpaid"]


def test_empty_query_lists_most_used_then_library_order(lib: Library) -> None:
    table = {"track": (2, 10.0), "busy": (5, 5.0), "long": (2, 20.0)}
    index = SearchIndex(lib, PinyinCache(None), usage=usage_from(table))
    hits = index.search("   ")
    assert ids(hits[:4]) == ["busy", "long", "track", "warm"]
    assert len(hits) == len(lib.phrases)
    assert {h.reason for h in hits} == {""}


def test_update_existing_phrase(lib: Library, index: SearchIndex) -> None:
    changed = lib.phrase("long")
    assert changed is not None
    changed = changed.copy(title="发货延迟说明", code="fh", category="ship")
    index.update(changed)
    assert first(index, "fh").phrase is changed
    assert first(index, "fhyc").phrase.id == "long"
    assert all(h.phrase.id != "long" for h in index.search("zk"))
    assert "long" in ids(index.search("wuliu"))  # now in category 物流
    assert len(index) == len(lib.phrases)


def test_update_adds_a_new_phrase_at_the_end(index: SearchIndex) -> None:
    new = Phrase("new", "催付最后一次", "最后提醒您付款。", "pay", code="cf9")
    index.update(new)
    assert first(index, "cf9").phrase is new
    hits = index.search("cuifu")
    assert ids(hits[:3]) == ["warm", "remind", "new"]
    assert first(index, "cfzuihou").phrase is new  # initials and full pinyin mixed


def test_remove(lib: Library, index: SearchIndex) -> None:
    index.remove("remind")
    index.remove("no-such-id")
    assert "remind" not in ids(index.search("cf"))
    assert first(index, "tk").phrase.id == "refund"  # phrases after it still map right
    assert first(index, "wl1").phrase.id == "track"
    assert first(index, "尺码").phrase.id == "long"
    assert len(index) == len(lib.phrases) - 1


QUERY_MIX = ["", "cf", "cf1", "hy", "wl", "cuifu", "fk", "付款", "物流", "cuifo", "物留", "q", "k"]


def random_phrase(rnd: random.Random, pid: str, cats: list[str]) -> Phrase:
    words = ["催付", "欢迎", "物流", "长款", "银行", "重新", "还没", "退款", "VIP", "发货", "提醒"]
    title = "".join(rnd.sample(words, rnd.randint(1, 3)))
    body = "".join(rnd.sample(words, 2)) + "您好"
    code = rnd.choice(["", "cf", "hy", "wl", "tk"]) + str(rnd.randint(1, 30))
    return Phrase(pid, title, body, rnd.choice(cats), code=code, tags=rnd.sample(words, 1))


def test_edits_give_the_same_results_as_a_fresh_index() -> None:
    rnd = random.Random(7)
    lib = make_library()
    cats = [c.id for c in lib.categories]
    table = {"warm": (2, 5.0), "busy": (1, 9.0)}
    usage = usage_from(table)
    cache = PinyinCache(None)
    index = SearchIndex(lib, cache, usage=usage)
    for step in range(60):
        action = rnd.random()
        if action < 0.4 or not lib.phrases:
            p = random_phrase(rnd, f"r{step}", cats)
            lib.phrases.append(p)
            index.update(p)
        elif action < 0.7:
            k = rnd.randrange(len(lib.phrases))
            p = random_phrase(rnd, lib.phrases[k].id, cats)
            lib.phrases[k] = p
            index.update(p)
        else:
            p = lib.phrases.pop(rnd.randrange(len(lib.phrases)))
            index.remove(p.id)
        if step % 6 == 0:
            fresh = SearchIndex(lib, cache, usage=usage)
            for q in QUERY_MIX:
                got = [(h.phrase.id, h.score, h.reason) for h in index.search(q, limit=50)]
                want = [(h.phrase.id, h.score, h.reason) for h in fresh.search(q, limit=50)]
                assert got == want, (step, q)


def test_pinyin_levels_agree_with_per_text_matching() -> None:
    """Index results for pinyin queries equal a brute-force TextPinyin.match per title."""
    lib = make_library()
    for c in lib.categories:
        c.name = "甲"  # keep category matches out of the comparison
    for p in lib.phrases:
        p.code = ""
    lib.phrases.append(Phrase("u", "U盘促销", "", "pay"))
    lib.phrases.append(Phrase("i", "iPhone手机壳", "", "pay"))
    cache = PinyinCache(None)
    index = SearchIndex(lib, cache)
    for q in ["cf", "cuifu", "upan", "iphone", "sjk", "shoujike", "zk", "changk", "yhk", "hm"]:
        got = {h.phrase.id: h.reason for h in index.search(q, limit=100)}
        got = {pid: r for pid, r in got.items() if r in ("initials", "pinyin")}
        want = {p.id: cache.get(p.title).match(q) for p in lib.phrases}
        want = {pid: r for pid, r in want.items() if r}
        assert got == want, q


def test_category_added_later_is_searchable(lib: Library, index: SearchIndex) -> None:
    lib.categories.append(Category("promo", "大促活动", 50))
    p = Phrase("promo1", "双十一说明", "", "promo")
    lib.phrases.append(p)
    index.update(p)
    assert first(index, "dchd").phrase is p


def test_builtin_library_cf_and_hy() -> None:
    """The issue's requirement, on the packs shipped in phrases/."""
    packs, problems = load_builtin_packs()
    assert packs and not problems
    lib = Library()
    for pack in packs:
        lib.categories.extend(pack.categories)
        lib.phrases.extend(pack.phrases)
    index = SearchIndex(lib, PinyinCache(None))
    hit = first(index, "cf")
    root = lib.root_of(hit.phrase.category)
    root_cat = lib.category(root)
    assert root_cat is not None and root_cat.name == "催付", hit
    hit = first(index, "hy")
    assert "欢迎" in hit.phrase.title or lib.category_path(hit.phrase.category).startswith("欢迎")


def test_odd_queries(index: SearchIndex) -> None:
    assert first(index, "库存不多了,付款后马上为您锁定。").phrase.id == "unpaid"
    assert index.search("x" * 500) == []  # a long paste: no pinyin or fuzzy work
    # regex metacharacters are plain text (no phrase contains them), not patterns
    for q in ["(", "[cf", "\\", ".*", "\U0001f600"]:
        assert index.search(q) == [], q
    # control characters are ignored: the query is read as "cf"
    assert ids(index.search("cf\x02")) == ids(index.search("cf")) != []
    assert first(index, "\x00cf1").phrase.id == "warm"


def test_reading_in_context_ranks_above_other_readings() -> None:
    lib = Library(
        [Category("c", "甲")],
        [
            Phrase("check", "核对收货信息", "", "c"),  # 核 he, also hu / kai / gai
            Phrase("express", "默认快递", "", "c"),
            Phrase("wall", "长城宽带", "", "c"),
        ],
    )
    index = SearchIndex(lib, PinyinCache(None))
    hits = index.search("kd")
    assert [(h.phrase.id, h.score) for h in hits] == [
        ("express", 80.0),  # 快递
        ("wall", 80.0),  # 宽带
        ("check", 78.0),  # 核对 only with a rare reading of 核
    ]
    assert [(h.phrase.id, h.score) for h in index.search("hd")] == [("check", 82.0)]
    assert [(h.phrase.id, h.score) for h in index.search("cc")] == [("wall", 82.0)]
    assert [(h.phrase.id, h.score) for h in index.search("zc")] == [("wall", 78.0)]


# -- exact edges -----------------------------------------------------------------------------


def test_refresh_usage_without_argument_rereads_every_phrase(lib: Library) -> None:
    table: dict[str, tuple[int, float]] = {"remind": (1, 1.0)}
    index = SearchIndex(lib, PinyinCache(None), usage=usage_from(table))
    assert ids(index.search("")[:2]) == ["remind", "warm"]
    table.clear()
    table["refund"] = (2, 5.0)
    table["track"] = (2, 9.0)
    assert ids(index.search("")[:2]) == ["remind", "warm"]  # not refreshed yet
    index.refresh_usage()
    assert ids(index.search("")[:3]) == ["track", "refund", "warm"]  # remind: no uses left


def test_refresh_usage_of_an_unknown_phrase_is_ignored(lib: Library) -> None:
    table = {"ghost": (5, 5.0)}
    index = SearchIndex(lib, PinyinCache(None), usage=usage_from(table))
    index.refresh_usage("ghost")
    assert ids(index.search("")) == [p.id for p in lib.phrases]


def long_title_index() -> SearchIndex:
    lib = Library(
        [Category("c", "杂项")],
        [
            Phrase("long", "请您耐心等待我们会尽快为您处理好的谢谢", "", "c"),
            Phrase("ship", "发货时间说明", "", "c"),
        ],
    )
    return SearchIndex(lib, PinyinCache(None))


def test_pinyin_queries_up_to_forty_letters() -> None:
    index = long_title_index()
    full = "qingninnaixindengdaiwomenhuijinkuaiweininchulihaodexiexie"
    assert [(h.phrase.id, h.reason) for h in index.search(full[:40])] == [("long", "pinyin")]
    assert index.search(full[:41]) == []  # pasted text, not typed pinyin


def test_typos_allowed_grow_from_one_to_two_after_eight_letters() -> None:
    index = long_title_index()
    # fahuoshi(jian): two typos in eight letters are too many, in nine they are not
    assert index.search("faxuoxhi") == []
    assert [(h.phrase.id, h.reason) for h in index.search("faxuoxhij")] == [("ship", "fuzzy")]
    # one typo in eight letters is fine
    assert [(h.phrase.id, h.reason) for h in index.search("fahuoxhi")] == [("ship", "fuzzy")]


def test_used_phrase_keys_stop_at_their_own_end(lib: Library) -> None:
    # 催付提醒 is used; the next title, 还没付款, starts with 还: only it starts with 还
    table = {"remind": (2, 1.0)}
    index = SearchIndex(lib, PinyinCache(None), usage=usage_from(table))
    hits = index.search("还")
    assert [(h.phrase.id, h.score) for h in hits[:2]] == [("unpaid", 52.0), ("remind", 40.0)]


def test_other_reading_at_the_start_of_a_later_title() -> None:
    lib = Library(
        [Category("c", "甲")],
        [
            Phrase("a", "欢迎光临", "", "c"),
            Phrase("check", "核对收货信息", "", "c"),  # 核: he, also hu / kai / gai
            Phrase("z", "再见", "", "c"),
        ],
    )
    index = SearchIndex(lib, PinyinCache(None))
    assert [(h.phrase.id, h.score) for h in index.search("k")] == [("check", 78.0)]


def test_a_use_count_or_a_last_use_alone_makes_a_phrase_used(lib: Library) -> None:
    table = {"long": (0, 0.5), "track": (1, 0.0)}
    index = SearchIndex(lib, PinyinCache(None), usage=usage_from(table))
    assert ids(index.search("")[:3]) == ["track", "long", "warm"]


def test_refresh_usage_of_one_phrase_drops_it_when_unused(lib: Library) -> None:
    table = {"refund": (2, 1.0)}
    index = SearchIndex(lib, PinyinCache(None), usage=usage_from(table))
    assert ids(index.search("")[:1]) == ["refund"]
    table["refund"] = (0, 0.0)
    index.refresh_usage("refund")
    assert ids(index.search("")) == [p.id for p in lib.phrases]


def test_update_reads_the_usage_of_a_new_phrase(lib: Library) -> None:
    table = {"new": (1, 1.0)}
    index = SearchIndex(lib, PinyinCache(None), usage=usage_from(table))
    index.update(Phrase("new", "新话术", "", "after"))
    assert ids(index.search("")[:2]) == ["new", "warm"]


def test_codes_reindexed_after_an_add_then_an_edit(lib: Library, index: SearchIndex) -> None:
    index.update(Phrase("new", "新话术", "", "after", code="zz9"))
    unchanged = lib.phrase("bank")
    assert unchanged is not None
    index.update(unchanged.copy(body="换一张卡。"))  # same code: must not undo the add
    assert [(h.phrase.id, h.reason) for h in index.search("zz9")] == [("new", "code")]


def test_edited_code_and_category_are_searchable(lib: Library, index: SearchIndex) -> None:
    refund = lib.phrase("refund")
    assert refund is not None
    assert ids(index.search("tk"))[:1] == ["refund"]  # codes and categories are indexed now
    index.update(refund.copy(code="qq7", category="greet-busy"))
    assert [(h.phrase.id, h.reason) for h in index.search("qq7")] == [("refund", "code")]
    assert [h.reason for h in index.search("tk")] == ["initials"]  # the old code is gone
    # category 高峰期 now holds busy and refund (library order)
    hits = index.search("高峰期", fuzzy=False)
    assert [(h.phrase.id, h.score) for h in hits] == [("busy", 52.0), ("refund", 45.0)]


def test_same_code_hits_ordered_by_usage_then_library_order() -> None:
    lib = Library(
        [Category("c", "甲")],
        [Phrase(f"p{k}", f"话术{k}", "", "c", code="dup") for k in range(4)],
    )
    table = {"p2": (1, 1.0)}
    index = SearchIndex(lib, PinyinCache(None), usage=usage_from(table))
    hits = index.search("dup")
    assert [(h.phrase.id, h.reason) for h in hits] == [
        ("p2", "code"),
        ("p0", "code"),
        ("p1", "code"),
        ("p3", "code"),
    ]


def test_fuzzy_category_match_lists_its_phrases(index: SearchIndex) -> None:
    # 物留: a typo of the category 物流; 重新发货 is found only through its category
    hits = index.search("物留")
    assert [(h.phrase.id, h.reason) for h in hits] == [("track", "fuzzy"), ("resend", "fuzzy")]
    assert hits[0].score > hits[1].score > 0


# -- fuzzy scores ----------------------------------------------------------------------------
# score = 30 x (partial ratio, +5 when the category matches too) / 105 for titles and
# 20 x ratio / 100 for category members; the figures below are rapidfuzz's ratios.


def scored(index: SearchIndex, query: str) -> list[tuple[str, float, str]]:
    return [(h.phrase.id, round(h.score, 3), h.reason) for h in index.search(query)]


def test_fuzzy_scores_title_with_category_bonus_then_category_members(index: SearchIndex) -> None:
    expected = [
        ("remind", 26.825, "fuzzy"),  # cuifutixing: 88.9 + 5 (category 催付 is close too)
        ("warm", 24.286, "fuzzy"),  # wenroucuifu: 80 + 5
        ("unpaid", 17.778, "fuzzy"),  # category 催付 (88.9), its child 库存紧张
        ("bank", 17.778, "fuzzy"),
    ]
    assert scored(index, "cuifo") == expected
    assert scored(index, "cui fo") == expected  # spaces in pinyin do not count


def test_fuzzy_short_queries(index: SearchIndex) -> None:
    # four letters (one typo allowed, pieces of two letters), two Chinese characters
    assert scored(index, "wulo") == [("track", 25.918, "fuzzy"), ("resend", 17.143, "fuzzy")]
    assert scored(index, "物留") == [("track", 20.476, "fuzzy"), ("resend", 13.333, "fuzzy")]
    # a typo in the middle: only the first piece (cu) is intact
    assert [h.phrase.id for h in index.search("cuxfu")][:2] == ["warm", "remind"]


def test_fuzzy_hits_fill_only_what_the_limit_leaves(index: SearchIndex) -> None:
    assert [h.reason for h in index.search("付款", limit=5)] == ["substring"] * 4 + ["fuzzy"]
    assert [h.reason for h in index.search("付款", limit=6)] == ["substring"] * 4 + ["fuzzy"] * 2


def fuzzy_library() -> Library:
    return Library(
        [Category("p", "查询"), Category("c", "物流查询", parent="p"), Category("z", "杂项")],
        [
            Phrase("pc", "甲", "", "c"),
            Phrase("pp", "乙", "", "p"),
            Phrase("a", "售后", "", "z"),
            Phrase("b", "售后服务", "", "z"),
            Phrase("d", "促销活动", "", "z"),
        ],
    )


def test_fuzzy_categories_best_first_child_keeps_its_better_score() -> None:
    index = SearchIndex(fuzzy_library(), PinyinCache(None))
    # wuliuchaxun (the child 物流查询) is closer than chaxun (its parent 查询)
    assert scored(index, "wuliuchaxum") == [("pc", 19.048, "fuzzy"), ("pp", 16.667, "fuzzy")]


def test_fuzzy_title_shorter_than_the_query_is_compared_whole() -> None:
    index = SearchIndex(fuzzy_library(), PinyinCache(None))
    # shouhoufuwu (11 letters) inside a 12-letter query: whole ratio 95.7
    assert scored(index, "shouhoufuwux") == [("b", 27.329, "fuzzy")]
    # shouhou (7 letters) inside a 12-letter query: whole ratio 73.7, too far
    assert index.search("shouhouwenti") == []
    # a title sharing only a piece with the query is no match
    assert scored(index, "cuxiaohuodomg") == [("d", 26.374, "fuzzy")]
    assert index.search("cuxiaxxxxxxx") == []


def test_fuzzy_ties_break_by_usage() -> None:
    lib = Library([Category("z", "杂项")], [Phrase(f"p{k}", "售后服务", "", "z") for k in range(3)])
    index = SearchIndex(lib, PinyinCache(None), usage=usage_from({"p2": (1, 1.0)}))
    assert ids(index.search("shouhoufuwux")) == ["p2", "p0", "p1"]


def test_fuzzy_lists_every_match_not_just_five() -> None:
    lib = Library([Category("z", "杂项")], [Phrase(f"p{k}", "售后服务", "", "z") for k in range(7)])
    index = SearchIndex(lib, PinyinCache(None))
    assert len(index.search("shouhoufuwux")) == 7


def test_fuzzy_up_to_forty_letters_and_three_typos_in_nine_are_too_many() -> None:
    index = long_title_index()
    full = "qingninnaixindengdaiwomenhuijinkuaiweininchulihaodexiexie"
    assert scored(index, full[:39] + "x") == [("long", 28.21, "fuzzy")]
    assert index.search("faxuoxhix") == []


def test_other_reading_at_the_start_ranks_above_one_inside() -> None:
    lib = Library(
        [Category("c", "甲")],
        [Phrase("in", "请先核对地址", "", "c"), Phrase("start", "核对收货信息", "", "c")],
    )
    index = SearchIndex(lib, PinyinCache(None))
    assert [(h.phrase.id, h.score) for h in index.search("kd")] == [("start", 78.0), ("in", 76.0)]


def test_exact_scores_of_tags_codes_and_category_pinyin(index: SearchIndex) -> None:
    assert scored(index, "快递") == [("track", 47.0, "substring")]  # a tag (and the body)
    assert scored(index, "vi") == [("vip", 90.0, "code-prefix")]  # vip: a letter follows
    assert scored(index, "VIP") == [("vip", 100.0, "code")]
    # 重新发货 is found through the full pinyin of its category 物流
    assert scored(index, "wuliu") == [("track", 60.0, "pinyin"), ("resend", 55.0, "pinyin")]
    assert index.search("xx") == []  # phrases without tags have no tag text


def test_limit_one_and_the_default_limit(index: SearchIndex) -> None:
    assert scored(index, "cf1")[:1] == [("warm", 100.0, "code")]
    assert ids(index.search("cf1", limit=1)) == ["warm"]
    lib = Library([Category("c", "甲")], [Phrase(f"p{k}", f"话术{k}", "", "c") for k in range(25)])
    assert len(SearchIndex(lib, PinyinCache(None)).search("")) == 20


def test_used_code_prefix_hits_in_usage_order(lib: Library) -> None:
    table = {"remind": (5, 1.0), "warm": (1, 1.0)}
    index = SearchIndex(lib, PinyinCache(None), usage=usage_from(table))
    assert ids(index.search("cf")[:2]) == ["remind", "warm"]


def test_odd_titles_tags_and_codes() -> None:
    lib = Library(
        [Category("c", "杂项")],
        [
            Phrase("sep", "前\x00后", "", "c"),  # the record separator itself
            Phrase("abc", "ABC说明", "", "c", tags=["甲", "乙"]),
            Phrase("an", "安心购物", "", "c", code="a b"),
        ],
    )
    index = SearchIndex(lib, PinyinCache(None))
    assert scored(index, "前后") == [("sep", 52.0, "substring")]
    assert scored(index, "后") == [("sep", 50.0, "substring")]
    assert scored(index, "abc说") == [("abc", 52.0, "substring")]  # case-folded title
    assert scored(index, "ＡＢＣ说") == [("abc", 52.0, "substring")]  # and width-folded
    assert scored(index, "甲 乙") == [("abc", 47.0, "substring")]  # tags joined by a space
    assert index.search("xx") == []
    assert scored(index, "an") == [("an", 60.0, "pinyin")]  # two letters of full pinyin
    assert scored(index, "ab")[:1] == [("an", 100.0, "code")]  # spaces in codes do not count
    assert scored(index, "a b")[:1] == [("an", 100.0, "code")]  # nor in the query
    assert {h.score for h in index.search("")} == {0.0}


def test_added_phrase_brings_new_reading_starters() -> None:
    index = SearchIndex(
        Library([Category("c", "甲")], [Phrase("a", "欢迎光临", "", "c")]), PinyinCache(None)
    )
    index.update(Phrase("eu", "欧洲", "", "c"))  # the first reading starting with z
    assert scored(index, "oz") == [("eu", 82.0, "initials")]

"""The suggestion ranker (app/core/suggest.py, suggest_text.py, suggest_store.py)."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest

from app.core import suggest as sg
from app.core.document import dump_document, parse_document
from app.core.model import Category, Library, Phrase
from app.core.packs import MAX_EXAMPLE, MAX_EXAMPLES, PHRASE_LIMITS, _check_table
from app.core.suggest import (
    KIND_BODY,
    KIND_EXAMPLE,
    KIND_TITLE,
    Learned,
    Suggester,
    kind_weight,
    looks_like_sentence,
    phrase_texts,
    shared_words,
)
from app.core.suggest_store import MemoryLearnStore, SqliteLearnStore, clean_message
from app.core.suggest_text import (
    W_BIGRAM,
    W_CONCEPT,
    W_NUMBER,
    W_UNIGRAM,
    W_WORD,
    clauses,
    concept_names,
    concept_words,
    is_social,
    normalize,
    strip_leading,
    terms,
)


def _lib(*phrases: Phrase) -> Library:
    return Library([Category("c", "分类")], list(phrases))


def _p(
    pid: str, title: str, body: str = "", examples: tuple[str, ...] = (), **kw: object
) -> Phrase:
    return Phrase(pid, title, body or title, "c", examples=list(examples), **kw)  # type: ignore[arg-type]


SHIP = _p("ship", "发货时间", "付款后48小时内发货。", ("什么时候发货", "几天发货"))
REFUND = _p(
    "refund", "退款到账", "退款原路退回，1-3个工作日到账。", ("退款什么时候到账", "钱还没退")
)
SIZE = _p("size", "尺码推荐", "告诉我身高体重，我帮您推荐尺码。", ("穿多大码", "尺码怎么选"))
COUPON = _p("coupon", "领取优惠券", "首页可以领店铺优惠券。", ("有优惠券吗",))


@pytest.fixture
def lib() -> Library:
    return _lib(SHIP.copy(), REFUND.copy(), SIZE.copy(), COUPON.copy())


# -- text -----------------------------------------------------------------------------------
def test_normalize_folds_colloquial_forms_typos_and_english() -> None:
    assert normalize("咋还不发货") == "怎么还不发货"
    assert normalize("啥时候发获") == "什么时候发货"
    assert normalize("ＲＥＦＵＮＤ") == "退款"
    assert normalize("refunds") == "refunds"  # whole words only
    assert normalize("有货么") == "有货吗"
    assert normalize("怎么") == "怎么"  # 么 after 怎 stays


def test_clauses_cut_at_punctuation_and_emoji_and_drop_fillers() -> None:
    assert clauses("亲，请问什么时候发货？😭包邮吗") == ["什么时候发货", "包邮吗"]
    assert clauses("你好，谢谢") == ["你好", "谢谢"]  # only social clauses: all are kept
    assert clauses("你好，退款到了吗") == ["退款到了吗"]
    assert clauses("🙂🙂") == []
    assert strip_leading("亲亲在吗请问退款") == "退款"
    assert strip_leading("你好") == "你好"
    assert is_social("谢谢") and is_social("好的哈哈") and not is_social("退款")


def test_terms_weights_bigrams_unigrams_words_and_concepts() -> None:
    t = terms(normalize("退钱 sf 2件"))
    assert t["退钱"] == W_BIGRAM
    assert t["退"] == W_UNIGRAM and t["钱"] == W_UNIGRAM
    assert t["顺丰"] == W_BIGRAM  # sf -> 顺丰
    assert t["2"] == W_NUMBER and t["件"] == W_UNIGRAM
    assert t["#退款"] == W_CONCEPT and t["#快递"] == W_CONCEPT
    assert "的" not in terms("的的")  # stop characters carry no unigram
    assert terms("发货发货")["发货"] == 2 * W_BIGRAM
    assert terms("发货发货")["#发货"] == W_CONCEPT  # a concept counts once
    assert "退" not in terms("退款", unigrams=False) and "退款" in terms("退款", unigrams=False)
    assert terms("退")["退"] == W_UNIGRAM  # a lone character is kept even without unigrams
    assert terms("abc")["abc"] == W_WORD


def test_concepts_are_listed() -> None:
    assert "退款" in concept_names()
    assert "退钱" in concept_words("退款")
    assert concept_words("nope") == ()


def test_kind_weight() -> None:
    assert kind_weight("#退款") == W_CONCEPT
    assert kind_weight("退款") == W_BIGRAM
    assert kind_weight("退") == W_UNIGRAM
    assert kind_weight("12") == W_NUMBER
    assert kind_weight("ok") == W_WORD


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("什么时候发货", True),
        ("能便宜点吗", True),
        ("退货吗", True),
        ("怎么退", True),
        ("发货时间", False),
        ("退货", False),
        ("cf1", False),
        ("cuifu", False),
        ("吗", False),
        ("退吗", True),
        ("怎么", True),
        ("七天无理由", True),
    ],
)
def test_looks_like_sentence(query: str, expected: bool) -> None:
    assert looks_like_sentence(query) is expected


def test_phrase_texts_leave_placeholders_out() -> None:
    p = _p("x", "标题", "您好{店铺}，{{x}}好", ("问一", " "), tags=["标签"])
    texts = phrase_texts(p)
    assert texts[0] == (KIND_EXAMPLE, "问一")
    assert texts[1] == (KIND_TITLE, "标题 标签")
    assert texts[2][0] == KIND_BODY and "店铺" not in texts[2][1]
    assert len(texts) == 3
    assert phrase_texts(_p("y", "t", "{店铺}"))[-1][0] == KIND_TITLE  # empty body: no unit


# -- ranking --------------------------------------------------------------------------------
def test_colloquial_questions_find_their_phrase(lib: Library) -> None:
    s = Suggester(lib)
    assert s.phrase_count == 4
    assert s.suggest("亲，啥时候发货啊？").suggestions[0].phrase.id == "ship"
    assert s.suggest("钱咋还没退给我").suggestions[0].phrase.id == "refund"
    assert s.suggest("我穿多大的码").suggestions[0].phrase.id == "size"
    assert s.suggest("coupon有吗").suggestions[0].phrase.id == "coupon"


def test_nothing_fits_instead_of_noise(lib: Library) -> None:
    s = Suggester(lib)
    r = s.suggest("可以开发票吗")
    assert r.nothing_fits and r.suggestions == []
    assert r.message == "可以开发票吗"
    assert s.suggest("🙂").nothing_fits
    assert s.suggest("").nothing_fits
    assert s.suggest("什么时候发货", limit=0).nothing_fits


def test_scores_are_in_range_and_sorted_and_limited(lib: Library) -> None:
    s = Suggester(lib, min_score=0.01)
    r = s.suggest("什么时候发货 退款什么时候到账", limit=2)
    assert len(r.suggestions) == 2
    scores = [x.score for x in r.suggestions]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < x <= 1 for x in scores)
    assert {x.phrase.id for x in r.suggestions} == {"ship", "refund"}


def test_exact_example_scores_one(lib: Library) -> None:
    s = Suggester(lib)
    top = s.suggest("几天发货").suggestions[0]
    assert top.phrase.id == "ship" and top.score > 0.9
    assert top.why == "example “几天发货” (几天发货)"


def test_threshold_is_the_min_score(lib: Library) -> None:
    loose = Suggester(lib, min_score=0.0)
    strict = Suggester(lib, min_score=1.01)
    assert loose.suggest("发货").suggestions
    assert strict.suggest("几天发货").nothing_fits


def test_relative_floor_drops_weak_tail(lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    s = Suggester(lib, min_score=0.0)
    all_hits = s.suggest("几天发货", limit=10).suggestions
    monkeypatch.setattr(sg, "RELATIVE_FLOOR", 0.0)
    assert len(s.suggest("几天发货", limit=10).suggestions) >= len(all_hits)
    monkeypatch.setattr(sg, "RELATIVE_FLOOR", 0.99)
    assert [x.phrase.id for x in s.suggest("几天发货", limit=10).suggestions] == ["ship"]


def test_several_questions_in_one_message(lib: Library) -> None:
    s = Suggester(lib)
    ids = [x.phrase.id for x in s.suggest("你好！什么时候发货？有优惠券吗？").suggestions]
    assert set(ids[:2]) == {"ship", "coupon"}


def test_a_longer_clause_counts_more(lib: Library) -> None:
    s = Suggester(lib)
    ids = [x.phrase.id for x in s.suggest("退款什么时候到账啊，尺码").suggestions]
    assert ids[0] == "refund"


def test_titles_tags_and_bodies_work_without_examples() -> None:
    s = Suggester(_lib(_p("a", "七天无理由退货", "支持七天无理由退换货。", tags=["退货"])))
    top = s.suggest("支持七天无理由退货吗").suggestions[0]
    assert top.phrase.id == "a"
    assert top.why.startswith("title “七天无理由退货”")


def test_body_match_says_body() -> None:
    s = Suggester(_lib(_p("a", "甲", "我们支持开具电子发票，下单时填写抬头。")), min_score=0.1)
    top = s.suggest("能开电子发票吗").suggestions[0]
    assert top.why.startswith("body: ") and "电子发票" in top.why


def test_usage_breaks_ties() -> None:
    a = _p("a", "甲", "x", ("什么时候发货",))
    b = _p("b", "乙", "x", ("什么时候发货",))
    s = Suggester(_lib(a, b), usage=lambda pid: (50, 1.0) if pid == "b" else (0, 0.0))
    ids = [x.phrase.id for x in s.suggest("什么时候发货").suggestions]
    assert ids == ["b", "a"]
    plain = Suggester(_lib(a, b))
    assert [x.phrase.id for x in plain.suggest("什么时候发货").suggestions] == ["a", "b"]


def test_shared_texts_share_one_unit() -> None:
    a = _p("a", "甲", "同样的正文", ("什么时候发货",))
    b = _p("b", "乙", "同样的正文", ("什么时候发货",))
    s = Suggester(_lib(a, b))
    assert s.unit_count == 4  # one example unit, two titles, one body
    assert {x.phrase.id for x in s.suggest("什么时候发货").suggestions} == {"a", "b"}


def test_rebuild_follows_the_library(lib: Library) -> None:
    s = Suggester(lib)
    lib.phrases = [p for p in lib.phrases if p.id != "ship"]
    s.rebuild(lib)
    assert s.phrase_count == 3
    r = s.suggest("几天发货")
    assert all(x.phrase.id != "ship" for x in r.suggestions)


def test_long_messages_are_cut(lib: Library) -> None:
    s = Suggester(lib)
    r = s.suggest("几天发货" + "哈" * 2000)
    assert len(r.message) == 500


def test_shared_words() -> None:
    assert shared_words("什么时候发货呀", "几天发货") == ["发货"]
    assert shared_words("退钱", "退款到账") == ["退款"]  # concept named when no words match
    assert shared_words("abc", "xyz") == []


# -- learning -------------------------------------------------------------------------------
def test_learning_lifts_the_chosen_phrase_for_similar_messages(lib: Library) -> None:
    store = MemoryLearnStore()
    s = Suggester(lib, store)
    msg = "快递能放驿站吗"
    assert s.suggest(msg).nothing_fits
    assert s.learn(msg, "ship")
    top = s.suggest(msg).suggestions[0]
    assert top.phrase.id == "ship" and top.why.startswith("learned “快递能放驿站吗”")
    assert s.suggest("快递可以放驿站吗").suggestions[0].phrase.id == "ship"
    assert store.load() == [Learned("ship", msg, 1)]


def test_learning_again_grows_the_weight(lib: Library) -> None:
    s = Suggester(lib, MemoryLearnStore(), min_score=0.0)
    s.learn("放驿站", "ship")
    first = s.suggest("放驿站").suggestions[0].score
    units = s.unit_count
    s.learn("放驿站", "ship")
    assert s.unit_count == units  # no second unit
    assert s._unit_weight[-1] == pytest.approx(1.0 + sg.LEARNED_BONUS * 2 / sg.LEARNED_FULL)
    assert s.suggest("放驿站").suggestions[0].score >= first


def test_learning_without_a_store_and_bad_input(lib: Library) -> None:
    s = Suggester(lib)
    assert not s.learn("什么时候发货", "no-such-phrase")
    assert not s.learn("   ", "ship")
    assert not s.learn("🙂", "ship")
    assert s.learn("放驿站", "ship")
    assert s.learn("放驿站", "ship")
    assert s._learned[("ship", "放驿站")] == 2


def test_learned_messages_come_back_after_rebuild(lib: Library, tmp_path: Path) -> None:
    store = SqliteLearnStore(tmp_path / "suggest.sqlite3")
    Suggester(lib, store).learn("快递能放驿站吗", "ship")
    store.close()
    again = SqliteLearnStore(tmp_path / "suggest.sqlite3")
    s = Suggester(lib, again)
    assert s.suggest("快递能放驿站吗").suggestions[0].phrase.id == "ship"
    again.forget(["ship"])
    s.rebuild(lib)
    assert s.suggest("快递能放驿站吗").nothing_fits
    again.close()


def test_learned_for_a_removed_phrase_is_ignored(lib: Library) -> None:
    store = MemoryLearnStore()
    store.add("gone", "快递能放驿站吗")
    store.add("ship", "🙂")
    s = Suggester(lib, store)
    assert s.suggest("快递能放驿站吗").nothing_fits


def test_learning_updates_document_frequency(lib: Library) -> None:
    s = Suggester(lib, min_score=0.0)
    before = s._df.get("驿站", 0)
    s.learn("放驿站", "ship")
    assert s._df["驿站"] == before + 1
    s.learn("驿站放", "ship")  # same phrase: df counts phrases, not messages
    assert s._df["驿站"] == before + 1
    s.learn("放驿站", "refund")
    assert s._df["驿站"] == before + 2


# -- store ----------------------------------------------------------------------------------
def test_clean_message_masks_numbers_and_flattens() -> None:
    assert clean_message("单号 123456789\n到哪了") == "单号 # 到哪了"
    assert clean_message("买2件") == "买2件"
    assert len(clean_message("哈" * 1000)) == 300


def test_sqlite_store_counts_prunes_and_forgets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.core.suggest_store as st

    monkeypatch.setattr(st, "MAX_PER_PHRASE", 2)
    store = SqliteLearnStore(tmp_path / "s.sqlite3")
    assert store.load() == []
    assert not (tmp_path / "s.sqlite3").exists()  # nothing written until something is learned
    store.forget(["a"])
    assert store.add("a", "一", ts=1).count == 1
    assert store.add("a", "一", ts=2).count == 2
    store.add("a", "二", ts=3)
    store.add("a", "三", ts=4)
    assert sorted(x.message for x in store.load()) == ["三", "二"]  # oldest pruned
    store.add("b", "四", ts=5)
    store.forget(["a"])
    assert store.load() == [Learned("b", "四", 1)]
    store.close()
    store.close()


def test_memory_store_forgets() -> None:
    store = MemoryLearnStore()
    store.add("a", "x")
    assert store.add("a", "x").count == 2
    store.add("b", "y")
    store.forget(["a"])
    assert store.load() == [Learned("b", "y", 1)]


# -- the examples field ---------------------------------------------------------------------
def test_examples_round_trip_through_documents() -> None:
    p = _p("x", "标题", "正文", ("问一", "问二"))
    text = dump_document([Category("c", "分类")], [p])
    assert "examples = [" in text
    doc = parse_document(text, "t.toml")
    assert doc.ok and doc.phrases[0].examples == ["问一", "问二"]
    bare = dump_document([Category("c", "分类")], [_p("y", "标题")])
    assert "examples" not in bare
    assert parse_document(bare, "t.toml").phrases[0].examples == []


def test_examples_must_be_text() -> None:
    text = (
        '[[categories]]\nid="c"\nname="c"\n[[phrases]]\nid="x"\ntitle="t"\nbody="b"\n'
        'category="c"\nexamples=[1]\n'
    )
    doc = parse_document(text, "t.toml")
    assert not doc.ok and "'examples' must be a list of text" in doc.problems[0].message
    blank = text.replace("examples=[1]", 'examples=["", "问"]')
    assert parse_document(blank, "t.toml").phrases[0].examples == ["问"]


def test_pack_limits_on_examples() -> None:
    problems: list = []
    _check_table(
        {"examples": ["问"] * (MAX_EXAMPLES + 1)}, PHRASE_LIMITS, 3, problems, "p", "phrase"
    )
    assert len(problems) == 1 and "example questions" in problems[0].message
    problems = []
    _check_table(
        {"examples": ["问" * (MAX_EXAMPLE + 1)]}, PHRASE_LIMITS, 3, problems, "p", "phrase"
    )
    assert len(problems) == 1
    problems = []
    _check_table(
        {"examples": ["问" * MAX_EXAMPLE] * MAX_EXAMPLES}, PHRASE_LIMITS, 3, problems, "p", "phrase"
    )
    assert problems == []


def test_examples_are_part_of_content_and_copies() -> None:
    p = _p("x", "t", "b", ("问",))
    q = p.copy()
    q.examples.append("再问")
    assert p.examples == ["问"]
    assert p.content_key() != q.content_key()


# -- exact figures (the tuned constants and the score formula) -----------------------------
def test_term_weights_are_the_tuned_ones() -> None:
    assert terms("退钱")["退钱"] == 1.0
    assert terms("退钱")["退"] == 0.3
    assert terms("买2")["2"] == 0.3
    assert terms("ok")["ok"] == 1.0
    assert terms("退钱")["#退款"] == 1.6


def test_longest_words_win() -> None:
    assert "#付款失败" in terms("付款失败了")  # not just 付款
    assert normalize("thanks") == "谢谢"  # not "thank" + "s"
    assert "#活动" in terms("618买的")


def _word_library() -> Library:
    return _lib(
        Phrase("a", "x", "y", "c", examples=["alpha beta gamma"]),
        Phrase("b", "z", "w", "c", examples=["delta"]),
    )


def test_score_formula_by_hand() -> None:
    """Latin words only: no bigrams, unigrams or concepts, so the figures are computable."""
    s = Suggester(_word_library(), min_score=0.0)
    idf = math.log(1 + 1.5 / 1.5)  # every word is in 1 of 2 phrases
    # example "alpha beta gamma": 3 terms, the example units average 2 -> BM25 norm 1.25
    tfn = 2.2 / (1 + 1.2 * 1.25)
    expected = 1.0 * (0.7 * tfn + 0.3 * (1 / 3))
    [top] = s.suggest("alpha", limit=1).suggestions
    assert top.phrase.id == "a" and top.score == round(expected, 3) == 0.716
    assert s.suggest("x").suggestions[0].score == 0.9  # a title, fully matched
    assert s.suggest("y").suggestions[0].score == 0.75  # a body, fully matched
    # an unknown word weighs 0.35 of its idf; the clause "alpha" then counts
    # 0.9 x (0.5 + 0.5 x its share of the message)
    unknown = math.log(1 + 2.5 / 0.5) * 0.35
    share = idf / (idf + unknown)
    clause = expected * 0.9 * (0.5 + 0.5 * share)
    whole = 0.7 * (idf * tfn) / (idf + unknown) + 0.3 / 3
    assert clause > whole
    assert s.suggest("alpha zzz").suggestions[0].score == round(clause, 3)
    assert idf > 0


def test_learned_weight_grows_to_a_cap() -> None:
    s = Suggester(_word_library(), min_score=0.0)
    for _ in range(2):
        s.learn("omega", "a")
    s.learn("omega", "b")
    weights = {
        s._unit_phrases[u][0]: s._unit_weight[u]
        for u in range(s.unit_count)
        if s._unit_kind[u] == "learned"
    }
    assert weights == {0: pytest.approx(1.0 + 0.08 * 2 / 3), 1: pytest.approx(1.0 + 0.08 / 3)}
    for _ in range(5):
        s.learn("omega", "a")
    weights = {
        s._unit_phrases[u][0]: s._unit_weight[u]
        for u in range(s.unit_count)
        if s._unit_kind[u] == "learned"
    }
    assert weights == {0: pytest.approx(1.08), 1: pytest.approx(1.0 + 0.08 / 3)}


def test_usage_adds_at_most_two_hundredths() -> None:
    lib = _word_library()
    plain = Suggester(lib).suggest("alpha").suggestions[0].score
    used = Suggester(lib, usage=lambda pid: (100, 0.0)).suggest("alpha").suggestions[0].score
    assert used == round(plain + 0.02, 3)
    more = Suggester(lib, usage=lambda pid: (10_000, 0.0)).suggest("alpha").suggestions[0].score
    assert more == used


def test_default_limit_is_five_and_messages_are_cut_at_500() -> None:
    lib = _lib(*(Phrase(f"p{i}", f"t{i}", "b", "c", examples=["什么时候发货"]) for i in range(8)))
    s = Suggester(lib)
    assert len(s.suggest("什么时候发货").suggestions) == 5
    assert len(s.suggest("发" * 600).message) == 500


def _common_library(n: int, with_common: int) -> Library:
    return _lib(
        *(
            Phrase(
                f"p{i}",
                f"t{i}",
                "b",
                "c",
                examples=[f"common w{i}" if i < with_common else f"w{i}"],
            )
            for i in range(n)
        )
    )


@pytest.mark.parametrize(
    ("n", "with_common", "skipped"),
    [(60, 50, False), (60, 51, True), (200, 60, False), (200, 61, True)],
)
def test_very_common_terms_are_skipped_like_stop_words(
    n: int, with_common: int, skipped: bool
) -> None:
    s = Suggester(_common_library(n, with_common), min_score=0.0)
    assert s.suggest("common").nothing_fits is skipped


@pytest.mark.parametrize(("n", "with_char", "skipped"), [(100, 3, False), (100, 4, True)])
def test_common_single_characters_are_skipped_earlier(
    n: int, with_char: int, skipped: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sg, "STOP_MIN_DF", 0)
    lib = _lib(
        *(
            Phrase(f"p{i}", "t", "b", "c", examples=["甲" if i < with_char else "乙"])
            for i in range(n)
        )
    )
    s = Suggester(lib, min_score=0.0)
    assert s.suggest("甲").nothing_fits is skipped
    # a bigram that common is still used
    lib2 = _lib(
        *(Phrase(f"p{i}", "t", "b", "c", examples=["甲丙" if i < 4 else "乙"]) for i in range(n))
    )
    assert not Suggester(lib2, min_score=0.0).suggest("甲丙").nothing_fits


def test_results_are_immutable_values() -> None:
    assert Learned("a", "b").count == 1
    r = sg.SuggestResult("m")
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.message = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        Learned("a", "b").count = 2  # type: ignore[misc]
    hit = Suggester(_word_library()).suggest("alpha").suggestions[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.score = 0  # type: ignore[misc]


def test_why_shortens_long_texts_and_names_three_words() -> None:
    long_example = "什么时候发货什么时候到货什么时候退款什么时候换货呢"  # 25 characters
    exact = "一二三四五六七八九十一二三四五六七八九十一二三四"  # 24 characters
    lib = _lib(
        Phrase("a", "t", "b", "c", examples=[long_example]),
        Phrase("b", "t2", "b", "c", examples=[exact]),
    )
    s = Suggester(lib, min_score=0.0)
    why = s.suggest(long_example).suggestions[0].why
    assert why.startswith("example “什么时候发货什么时候到货什么时候退款什么时候换…”")
    why = s.suggest("发货 到货 退款 换货").suggestions[0].why
    assert why.count(", ") == 2  # three shared words at most
    assert s.suggest(exact).suggestions[0].why.startswith(f"example “{exact}”")
    body = _lib(Phrase("a", "t", "退款 换货 发货 到货 物流", "c"))
    why = Suggester(body, min_score=0.0).suggest("退款 换货 发货 到货 物流").suggestions[0].why
    assert why.startswith("body: ") and why.count(", ") == 2


def test_sqlite_store_keeps_thirty_messages_per_phrase(tmp_path: Path) -> None:
    store = SqliteLearnStore(tmp_path / "s.sqlite3")
    for k in range(31):
        store.add("a", f"问题{k}", ts=float(k))
    kept = store.load()
    assert len(kept) == 30 and "问题0" not in {x.message for x in kept}
    assert all(x.count == 1 for x in kept)
    store.close()


def test_rare_cjk_extension_characters_are_chinese() -> None:
    assert terms("㐀㐁")["㐀㐁"] == 1.0
    assert terms("㐀㐁")["㐀"] == 0.3


def test_a_score_equal_to_the_threshold_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    lib = _word_library()
    assert [x.score for x in Suggester(lib, min_score=0.9).suggest("x").suggestions] == [0.9]
    assert Suggester(lib, min_score=0.91).suggest("x").nothing_fits
    monkeypatch.setattr(sg, "RELATIVE_FLOOR", 1.0)  # the best one is never below itself
    assert [x.phrase.id for x in Suggester(lib).suggest("x").suggestions] == ["a"]


def test_usage_bonus_by_hand() -> None:
    s = Suggester(_word_library(), usage=lambda pid: (100, 0.0) if pid == "a" else (0, 0.0))
    assert s._usage_bonus("a") == 0.02
    assert s._usage_bonus("b") == 0.0
    assert Suggester(_word_library())._usage_bonus("a") == 0.0


def test_scores_are_capped_at_one() -> None:
    s = Suggester(_word_library(), MemoryLearnStore())
    for _ in range(3):
        s.learn("omega", "a")
    assert s.suggest("omega").suggestions[0].score == 1.0


def test_learned_counts_from_the_store_set_the_weight() -> None:
    store = MemoryLearnStore()
    for _ in range(3):
        store.add("a", "omega")
    store.add("b", "omega")
    s = Suggester(_word_library(), store)
    weights = {
        s._unit_phrases[u][0]: s._unit_weight[u]
        for u in range(s.unit_count)
        if s._unit_kind[u] == "learned"
    }
    assert weights == {0: pytest.approx(1.08), 1: pytest.approx(1.0 + 0.08 / 3)}


def test_shared_words_name_only_shared_concepts() -> None:
    assert shared_words("退钱 发货", "退款到账") == ["退款"]
    assert shared_words("我要退款", "退款到账") == ["退款"]
    assert shared_words("退款到账了吗", "退款到账") == ["退款到账"]


def test_sqlite_store_returns_and_loads_what_it_stored(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "s.sqlite3"  # folders are created
    store = SqliteLearnStore(path)
    assert store.add("a", "单号 1234567 到哪了", ts=5) == Learned("a", "单号 # 到哪了", 1)
    store.add("a", "单号 1234567 到哪了", ts=6)
    store.add("a", "单号 1234567 到哪了", ts=7)
    assert store.load() == [Learned("a", "单号 # 到哪了", 3)]
    store.close()
    assert store._db is None
    again = SqliteLearnStore(path)  # a later session, before it opened the file
    again.forget(["a"])
    assert again.load() == []
    again.close()


def test_sqlite_store_prunes_by_time_not_by_insertion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.core.suggest_store as st

    monkeypatch.setattr(st, "MAX_PER_PHRASE", 2)
    store = SqliteLearnStore(tmp_path / "s.sqlite3")
    store.add("a", "新", ts=100)
    store.add("a", "旧", ts=1)  # arrives late but is the oldest
    store.add("a", "中", ts=50)
    assert sorted(x.message for x in store.load()) == ["中", "新"]
    store.close()


def test_sqlite_store_forget_on_a_fresh_store_creates_nothing(tmp_path: Path) -> None:
    store = SqliteLearnStore(tmp_path / "s.sqlite3")
    store.forget(["a"])
    store.forget([])
    assert not (tmp_path / "s.sqlite3").exists()


def test_sqlite_store_works_from_another_thread(tmp_path: Path) -> None:
    import threading

    store = SqliteLearnStore(tmp_path / "s.sqlite3")
    store.add("a", "一")
    seen: list[list[Learned]] = []
    worker = threading.Thread(target=lambda: seen.append(store.load()))
    worker.start()
    worker.join()
    assert seen == [[Learned("a", "一", 1)]]
    store.close()


def test_memory_store_returns_what_it_stored() -> None:
    store = MemoryLearnStore()
    assert store.add("a", "单号 1234567") == Learned("a", "单号 #", 1)


def test_repeated_words_and_characters_add_up() -> None:
    assert terms("ok ok")["ok"] == 2.0
    assert terms("12 12")["12"] == pytest.approx(0.6)
    assert terms("退退")["退"] == pytest.approx(0.6)


def test_why_texts_exactly() -> None:
    lib = _lib(
        Phrase("a", "x", "y", "c", examples=["alpha beta gamma"]),
        Phrase("b", "z", "退款 换货 发货 到货", "c", examples=["什么时候 发货"]),
    )
    s = Suggester(lib, min_score=0.0)
    assert s.suggest("y").suggestions[0].why == "body"
    assert s.suggest("x").suggestions[0].why == "title “x”"
    assert s.suggest("alpha").suggestions[0].why == "example “alpha beta gamma”"
    assert (
        s.suggest("什么时候 发货").suggestions[0].why == "example “什么时候 发货” (什么时候, 发货)"
    )
    assert s.suggest("退款 换货 发货 到货").suggestions[0].why == "body: 退款, 换货, 发货"


def test_unit_coverage_is_capped_at_one() -> None:
    lib = _lib(Phrase("a", "alpha", "y", "c"), Phrase("b", "z", "w", "c"))
    # the whole message counts "alpha" twice, the title has it once
    assert Suggester(lib).suggest("alpha alpha").suggestions[0].score == 0.9


def test_usage_bonus_grows_with_the_log_of_uses() -> None:
    s = Suggester(_word_library(), usage=lambda pid: (10, 0.0))
    assert s._usage_bonus("a") == pytest.approx(0.02 * math.log(11) / math.log(101))


def test_learning_refreshes_idf_and_flattens_the_message() -> None:
    s = Suggester(_word_library(), min_score=0.0)
    s.suggest("omega")  # caches the idf of a word no phrase has
    assert s._idf("omega") == pytest.approx(math.log(1 + 2.5 / 0.5))
    assert s.learn("omega \n  psi", "a")
    assert s._idf("omega") == pytest.approx(math.log(1 + 1.5 / 1.5))
    assert ("a", "omega psi") in s._learned
    assert "xx" not in s._post


def test_shared_words_order_and_single_characters() -> None:
    assert shared_words("退款 什么时候发货", "什么时候发货了吗退款") == ["什么时候发货", "退款"]
    assert shared_words("退款 发货 退款", "发货退款") == ["退款", "发货"]
    assert shared_words("我要款", "退款到账") == []


def test_question_frame_bigrams_weigh_less_than_content() -> None:
    from app.core.suggest_text import FRAME_BIGRAMS, W_FRAME

    assert 0 < W_FRAME < W_BIGRAM
    assert {"多久", "怎么", "你们", "什么"} <= FRAME_BIGRAMS and "发货" not in FRAME_BIGRAMS
    assert kind_weight("多久") == W_FRAME and kind_weight("发货") == W_BIGRAM
    assert terms("多久多久发货") == {
        "多久": 2 * W_FRAME,
        "久多": W_BIGRAM,
        "久发": W_BIGRAM,
        "发货": W_BIGRAM,
        "多": 2 * W_UNIGRAM,
        "久": 2 * W_UNIGRAM,
        "发": W_UNIGRAM,
        "货": W_UNIGRAM,
        "#发货": W_CONCEPT,
    }


def test_a_shared_question_frame_alone_does_not_fit() -> None:
    ship = _p("ship", "发货时间", "付款后48小时内发货。", ("多久发货",))
    s = Suggester(_lib(ship, REFUND, SIZE, COUPON))
    assert s.suggest("保质期多久").nothing_fits
    assert s.suggest("多久发货呀").suggestions[0].phrase.id == "ship"


def test_record_and_index_learned_refuse_what_cannot_be_learned(lib: Library) -> None:
    store = MemoryLearnStore()
    s = Suggester(lib, store)
    units = s.unit_count
    assert s.record("放驿站", "no-such-phrase") is None
    assert s.record("🙂", "ship") is None
    assert store.load() == []  # nothing stored for either
    assert not s.index_learned(Learned("no-such-phrase", "放驿站", 1))
    assert not s.index_learned(Learned("ship", "🙂", 1))
    assert s.unit_count == units and s._learned == {}
    item = s.record(" 放驿站 ", "ship")
    assert item == Learned("ship", "放驿站", 1) and s.unit_count == units  # stored, not indexed
    assert s.index_learned(item) and s.unit_count == units + 1
    assert s.index_learned(Learned("ship", "放驿站", 3))  # known: only its weight changes
    assert s.unit_count == units + 1 and s._learned[("ship", "放驿站")] == 3


@pytest.mark.parametrize("operation", ["load", "add", "forget", "close"])
def test_sqlite_store_operations_wait_for_each_other(tmp_path: Path, operation: str) -> None:
    """The builder thread loads while the GUI thread adds: one shared connection, so each
    operation waits while another holds the store's lock."""
    import threading

    store = SqliteLearnStore(tmp_path / "learn.sqlite3")
    store.add("p1", "什么时候发货")
    calls = {
        "load": store.load,
        "add": lambda: store.add("p2", "能便宜点吗"),
        "forget": lambda: store.forget(["p1"]),
        "close": store.close,
    }
    worker = threading.Thread(target=calls[operation])
    with store._lock:
        worker.start()
        worker.join(0.3)
        assert worker.is_alive()  # blocked on the lock held here
    worker.join(10)
    assert not worker.is_alive()
    store.close()

"""The packs modules one question at a time: format choice, the plan's edge cases, the
apply step's announcements. Written to kill mutants (tests/mutation/run.py)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app.core.fsutil import Paths, Problem
from app.core.importing import apply_import, read_backup, restore_library_files, undo_import
from app.core.model import Category, Library, Phrase
from app.core.packs import (
    MAX_EXAMPLE,
    MAX_EXAMPLES,
    MAX_TAG,
    MAX_TAGS,
    PHRASE_LIMITS,
    Pack,
    PackError,
    PackMeta,
    _check_table,
    build_pack,
    detect_kind,
    dump_pack,
    export_pack,
    field_problem,
    parse_pack_text,
    plan_import,
    preview_import,
    read_any,
    read_limited,
    read_pack,
    select_for_export,
)
from app.core.packs import export as pack_export
from app.core.packs import plan as pack_plan
from app.core.packs import qianniu as qn
from app.core.packs import read as pack_read
from app.core.storage import StorageError
from app.core.workspace import Workspace

HEAD = '[pack]\nformat = 1\nname = "团队"\n\n'
PACK = HEAD + (
    '[[categories]]\nid = "c1"\nname = "欢迎"\n\n'
    '[[phrases]]\nid = "p1"\ntitle = "你好"\nbody = "您好"\ncategory = "c1"\n'
)
CSV = "快捷短语编码,快捷短语,快捷短语分组\ncf1,您好,欢迎\n"


# -- choose: which reader for a file --------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("team.csv", "qianniu"),
        ("TEAM.CSV", "qianniu"),
        ("lines.txt", "text"),
        ("lines.text", "text"),
        ("LINES.TEXT", "text"),
        ("team.toml", "huashu"),
        ("team", "huashu"),
        ("csv.toml", "huashu"),
    ],
)
def test_detect_kind_goes_by_the_extension(name: str, kind: str) -> None:
    assert detect_kind(name) == kind
    assert detect_kind(Path("/some/dir") / name) == kind


def test_read_any_picks_the_reader_by_extension(tmp_path: Path) -> None:
    (tmp_path / "team.toml").write_text(PACK, "utf-8")
    (tmp_path / "team.csv").write_text(CSV, "utf-8")
    (tmp_path / "lines.txt").write_text("您好\n再见\n", "utf-8")
    pack = read_any(tmp_path / "team.toml")
    assert (pack.kind, pack.source, [p.id for p in pack.phrases]) == ("huashu", "team.toml", ["p1"])
    pack = read_any(tmp_path / "team.csv")
    assert (pack.kind, pack.source, [p.body for p in pack.phrases]) == (
        "qianniu",
        "team.csv",
        ["您好"],
    )
    pack = read_any(tmp_path / "lines.txt", text_category="售后")
    assert pack.kind == "text" and pack.source == "lines.txt"
    assert [p.body for p in pack.phrases] == ["您好", "再见"]
    assert [c.name for c in pack.categories] == ["售后"]


def test_read_any_with_an_explicit_kind_ignores_the_extension(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PACK, "utf-8")
    (tmp_path / "b.toml").write_text(CSV, "utf-8")
    (tmp_path / "c.csv").write_text("您好\n", "utf-8")
    assert read_any(tmp_path / "a.txt", "huashu").kind == "huashu"
    assert read_any(tmp_path / "b.toml", "qianniu").kind == "qianniu"
    text = read_any(str(tmp_path / "c.csv"), "text", text_category="欢迎")
    assert text.kind == "text" and [p.body for p in text.phrases] == ["您好"]


@pytest.mark.parametrize("category", ["", "   "])
def test_plain_text_needs_a_category(tmp_path: Path, category: str) -> None:
    (tmp_path / "lines.txt").write_text("您好\n", "utf-8")
    with pytest.raises(PackError) as info:
        read_any(tmp_path / "lines.txt", text_category=category)
    (prob,) = info.value.problems
    assert (prob.file, prob.line) == ("lines.txt", None)
    assert prob.message == "plain text needs a category to import into"


def test_unknown_kind_is_refused(tmp_path: Path) -> None:
    (tmp_path / "team.toml").write_text(PACK, "utf-8")
    with pytest.raises(ValueError, match="unknown pack kind 'excel'"):
        read_any(tmp_path / "team.toml", "excel")


# -- read: the checks the issue found unguarded (issue 13) -----------------------------------
def _problems(text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(PackError) as info:
        parse_pack_text(text, "t.toml")
    assert all(p.file == "t.toml" for p in info.value.problems)
    return [(p.line, p.message) for p in info.value.problems]


def test_category_fields_are_checked_with_their_line() -> None:
    text = HEAD + (
        '[[categories]]\nid = "c1"\nname = "欢迎"\n\n'  # line 5
        f'[[categories]]\nid = "c2"\nname = "{"长" * 101}"\n\n'  # line 9
        '[[categories]]\nid = "c3"\nname = "两\\n行"\n'  # line 13
    )
    assert _problems(text) == [
        (9, "category: 'name' is 101 characters long; the limit is 100"),
        (13, "category: 'name' contains a line break, which is not allowed here"),
    ]


def test_phrase_category_and_code_are_one_line_and_limited() -> None:
    long_cat = "c" * 65
    text = HEAD + (
        f'[[categories]]\nid = "{long_cat}"\nname = "欢迎"\n\n'  # line 5
        f'[[phrases]]\nid = "p1"\ntitle = "a"\nbody = "b"\ncategory = "{long_cat}"\n\n'  # 9
        '[[categories]]\nid = "c1"\nname = "欢迎"\n\n'  # line 15
        '[[phrases]]\nid = "p2"\ntitle = "a"\nbody = "b"\ncategory = "c1"\ncode = "a\\nb"\n'
    )
    found = _problems(text)
    assert (5, "category: 'id' is 65 characters long; the limit is 64") in found
    assert (9, "phrase: 'category' is 65 characters long; the limit is 64") in found
    assert (19, "phrase: 'code' contains a line break, which is not allowed here") in found


def test_category_count_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pack_read, "MAX_CATEGORIES", 2)
    cats = "".join(f'[[categories]]\nid = "c{i}"\nname = "n{i}"\n\n' for i in range(3))
    assert _problems(HEAD + cats) == [(None, "3 categories; the limit is 2")]
    parse_pack_text(HEAD + cats.rsplit("[[categories]]", 1)[0], "t.toml")  # 2 are fine


# -- plan: counters, timestamps, the policy ---------------------------------------------------
STAMP = "2030-01-02T03:04:05"


def _library() -> Library:
    lib = Library()
    lib.add_category(Category("pay", "催付", 1))
    lib.add_phrase(
        Phrase(
            "c1", "催付", "请付款", "pay", code="cf1", created="2020-01-01", updated="2020-01-02"
        )
    )
    lib.add_phrase(Phrase("c2", "催付2", "请尽快付款", "pay", code="cf2", hotkey="ctrl+alt+2"))
    return lib


def _incoming(*phrases: Phrase, kind: str = "huashu") -> Pack:
    cats = [Category("pay", "催付", 1), Category("new", "新分类", 2)]
    return Pack(PackMeta("团队"), cats, list(phrases), "t.toml", kind=kind)


def test_unknown_conflict_policy_is_refused_not_taken_as_replace() -> None:
    lib = _library()
    pv = preview_import(lib, _incoming(Phrase("c1", "新", "新内容", "pay", code="cf1")))
    with pytest.raises(ValueError) as info:
        plan_import(lib, pv, "merge")
    assert str(info.value) == "conflict policy must be one of skip, replace, keep-both"


def test_plan_counts_every_outcome_and_stamps_times(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pack_plan, "now_iso", lambda: STAMP)
    lib = _library()
    pack = _incoming(
        Phrase("c1", "催付", "请付款", "pay", code="cf1"),  # identical
        Phrase("c2", "改", "改过的", "pay", code="cf2", created="2021-05-05"),  # changed
        Phrase("n1", "新", "新句子", "new", code="xx", created="2022-01-01", updated="2022-02"),
        Phrase("n2", "撞", "别的", "pay", code="CF1"),  # conflict with c1's code
    )
    pv = preview_import(lib, pack)
    assert [i.status for i in pv.items] == ["identical", "changed", "new", "conflict"]
    new, res = plan_import(lib, pv, "replace")
    assert (res.added, res.replaced, res.kept_both, res.skipped, res.identical) == (1, 2, 0, 0, 1)
    assert res.categories_created == 1
    assert [c.name for c in new.categories] == ["催付", "新分类"]
    c1, c2 = new.phrase("c1"), new.phrase("c2")
    assert c1 is not None and c2 is not None
    # replaced: keeps the id and the creation time, updated now
    assert (c2.body, c2.created, c2.updated) == ("改过的", lib.phrase("c2").created, STAMP)  # type: ignore[union-attr]
    assert (c1.body, c1.code, c1.created, c1.updated) == ("别的", "CF1", "2020-01-01", STAMP)
    assert (c1.hotkey, c1.source, c2.source) == ("", "", "")
    # a replaced phrase keeps its hotkey (not accepted from the file)
    assert c2.hotkey == "ctrl+alt+2"
    n1 = new.phrase("n1")
    assert n1 is not None and (n1.created, n1.updated) == ("2022-01-01", "2022-02")
    assert lib.phrase("c1").body == "请付款"  # type: ignore[union-attr]  # input untouched
    assert len(lib.phrases) == 2


def test_plan_skip_and_keep_both_counters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pack_plan, "now_iso", lambda: STAMP)
    lib = _library()
    pack = _incoming(
        Phrase("c2", "改", "改过的", "pay", code="cf2", created="2021-05-05", updated="2021-06"),
        Phrase("n2", "撞", "别的", "pay", code="cf1"),
    )
    pv = preview_import(lib, pack)
    _, res = plan_import(lib, pv, "skip")
    assert (res.added, res.replaced, res.kept_both, res.skipped, res.identical) == (0, 0, 0, 2, 0)
    assert res.categories_created == 1  # the pack's unused category is still created
    new, res = plan_import(lib, pv, "keep-both")
    assert (res.added, res.replaced, res.kept_both, res.skipped, res.identical) == (0, 0, 2, 0, 0)
    assert res.codes_renamed == [("cf2", "cf2-2"), ("cf1", "cf1-2")]
    kept = [p for p in new.phrases if p.id not in ("c1", "c2")]
    assert [(p.code, p.created, p.updated) for p in kept] == [
        ("cf2-2", "2021-05-05", STAMP),  # a fresh id: a new phrase, updated now
        ("cf1-2", STAMP, STAMP),
    ]
    assert all(p.id not in ("n2",) for p in kept)  # keep both gives a new id


def test_files_without_ids_get_fresh_ids_and_times(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pack_plan, "now_iso", lambda: STAMP)
    lib = _library()
    pack = _incoming(
        Phrase("x", "t", "全新的", "pay", code="", created="2001-01-01", updated="2001-01-02"),
        kind="qianniu",
    )
    new, res = plan_import(lib, preview_import(lib, pack))
    assert res.added == 1
    (added,) = [p for p in new.phrases if p.body == "全新的"]
    assert added.id not in ("x", "c1", "c2")
    assert (added.created, added.updated, added.source) == (STAMP, STAMP, "")


# -- preview: how categories map and phrases are classified --------------------------------
def _shop() -> Library:
    lib = Library()
    lib.add_category(Category("after", "售后", 1))
    lib.add_category(Category("after-return", "退换", 1, parent="after"))
    lib.add_category(Category("ret-top", "退换", 2))  # a top category named like the child
    lib.add_category(Category("pay", "催付", 3))
    lib.add_phrase(Phrase("r1", "退货", "请填写单号", "after-return", code="th1"))
    lib.add_phrase(Phrase("q1", "无编码", "稍等", "pay"))
    lib.add_phrase(Phrase("s1", "团队", "团队的", "pay", code="tm1", source="团队"))
    return lib


def test_category_names_in_the_preview_show_the_parent() -> None:
    lib = _shop()
    cats = [
        Category("after", "售后", 1),
        Category("after-return", "退换", 1, parent="after"),
        Category("after-new", "新子", 2, parent="after"),
        Category("vip", "VIP", 9),
        Category("vip-a", "甲", 1, parent="vip"),
    ]
    phrases = [Phrase(f"p{i}", "t", f"b{i}", c.id) for i, c in enumerate(cats)]
    pv = preview_import(lib, Pack(PackMeta("团队"), cats, phrases, "t.toml"))
    assert [i.category_name for i in pv.items] == [
        "售后",
        "售后 / 退换",
        "售后 / 新子",
        "VIP",
        "VIP / 甲",
    ]
    assert list(pv.counts()) == ["售后", "售后 / 退换", "售后 / 新子", "VIP", "VIP / 甲"]
    assert [(c.id, c.parent) for c in pv.new_categories] == [
        ("vip", None),
        ("after-new", "after"),
        ("vip-a", "vip"),
    ]
    _, res = plan_import(lib, pv)
    assert res.categories_created == 3


def test_categories_map_by_id_first_then_by_name() -> None:
    lib = _shop()
    cats = [
        Category("pay", "催款", 1),  # same id, another name: the same category
        Category("x1", "售后", 2),  # another id, same name: that category
        Category("n1", "新", 3),
        Category("n2", "新", 4),  # a second new category of the same name: only one made
        Category("fresh", "退换", 5),  # a pack with ids: a top category is never a child
    ]
    phrases = [Phrase("a", "t", "内容一", "pay"), Phrase("b", "t", "内容二", "n2")]
    pv = preview_import(lib, Pack(PackMeta("团队"), cats, phrases, "t.toml"))
    assert pv.category_map == {
        "pay": "pay",
        "x1": "after",
        "n1": "n1",
        "n2": "n1",
        "fresh": "ret-top",
    }
    assert [c.id for c in pv.new_categories] == ["n1"]


def test_a_group_without_ids_maps_to_a_top_category_first() -> None:
    lib = _shop()
    pack = Pack(
        PackMeta("千牛"),
        [Category("g1", "退换", 1), Category("g2", "全新", 2)],
        [Phrase("p1", "t", "退货流程", "g1"), Phrase("p2", "t", "新的", "g2")],
        "q.csv",
        kind="qianniu",
    )
    pv = preview_import(lib, pack)
    assert pv.category_map["g1"] == "ret-top"
    (created,) = pv.new_categories
    assert created.name == "全新" and created.id not in ("g1", "g2")
    assert pv.category_map["g2"] == created.id


def test_a_library_category_whose_parent_is_missing_is_named_by_the_parent_id() -> None:
    lib = _shop()
    lib.categories.append(Category("orph", "孤", 1, parent="ghost"))
    lib.add_phrase(Phrase("o1", "t", "孤儿", "pay"))
    pack = Pack(
        PackMeta("团队"),
        [Category("ghost", "鬼", 1), Category("k", "孤", 1, parent="ghost")],
        [Phrase("z", "t", "z", "k")],
        "t.toml",
    )
    pv = preview_import(lib, pack)
    assert pv.category_map == {"ghost": "ghost", "k": "orph"}
    assert [i.category_name for i in pv.items] == ["ghost / 孤"]


def test_phrases_of_unknown_categories_are_left_out_without_stopping() -> None:
    lib = _shop()
    cats = [
        Category("after", "售后", 1),
        Category("k", "孤", 1, parent="nowhere"),
        Category("kid", "子", 1, parent="after"),
    ]
    phrases = [
        Phrase("a", "t", "甲", "nowhere"),
        Phrase("b", "t", "乙", "k"),
        Phrase("c", "t", "丙", "kid"),
    ]
    pv = preview_import(lib, Pack(PackMeta("团队"), cats, phrases, "t.toml"))
    assert [i.incoming.id for i in pv.items] == ["c"]
    assert pv.category_map == {"after": "after", "kid": "kid"}


def test_preview_statuses_and_the_existing_phrase() -> None:
    lib = _shop()
    pack = Pack(
        PackMeta("团队"),
        [
            Category("pay", "催付", 3),
            Category("after", "售后", 1),
            Category("after-return", "退换", 1, parent="after"),
        ],
        [
            Phrase("q1", "改了标题", "稍等", "pay"),  # same id, only the title differs
            Phrase("zz", "另一个标题", "请填写单号", "after-return", code="TH1"),  # conflict
            Phrase("q2", "无编码", "稍等", "pay"),  # the same phrase under another id
            Phrase("q3", "别的标题", "稍等", "pay"),  # same body, other content: new
            Phrase("tm", "t", "用团队的编码", "pay", code="tm1", source="别处"),  # new
        ],
        "t.toml",
    )
    pv = preview_import(lib, pack)
    assert [i.status for i in pv.items] == ["changed", "conflict", "identical", "new", "new"]
    assert [i.existing.id if i.existing else None for i in pv.items] == [
        "q1",
        "r1",
        "q1",
        None,
        None,
    ]
    assert all(i.incoming.source == "" for i in pv.items)
    assert pv.items[3].existing is None and pv.items[4].existing is None


def test_files_without_ids_match_by_content_not_by_placeholder_id() -> None:
    lib = _shop()
    pack = Pack(
        PackMeta("千牛"),
        [Category("g1", "催付", 1)],
        [Phrase("q1", "另一个标题", "完全不同", "g1"), Phrase("p2", "x", "稍等", "g1")],
        "q.csv",
        kind="qianniu",
    )
    pv = preview_import(lib, pack)
    assert [i.status for i in pv.items] == ["new", "identical"]


# -- plan: codes, hotkeys, stale previews ------------------------------------------------------
def test_plan_codes_and_hotkeys_across_replace_and_add(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pack_plan, "now_iso", lambda: STAMP)
    lib = _library()
    lib.add_phrase(Phrase("s1", "团队", "团队的", "pay", code="tm1", source="团队"))
    lib.add_phrase(Phrase("c3", "三", "第三", "pay", code="cf3"))
    pack = _incoming(
        Phrase("c1", "改", "改过的一", "pay", code="cf3"),  # changed; its code is c3's
        Phrase("c2", "改", "改过的二", "pay", code="zz", hotkey="Alt+Ctrl+2"),  # same key
        Phrase("c3", "改", "改过的三", "pay", code="cf3"),  # changed, keeps its code
        Phrase("n1", "新", "新一", "pay", code="CF3-2", hotkey="ctrl+alt+2"),  # both taken
        Phrase("n2", "新", "新二", "pay", code="tm1", hotkey="ctrl+alt+7"),
        Phrase("n3", "新", "新三", "pay", hotkey="ctrl+alt+7"),  # bound just before
        Phrase("n4", "新", "新四", "pay", hotkey="ctrl+alt+8"),
        Phrase("n5", "新", "新五", "pay"),
    )
    new, res = plan_import(lib, preview_import(lib, pack), "replace", accept_hotkeys=True)
    got = {p.id: (p.code, p.hotkey, p.source) for p in new.phrases if not p.source}
    assert got == {
        "c1": ("cf3-2", "", ""),
        "c2": ("zz", "Alt+Ctrl+2", ""),
        "c3": ("cf3", "", ""),
        "n1": ("CF3-2-2", "", ""),
        "n2": ("tm1", "ctrl+alt+7", ""),  # a subscription's code does not count
        "n3": ("", "", ""),
        "n4": ("", "ctrl+alt+8", ""),
        "n5": ("", "", ""),
    }
    assert res.codes_renamed == [("cf3", "cf3-2"), ("CF3-2", "CF3-2-2")]
    assert res.hotkeys_bound == 2
    assert res.hotkeys_dropped == ["ctrl+alt+2", "ctrl+alt+7"]
    assert (res.replaced, res.added) == (3, 5)


def test_identical_phrases_are_counted() -> None:
    lib = _library()
    pack = _incoming(
        Phrase("c1", "催付", "请付款", "pay", code="cf1"),
        Phrase("c2", "催付2", "请尽快付款", "pay", code="cf2"),
    )
    new, res = plan_import(lib, preview_import(lib, pack), "replace")
    assert (res.identical, res.added, res.replaced) == (2, 0, 0)
    assert len(new.phrases) == 2


def test_a_stale_preview_is_refused() -> None:
    lib = _library()
    pv = preview_import(lib, _incoming(Phrase("n1", "新", "新句子", "pay")))
    lib.phrases = []
    lib.categories = [Category("other", "别的", 1)]
    with pytest.raises(StorageError) as info:
        plan_import(lib, pv)
    assert str(info.value) == "category 'pay' does not exist"


def test_the_last_check_before_writing() -> None:
    def lib_with(cats: list[Category], phrases: list[Phrase]) -> Library:
        lib = Library()
        lib.categories, lib.phrases = cats, phrases
        return lib

    a, b = Category("a", "甲", 1), Category("b", "乙", 2)
    pack_plan._validate_library(lib_with([a, b], [Phrase("p", "t", "x", "a")]))
    cases = [
        (lib_with([a, a], []), "import would create duplicate category ids"),
        (
            lib_with([a], [Phrase("p", "t", "x", "a"), Phrase("p", "t", "y", "a")]),
            "import would create duplicate phrase ids",
        ),
        (lib_with([a], [Phrase("p", "t", "x", "zz")]), "phrase 'p' would be in a missing category"),
    ]
    for lib, message in cases:
        with pytest.raises(StorageError) as info:
            pack_plan._validate_library(lib)
        assert str(info.value) == message


# -- format: tags, examples, errors, reading -------------------------------------------------
def _phrase_with(extra: str) -> str:
    return HEAD + (
        '[[categories]]\nid = "c1"\nname = "欢迎"\n\n'
        f'[[phrases]]\nid = "p1"\ntitle = "你好"\nbody = "您好"\ncategory = "c1"\n{extra}\n'
    )  # the phrase header is line 9


def test_tag_and_example_limits_are_checked_with_the_phrase_line() -> None:
    tags = ", ".join(f'"t{i}"' for i in range(MAX_TAGS + 1))
    assert _problems(_phrase_with(f"tags = [{tags}]")) == [(9, "phrase: more than 20 tags")]
    fine = ", ".join(f'"t{i}"' for i in range(MAX_TAGS))
    parse_pack_text(_phrase_with(f"tags = [{fine}]"), "t.toml")
    long_tag = "x" * (MAX_TAG + 1)
    assert _problems(_phrase_with(f'tags = ["ok", "{long_tag}"]')) == [
        (9, "phrase: 'tags' is 51 characters long; the limit is 50")
    ]
    examples = ", ".join(f'"问{i}"' for i in range(MAX_EXAMPLES + 1))
    assert _problems(_phrase_with(f"examples = [{examples}]")) == [
        (9, "phrase: more than 50 example questions")
    ]
    fine = ", ".join(f'"问{i}"' for i in range(MAX_EXAMPLES))
    parse_pack_text(_phrase_with(f"examples = [{fine}]"), "t.toml")
    assert _problems(_phrase_with('examples = ["ok", "两\\n行"]')) == [
        (9, "phrase: 'examples' contains a line break, which is not allowed here")
    ]


def test_tags_and_examples_are_checked_only_under_their_own_key() -> None:
    problems: list[Problem] = []
    long = "x" * (MAX_EXAMPLE + 1)
    table = {"tags": ["a\nb", 3], "examples": [long, 4], "other": ["a\nb", long] * 30}
    _check_table(table, PHRASE_LIMITS, 4, problems, "s.toml", "phrase")
    assert [(p.file, p.line, p.message) for p in problems] == [
        ("s.toml", 4, "phrase: 'tags' contains a line break, which is not allowed here"),
        ("s.toml", 4, "phrase: 'examples' is 201 characters long; the limit is 200"),
    ]
    problems.clear()
    _check_table({"tags": "not a list", "examples": 3}, PHRASE_LIMITS, 4, problems, "s", "x")
    _check_table(["not", "a", "table"], PHRASE_LIMITS, 4, problems, "s", "x")
    assert problems == []


def test_field_problem_is_one_line_unless_told() -> None:
    assert field_problem("title", "两\n行", 10) == (
        "'title' contains a line break, which is not allowed here"
    )
    assert field_problem("body", "两\n行", 10, multiline=True) is None


def test_pack_error_message_names_the_first_problem_and_counts_the_rest() -> None:
    one = Problem("a.toml", 3, "bad")
    assert str(PackError([])) == "invalid pack"
    assert str(PackError([one])) == "a.toml:3: bad"
    assert str(PackError([one, one])) == "a.toml:3: bad (and 1 more)"
    assert str(PackError([one, one, one])) == "a.toml:3: bad (and 2 more)"


def test_read_limited_names_the_source(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"x" * 20)
    with pytest.raises(PackError) as info:
        read_limited(big, "shown.toml", limit=10)
    (prob,) = info.value.problems
    assert (prob.file, prob.line) == ("shown.toml", None)
    with pytest.raises(PackError) as info:
        read_limited(tmp_path / "missing.toml", "gone.toml")
    (prob,) = info.value.problems
    assert (prob.file, prob.line) == ("gone.toml", None)
    assert prob.message.startswith("cannot read: ")


def test_export_refuses_a_pack_over_the_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pack_export, "MAX_FILE_BYTES", 50)
    with pytest.raises(PackError) as info:
        export_pack(_library(), tmp_path / "out.toml", PackMeta("团队"))
    (prob,) = info.value.problems
    assert (prob.file, prob.line) == ("out.toml", None)
    assert prob.message.endswith("the limit is 0 MB")
    assert not (tmp_path / "out.toml").exists()


# -- importing: apply, restore, undo ------------------------------------------------------------
def _home_ws(home: Path) -> Workspace:
    ws = Workspace.open(Paths(home), seed=False)
    ws.library = _library()
    ws.save_library()
    return ws


def _files(home: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((home / "library").glob("*.toml"))}


def test_apply_reports_files_and_keeps_the_app_hotkeys_free(huashu_home: Path) -> None:
    ws = _home_ws(huashu_home)
    ws.settings.pause_hotkey = "ctrl+alt+9"
    pack = _incoming(
        Phrase("n1", "新", "新一", "pay", hotkey="Ctrl+Alt+Space"),  # the picker's
        Phrase("n2", "新", "新二", "new", hotkey="ctrl+alt+9"),  # the pause hotkey
        Phrase("n3", "新", "新三", "new", hotkey="ctrl+alt+8"),
    )
    res = apply_import(ws, preview_import(ws.library, pack), accept_hotkeys=True)
    assert res.hotkeys_dropped == ["Ctrl+Alt+Space", "ctrl+alt+9"]
    assert res.hotkeys_bound == 1
    assert sorted(res.files) == sorted(_files(huashu_home))
    assert res.files and res.backup is not None and res.backup.parent == ws.paths.backups
    assert ws.library.phrase("n3").hotkey == "ctrl+alt+8"  # type: ignore[union-attr]
    assert ws.library.phrase("n1").hotkey == ""  # type: ignore[union-attr]


def test_apply_refuses_a_broken_file_by_name(huashu_home: Path) -> None:
    _home_ws(huashu_home).close()
    for name in ("b.toml", "a.toml"):
        (huashu_home / "library" / name).write_text("broken = [", "utf-8")
    ws = Workspace.open(Paths(huashu_home), seed=False)
    pack = Pack(
        PackMeta("团队"),
        [Category("a", "甲", 1), Category("b", "乙", 2)],
        [Phrase("n1", "t", "一", "a"), Phrase("n2", "t", "二", "b")],
        "t.toml",
    )
    clash = set(ws.store.group_files(plan_import(ws.library, preview_import(ws.library, pack))[0]))
    assert {"a.toml", "b.toml"} <= clash  # the files the import would write
    with pytest.raises(StorageError) as info:
        apply_import(ws, preview_import(ws.library, pack))
    assert str(info.value) == (
        "cannot import into a library file that failed to load: a.toml, b.toml "
        "(fix or move that file first)"
    )
    assert ws.store.list_backups() == []  # refused before the backup


def test_a_failed_import_keeps_the_subscriptions_in_view(
    huashu_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _home_ws(huashu_home)
    ws.library.categories.append(Category("sub-x", "团队", 10_000, source="团队"))
    ws.library.phrases.append(Phrase("sub-x-1", "t", "团队的", "sub-x", source="团队"))
    before = _files(huashu_home)

    def broken(*_args: object) -> list[str]:
        raise OSError("disk full")

    monkeypatch.setattr(ws.store, "save", broken)
    with pytest.raises(OSError, match="disk full"):
        apply_import(ws, preview_import(ws.library, _incoming(Phrase("n1", "新", "新一", "pay"))))
    assert _files(huashu_home) == before
    assert [p.id for p in ws.library.phrases] == ["c1", "c2", "sub-x-1"]
    assert [c.id for c in ws.library.categories] == ["pay", "sub-x"]


def test_restore_makes_the_library_folder_exactly_the_backup(tmp_path: Path) -> None:
    paths = Paths(tmp_path / "home")
    assert restore_library_files(paths, None) == []
    assert paths.library.is_dir()
    backup = tmp_path / "backup"
    backup.mkdir()
    (backup / "a.toml").write_bytes(b"A")
    (backup / "b.toml").write_bytes(b"B")
    (backup / "note.txt").write_bytes(b"not library data")
    (paths.library / "a.toml").write_bytes(b"A")  # already right: not rewritten
    (paths.library / "c.toml").write_bytes(b"C")  # not in the backup: removed
    (paths.library / "keep.txt").write_bytes(b"x")  # not a library file: left alone
    assert read_backup(backup) == {"a.toml": b"A", "b.toml": b"B"}
    assert read_backup(None) == {}
    assert restore_library_files(paths, backup) == ["b.toml", "c.toml"]
    assert sorted(p.name for p in paths.library.iterdir()) == ["a.toml", "b.toml", "keep.txt"]
    assert (paths.library / "b.toml").read_bytes() == b"B"
    assert restore_library_files(paths, backup) == []
    assert restore_library_files(paths, None, {"z.toml": b"Z"}) == ["z.toml", "a.toml", "b.toml"]
    assert restore_library_files(paths, None) == ["z.toml"]
    assert sorted(p.name for p in paths.library.iterdir()) == ["keep.txt"]


def test_undo_to_no_backup_empties_the_library_and_can_itself_be_undone(
    huashu_home: Path,
) -> None:
    ws = Workspace.open(Paths(huashu_home), seed=False)
    res = apply_import(ws, preview_import(ws.library, _incoming(Phrase("n1", "新", "新一", "new"))))
    assert _files(huashu_home)
    assert undo_import(ws, None) == sorted(_files_before := list(res.files))
    assert _files(huashu_home) == {}
    assert ws.library.phrases == []
    (undo_backup,) = [b for b in ws.store.list_backups() if b != res.backup]
    assert undo_backup.name.endswith("undo-import")
    undo_import(ws, undo_backup)
    assert [p.id for p in ws.library.phrases] == ["n1"]


def test_undo_refuses_a_folder_that_is_not_a_backup_of_this_library(
    huashu_home: Path, tmp_path: Path
) -> None:
    ws = _home_ws(huashu_home)
    res = apply_import(ws, preview_import(ws.library, _incoming(Phrase("n1", "新", "新一", "new"))))
    assert res.backup is not None
    before = _files(huashu_home)
    elsewhere = tmp_path / res.backup.name
    elsewhere.mkdir()
    missing = ws.paths.backups / "20300101-000000-import"
    for bad in (elsewhere, missing, ws.paths.backups, huashu_home):
        with pytest.raises(StorageError) as info:
            undo_import(ws, bad)
        assert str(info.value) == f"{bad} is not a backup of this library"
    assert _files(huashu_home) == before
    undo_import(ws, str(res.backup))  # a str path is fine
    assert ws.library.phrase("n1") is None


# -- read: every refusal names the file and the line -------------------------------------------
DEEP = "a.b.c.d.e.f.g.h.i.j"  # 9 dots: over the limit of 8
PACK_OK = '[pack]\nformat = 1\nname = "团队"\n'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"# c\n\n[{DEEP}]\n", [(3, "keys are nested too deeply (data only, please)")]),
        (f"x = 1\n{DEEP} = 1\n", [(2, "keys are nested too deeply (data only, please)")]),
        ("x = " + "[" * 3000 + "]" * 3000 + "\n[pack]\n", [(1, "values are nested too deeply")]),
        ('[pack]\nformat = 1\nname = "x"\nbad = = 3\n', [(4, "invalid TOML: Invalid value")]),
        (
            'name = "x"\n',
            [(1, "not a Huashu pack: the [pack] table (format, name) is missing")],
        ),
        ("pack = 3\n", [(None, "'pack' must be a table: [pack]")]),
        ('# c\n\n[ pack ]\nname = "x"\n', [(3, "[pack] has no 'format' (use format = 1)")]),
        (
            '\n[pack]\nformat = 0\nname = "x"\n',
            [(2, "[pack] 'format' must be a whole number >= 1")],
        ),
        (
            '[pack]\nformat = true\nname = "x"\n',
            [(1, "[pack] 'format' must be a whole number >= 1")],
        ),
        (
            '[pack]\nformat = "1"\nname = "x"\n',
            [(1, "[pack] 'format' must be a whole number >= 1")],
        ),
        (
            '\n\n[pack]\nformat = 2\nname = "x"\n',
            [
                (
                    3,
                    "pack format 2 is newer than this Huashu understands (1); "
                    "update Huashu to import it",
                )
            ],
        ),
        (
            "\n[pack]\nformat = 1\nname = 3\n",
            [(2, "[pack] 'name' must be text (in quotes)")],
        ),
        (
            '[pack]\nformat = 1\nname = ""\nversion = 3\n',
            [(1, "[pack] 'version' must be text (in quotes)"), (1, "[pack] needs a 'name'")],
        ),
        ('\n[pack]\nformat = 1\nname = "  "\n', [(2, "[pack] needs a 'name'")]),
        (
            '[pack]\nformat = 1\nname = "两\\n行"\n',
            [(1, "[pack] 'name' contains a line break, which is not allowed here")],
        ),
        (
            PACK_OK
            + '[[categories]]\nid = "a"\nname = "A"\n[[categories]]\nid = "a"\nname = "B"\n',
            [(7, "category id 'a' appears twice")],
        ),
        (
            '[pack]\nformat = 1\nname = ""\n\n[[phrases]]\nid = "p"\ntitle = "t"\nbody = "b"\n'
            'category = "zz"\n',
            [(1, "[pack] needs a 'name'"), (5, "phrase 'p': category 'zz' not found")],
        ),
    ],
)
def test_refusals_name_file_and_line(text: str, expected: list[tuple[int | None, str]]) -> None:
    assert _problems(text) == expected


def test_many_deep_keys_are_reported_up_to_twenty() -> None:
    lines = "".join(f"{DEEP}{i} = 1\n" for i in range(25))
    found = _problems(lines)
    assert found == [(i, "keys are nested too deeply (data only, please)") for i in range(1, 21)]
    seven = "a.b.c.d.e.f.g.h"
    parse_pack_text(PACK_OK + f"[{seven}]\n", "t.toml")


def test_a_complete_header_reads_into_the_meta() -> None:
    pack = parse_pack_text(
        '[pack]\nformat = 1\nname = " 团队 "\ncreated = 2026-11-23\nversion = "1.0"\n'
        'author = "阿华"\ndescription = "两\\n行"\n',
        "t.toml",
    )
    assert pack.meta == PackMeta(
        name="团队",
        format=1,
        version="1.0",
        author="阿华",
        description="两\n行",
        created="2026-11-23",
    )
    assert (pack.source, pack.kind, pack.categories, pack.phrases) == ("t.toml", "huashu", [], [])


def test_wrong_table_types_do_not_crash_the_reader() -> None:
    for text in (PACK_OK + "phrases = 3\n", PACK_OK + "categories = 3\n"):
        try:
            parse_pack_text(text, "t.toml")
        except PackError:
            pass


def test_phrase_count_limit_is_inclusive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pack_read, "MAX_PHRASES", 2)
    cat = '[[categories]]\nid = "c"\nname = "C"\n'
    phrase = '[[phrases]]\nid = "p{}"\ntitle = "t"\nbody = "b{}"\ncategory = "c"\n'
    two = PACK_OK + cat + phrase.format(1, 1) + phrase.format(2, 2)
    assert len(parse_pack_text(two, "t.toml").phrases) == 2
    assert _problems(two + phrase.format(3, 3)) == [(None, "3 phrases; the limit is 2")]


def test_decoding_names_the_file(tmp_path: Path) -> None:
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + PACK_OK.encode())
    assert read_pack(bom).meta.name == "团队"
    bad = tmp_path / "bad.toml"
    bad.write_bytes(PACK_OK.encode() + b'x = "\xff"\n')
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\x00\x01")
    for path, line, message in [
        (bad, 4, "not valid UTF-8 text; save the pack as UTF-8"),
        (binary, None, "this is a binary file, not a text pack"),
    ]:
        with pytest.raises(PackError) as info:
            read_pack(path, "shown.toml")
        assert [(p.file, p.line, p.message) for p in info.value.problems] == [
            ("shown.toml", line, message)
        ]
    with pytest.raises(PackError) as info:
        read_pack(tmp_path / "missing.toml", "shown.toml")
    assert info.value.problems[0].file == "shown.toml"


# -- export -------------------------------------------------------------------------------------
def _tree() -> Library:
    lib = Library()
    lib.add_category(Category("after", "售后", 1))
    lib.add_category(Category("pay", "催付", 2))
    lib.add_category(Category("after-return", "退换", 1, parent="after"))
    lib.add_category(Category("after-other", "其他", 2, parent="after"))
    lib.add_phrase(Phrase("p1", "t", "付款", "pay"))  # listed first, exported after 售后's
    lib.add_phrase(Phrase("r1", "t", "退货", "after-return"))
    lib.add_phrase(Phrase("o1", "t", "其他", "after-other"))
    lib.add_phrase(Phrase("a1", "t", "售后", "after"))
    lib.phrases.sort(key=lambda p: p.id != "p1")  # 催付's phrase first in the library
    assert lib.phrases[0].id == "p1"
    return lib


def test_export_orders_phrases_by_category_and_names_the_source(tmp_path: Path) -> None:
    pack = build_pack(_tree(), PackMeta("我的"))
    assert pack.source == "我的"
    assert [c.id for c in pack.categories] == ["after", "after-return", "after-other", "pay"]
    assert [p.id for p in pack.phrases] == ["a1", "r1", "o1", "p1"]


def test_exporting_one_child_brings_its_parent_entry_only(tmp_path: Path) -> None:
    out = tmp_path / "out.toml"
    pack = export_pack(_tree(), out, PackMeta("我的"), ["退换"])
    assert [c.id for c in pack.categories] == ["after", "after-return"]
    assert [p.id for p in pack.phrases] == ["r1"]
    assert [p.id for p in read_pack(out).phrases] == ["r1"]
    with pytest.raises(KeyError) as info:
        select_for_export(_tree(), ["没有"])
    assert info.value.args == ("没有",)


def test_export_writes_a_pack_of_exactly_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = len(dump_pack(build_pack(_tree(), PackMeta("我的"))).encode("utf-8"))
    monkeypatch.setattr(pack_export, "MAX_FILE_BYTES", size)
    export_pack(_tree(), tmp_path / "out.toml", PackMeta("我的"))
    assert (tmp_path / "out.toml").stat().st_size == size


def test_export_never_writes_a_pack_it_could_not_read_back(tmp_path: Path) -> None:
    with pytest.raises(PackError) as info:
        export_pack(_tree(), tmp_path / "out.toml", PackMeta(""))
    assert [(p.file, p.message) for p in info.value.problems] == [
        ("out.toml", "[pack] needs a 'name'")
    ]
    assert not (tmp_path / "out.toml").exists()


# -- qianniu: Qianniu CSV and plain text ----------------------------------------------------
QH = "快捷短语编码,快捷短语,快捷短语分组\n"
FORMULA = (
    "starts with {!r}: a spreadsheet program may run it as a formula; "
    "Huashu exports it with a leading apostrophe"
)


def _refused(parse: object, *args: object) -> list[tuple[str, int | None, str]]:
    with pytest.raises(PackError) as info:
        parse(*args)  # type: ignore[operator]
    return [(p.file, p.line, p.message) for p in info.value.problems]


def test_qianniu_reads_codes_bodies_groups_titles_and_warnings() -> None:
    text = (
        QH + ' cf1 ,"您好\r\n欢迎",  售后   服务 \n\n,,\nc2,=SUM(A1),\n'
        "-c3,一二三四五六七八九十十一十二,售后 服务\n"
    )
    pack = qn.parse_qianniu(text.encode("gbk"), "dir/team.csv")
    assert (pack.meta.name, pack.kind, pack.encoding, pack.source) == (
        "team",
        "qianniu",
        "gbk",
        "dir/team.csv",
    )
    assert [(c.id, c.name, c.order, c.parent) for c in pack.categories] == [
        ("g1", "售后 服务", 0, None),
        ("g2", "未分组", 10, None),
    ]
    assert [(p.id, p.title, p.body, p.category, p.code) for p in pack.phrases] == [
        ("q1", "您好 欢迎", "您好\n欢迎", "g1", "cf1"),
        ("q2", "=SUM(A1)", "=SUM(A1)", "g2", "c2"),
        ("q3", "一二三四五六七八九十十一…", "一二三四五六七八九十十一十二", "g1", "-c3"),
    ]
    assert [(w.file, w.line, w.message) for w in pack.warnings] == [
        ("dir/team.csv", 6, "快捷短语 " + FORMULA.format("=")),
        ("dir/team.csv", 7, "快捷短语编码 " + FORMULA.format("-")),
    ]


def test_qianniu_columns_may_come_in_any_order_and_the_group_may_be_missing() -> None:
    pack = qn.parse_qianniu("\ufeff快捷短语,快捷短语编码\n好,c1\n".encode(), "b.csv")
    assert pack.encoding == "utf-8-sig"
    assert [(p.body, p.code, p.category) for p in pack.phrases] == [("好", "c1", "g1")]
    assert [c.name for c in pack.categories] == ["未分组"]


def test_qianniu_refusals_name_file_and_line() -> None:
    assert _refused(qn.parse_qianniu, b"", "a.csv") == [
        ("a.csv", 1, "empty file; expected the header 快捷短语编码,快捷短语,快捷短语分组")
    ]
    assert _refused(qn.parse_qianniu, b"a,b\n1,2\n", "a.csv") == [
        (
            "a.csv",
            1,
            "not a Qianniu phrase file: the first line must be the header "
            "快捷短语编码,快捷短语,快捷短语分组",
        )
    ]
    assert _refused(qn.parse_qianniu, (QH + 'cf1,"abc"x,组\n').encode(), "a.csv") == [
        ("a.csv", 2, "invalid CSV: ',' expected after '\"'")
    ]
    rows = QH + "ok,好,组\n" + "x" * 33 + ",内容,组\n,  ,组\nc4,内容," + "组" * 101 + "\n"
    assert _refused(qn.parse_qianniu, rows.encode(), "a.csv") == [
        ("a.csv", 3, "'快捷短语编码' is 33 characters long; the limit is 32"),
        ("a.csv", 4, "the phrase (快捷短语) is empty"),
        ("a.csv", 5, "'快捷短语分组' is 101 characters long; the limit is 100"),
    ]


def test_qianniu_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = QH + "".join(f"c{i},内容{i},组{i}\n" for i in range(3))
    monkeypatch.setattr(qn, "MAX_PHRASES", 2)
    assert _refused(qn.parse_qianniu, rows.encode(), "a.csv") == [
        ("a.csv", 4, "more than 2 phrases; that is the limit")
    ]
    monkeypatch.setattr(qn, "MAX_PHRASES", 3)
    monkeypatch.setattr(qn, "MAX_CATEGORIES", 2)
    assert _refused(qn.parse_qianniu, rows.encode(), "a.csv") == [
        ("a.csv", 4, "more than 2 groups (快捷短语分组); the limit is 2")
    ]
    monkeypatch.setattr(qn, "MAX_CATEGORIES", 3)
    assert len(qn.parse_qianniu(rows.encode(), "a.csv").phrases) == 3
    monkeypatch.setattr(qn, "MAX_PROBLEMS", 2)
    bad = QH + ",,组\n" * 3
    assert [line for _f, line, _m in _refused(qn.parse_qianniu, bad.encode(), "a.csv")] == [2, 3]
    formulas = QH + "".join(f"c{i},=A{i},组\n" for i in range(3))
    assert len(qn.parse_qianniu(formulas.encode(), "a.csv").warnings) == 2


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"\xff\xfea\x00", None, "UTF-16 text is not supported; save as UTF-8 or GBK"),
        (b"\xfe\xff\x00a", None, "UTF-16 text is not supported; save as UTF-8 or GBK"),
        (b"a\x00", None, "this is a binary file, not text"),
        (b"\xef\xbb\xbfab\n\xff", 2, "starts like UTF-8 but is not valid UTF-8"),
        (b"\xef\xbb\xbf\xff", 1, "starts like UTF-8 but is not valid UTF-8"),
        (b"\x80", None, "text encoding not recognised (tried UTF-8, GBK, GB18030)"),
    ],
)
def test_decoding_refusals(data: bytes, line: int | None, message: str) -> None:
    assert _refused(qn.decode_text, data, "x.csv") == [("x.csv", line, message)]


def test_decoding_reports_the_encoding() -> None:
    assert qn.decode_text("好".encode(), "x") == ("好", "utf-8")
    assert qn.decode_text(b"\xef\xbb\xbf" + "好".encode(), "x") == ("好", "utf-8-sig")
    assert qn.decode_text("好".encode("gbk"), "x") == ("好", "gbk")
    assert qn.decode_text("𠀀".encode("gb18030"), "x") == ("𠀀", "gb18030")


def test_plain_text_one_phrase_per_line() -> None:
    data = "您好\n\n  再见  \r\n三\r四\n".encode()
    pack = qn.parse_plain_text(data, "lines.txt", " 售后 \n 服务 ")
    assert (pack.meta.name, pack.kind, pack.encoding, pack.source) == (
        "lines",
        "text",
        "utf-8",
        "lines.txt",
    )
    assert [(c.id, c.name) for c in pack.categories] == [("t1", "售后 服务")]
    assert [(p.id, p.title, p.body, p.category) for p in pack.phrases] == [
        ("t1", "您好", "您好", "t1"),
        ("t3", "再见", "再见", "t1"),
        ("t4", "三", "三", "t1"),
        ("t5", "四", "四", "t1"),
    ]
    assert qn.parse_plain_text(b"a", "", "cat").meta.name == "cat"


def test_plain_text_refusals(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _refused(qn.parse_plain_text, b"a", "l.txt", "  ") == [
        ("l.txt", None, "plain text needs a category name")
    ]
    assert _refused(qn.parse_plain_text, b"a", "l.txt", "x" * 101) == [
        ("l.txt", None, "'category' is 101 characters long; the limit is 100")
    ]
    data = "您好\n\n再见\n三\r第四行\x07\n".encode()
    assert _refused(qn.parse_plain_text, data, "l.txt", "售后") == [
        ("l.txt", 5, "'line' contains control character U+0007, which is not allowed here")
    ]
    monkeypatch.setattr(qn, "MAX_PHRASES", 2)
    assert _refused(qn.parse_plain_text, "一\n二\n\n三\n".encode(), "l.txt", "售后") == [
        ("l.txt", 4, "more than 2 phrases; the limit")
    ]
    monkeypatch.setattr(qn, "MAX_PHRASES", 3)
    assert len(qn.parse_plain_text("一\n二\n\n三\n".encode(), "l.txt", "售后").phrases) == 3
    monkeypatch.setattr(qn, "MAX_PROBLEMS", 2)
    bad = b"\x07\n\x07\n\x07\n"
    assert [line for _f, line, _m in _refused(qn.parse_plain_text, bad, "l.txt", "售后")] == [1, 2]


def test_titles_are_the_first_twelve_characters_on_one_line() -> None:
    assert qn.make_title("一二三四五六七八九十十一") == "一二三四五六七八九十十一"
    assert qn.make_title("一二三四五六七八九十十一十") == "一二三四五六七八九十十一…"
    assert qn.make_title(" a \n b ") == "a b"


def test_reading_files_names_them(tmp_path: Path) -> None:
    for name in ("big.csv", "big.txt"):
        (tmp_path / name).write_bytes(b"x" * 20)
    with pytest.raises(PackError) as info:
        qn.read_qianniu(tmp_path / "gone.csv")
    assert info.value.problems[0].file == "gone.csv"
    with pytest.raises(PackError) as info:
        qn.read_plain_text(tmp_path / "gone.txt", "售后")
    assert info.value.problems[0].file == "gone.txt"


def test_qianniu_export_is_bom_crlf_and_honours_the_chosen_categories(tmp_path: Path) -> None:
    lib = _tree()
    lib.phrases[0].body = "第一行\n第二行"
    lib.phrases[0].code = "=cf"
    data = qn.dump_qianniu(lib, ["催付"])
    assert data == (
        b"\xef\xbb\xbf"
        + '快捷短语编码,快捷短语,快捷短语分组\r\n\'=cf,"第一行\n第二行",催付\r\n'.encode()
    )
    out = tmp_path / "out.csv"
    assert qn.export_qianniu(lib, out, ["售后"]) == 3
    assert [p.body for p in qn.read_qianniu(out).phrases] == ["售后", "退货", "其他"]


def test_qianniu_export_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    size = len(qn.dump_qianniu(_tree()))
    monkeypatch.setattr(qn, "MAX_FILE_BYTES", size)
    assert qn.export_qianniu(_tree(), tmp_path / "ok.csv") == 4
    monkeypatch.setattr(qn, "MAX_FILE_BYTES", size - 1)
    assert _refused(qn.export_qianniu, _tree(), tmp_path / "big.csv") == [
        ("big.csv", None, "export is larger than 10 MB")
    ]
    assert not (tmp_path / "big.csv").exists()


def test_apply_drops_file_hotkeys_unless_accepted_and_logs_the_outcome(
    huashu_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ws = _home_ws(huashu_home)
    caplog.set_level(logging.INFO, logger="app.core.importing")
    res = apply_import(
        ws, preview_import(ws.library, _incoming(Phrase("n1", "新", "新一", "pay", hotkey="F9")))
    )
    assert res.hotkeys_dropped == ["F9"] and res.hotkeys_bound == 0
    assert res.backup is not None and res.backup.name.endswith("-import")
    assert [r.getMessage() for r in caplog.records] == [
        f"imported t.toml: 1 added, 0 replaced, 0 kept both, 0 skipped (backup {res.backup})"
    ]


def test_a_failed_write_is_logged(
    huashu_home: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    ws = _home_ws(huashu_home)

    def broken(*_args: object) -> list[str]:
        raise OSError("disk full")

    monkeypatch.setattr(ws.store, "save", broken)
    with pytest.raises(OSError):
        apply_import(ws, preview_import(ws.library, _incoming(Phrase("n1", "新", "新一", "pay"))))
    assert [r.getMessage() for r in caplog.records if r.name == "app.core.importing"] == [
        "import failed while writing; restoring the library from the backup"
    ]


def test_a_pack_with_ids_never_maps_a_top_category_onto_a_child() -> None:
    lib = Library()
    lib.add_category(Category("after", "售后", 1))
    lib.add_category(Category("after-return", "退换", 1, parent="after"))
    pack = Pack(
        PackMeta("团队"), [Category("ret", "退换", 2)], [Phrase("p", "t", "b", "ret")], "t.toml"
    )
    pv = preview_import(lib, pack)
    assert pv.category_map == {"ret": "ret"}
    assert [(c.id, c.parent) for c in pv.new_categories] == [("ret", None)]


def test_qianniu_odd_but_valid_files() -> None:
    bom = b"\xef\xbb\xbf"
    twice = qn.parse_qianniu(bom + bom + (QH + "c1,好\n").encode(), "")
    assert twice.meta.name == "Qianniu"  # no file name to go by
    assert [(p.code, p.body, p.category) for p in twice.phrases] == [("c1", "好", "g1")]
    assert [c.name for c in twice.categories] == ["未分组"]  # the short row has no group
    assert _refused(qn.parse_qianniu, (QH + "c1,好\x07,组\n").encode(), "a.csv") == [
        ("a.csv", 2, "'快捷短语' contains control character U+0007, which is not allowed here")
    ]
    for parse, args in ((qn.parse_qianniu, ()), (qn.parse_plain_text, ("售后",))):
        assert _refused(parse, b"a\x00", "a.csv", *args) == [
            ("a.csv", None, "this is a binary file, not text")
        ]


def test_scalar_phrases_and_categories_are_refused_not_crashed_on() -> None:
    from app.core.packs.read import parse_pack_text

    text = 'phrases = 5\ncategories = 5\n[pack]\nformat = 1\nname = "x"\n'
    with pytest.raises(PackError) as caught:
        parse_pack_text(text, "p.toml")
    assert [(p.line, str(p.message)) for p in caught.value.problems] == [
        (None, "'categories' must be an array of tables: [[categories]]"),
        (None, "'phrases' must be an array of tables: [[phrases]]"),
    ]

"""The packs modules one question at a time: format choice, the plan's edge cases, the
apply step's announcements. Written to kill mutants (tests/mutation/run.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.model import Category, Library, Phrase
from app.core.packs import (
    Pack,
    PackError,
    PackMeta,
    detect_kind,
    parse_pack_text,
    plan_import,
    preview_import,
    read_any,
)
from app.core.packs import plan as pack_plan
from app.core.packs import read as pack_read

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
        Phrase("n1", "新", "新句子", "new", code="xx", created="2022-01-01"),  # new
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
    # a replaced phrase keeps its hotkey (not accepted from the file)
    assert c2.hotkey == "ctrl+alt+2"
    n1 = new.phrase("n1")
    assert n1 is not None and (n1.created, n1.updated) == ("2022-01-01", STAMP)
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

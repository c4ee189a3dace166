"""Issue 9 rules in the model, subscriptions, lint and Qianniu CSV."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import tomli_w

from app.core import subscriptions as subs
from app.core.fsutil import Paths
from app.core.lint import Linter, hidden_text_findings
from app.core.model import (
    Category,
    Library,
    LibraryError,
    Phrase,
    check_category,
    check_phrase,
)
from app.core.packs import PackError, field_problem
from app.core.packs.qianniu import dump_qianniu, parse_qianniu
from app.core.workspace import Workspace

HEADER = "快捷短语编码,快捷短语,快捷短语分组\r\n"


# -- the library refuses bad text ----------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("title", "a\x07", "control character U+0007"),
        ("title", "t" * 201, "is 201 characters long; the limit is 200"),
        ("title", "a\u202eb", "invisible character U+202E"),
        ("code", "cf\u200b1", "invisible character U+200B"),
        ("code", "c" * 33, "the limit is 32"),
        ("hotkey", "ctrl+\x1b", "control character U+001B"),
        ("body", "b" * 10_001, "the limit is 10000"),
        ("body", "a\x00b", "control character U+0000"),
    ],
)
def test_check_phrase_refuses(field: str, value: str, reason: str) -> None:
    phrase = Phrase("p", "t", "b", "c").copy(**{field: value})
    with pytest.raises(LibraryError, match=reason.replace("+", r"\+")) as info:
        check_phrase(phrase)
    assert str(info.value).startswith(f"'{field}' ")


def test_check_phrase_accepts_edges() -> None:
    check_phrase(Phrase("p", "t" * 200, "b\n\tc\u200b" + "x" * 9_990, "c", code="c" * 32))


def test_tags_are_checked() -> None:
    with pytest.raises(LibraryError, match="more than 20 tags"):
        check_phrase(Phrase("p", "t", "b", "c", tags=["t"] * 21))
    check_phrase(Phrase("p", "t", "b", "c", tags=["t"] * 20))
    with pytest.raises(LibraryError, match="'tags'"):
        check_phrase(Phrase("p", "t", "b", "c", tags=["a\u2066"]))


def test_library_methods_check() -> None:
    lib = Library()
    with pytest.raises(LibraryError, match="'name'"):
        lib.add_category(Category("c", "a\x1b"))
    with pytest.raises(LibraryError, match="the limit is 100"):
        check_category(Category("c", "n" * 101))
    lib.add_category(Category("c", "C"))
    with pytest.raises(LibraryError):
        lib.add_phrase(Phrase("p", "a\x07", "b", "c"))
    lib.add_phrase(Phrase("p", "t", "b", "c"))
    with pytest.raises(LibraryError):
        lib.update_phrase(Phrase("p", "t" * 5000, "b", "c"))
    assert lib.phrase("p").title == "t"  # type: ignore[union-attr]


def test_pack_fields_refuse_invisible_characters_in_one_line_fields() -> None:
    assert field_problem("code", "cf\u200b1", 32) == (
        "'code' contains the invisible character U+200B, which is not allowed here"
    )
    assert field_problem("body", "您好\u200b", 100, multiline=True) is None


# -- lint: hidden text ---------------------------------------------------------------------
def test_lint_flags_invisible_characters_and_formula_starts() -> None:
    phrase = Phrase("p", "=标题", "您好\u202e好评", "c", code="-2")
    found = hidden_text_findings(phrase)
    kinds = [(f.field, f.kind, f.start, f.end, f.word) for f in found]
    assert kinds == [
        ("title", "formula", 0, 1, "="),
        ("code", "formula", 0, 1, "-"),
        ("body", "invisible", 2, 3, "\u202e"),
    ]
    assert "U+202E" in found[2].reason
    assert found[2].phrase_id == "p"
    assert any(f.kind == "invisible" for f in Linter.default().check_phrase(phrase))


def test_lint_is_quiet_on_clean_text() -> None:
    assert hidden_text_findings(Phrase("p", "标题", "- 发货\n您好", "c", code="cf1")) == []


# -- subscriptions: held refreshes, stalled sources ----------------------------------------
def _pack(path: Path, n: int) -> None:
    data = {
        "pack": {"format": 1, "name": "团队"},
        "categories": [{"id": "c", "name": "C"}],
        "phrases": [
            {"id": f"p{i}", "title": f"t{i}", "body": "b", "category": "c"} for i in range(n)
        ],
    }
    path.write_text(tomli_w.dumps(data), "utf-8")


def _sub_count(ws: Workspace) -> int:
    return len([p for p in ws.library.phrases if p.source])


@pytest.mark.parametrize(("after", "held"), [(0, True), (4, True), (5, False), (10, False)])
def test_refresh_removing_more_than_half_is_held(
    huashu_home: Path, tmp_path: Path, after: int, held: bool
) -> None:
    team = tmp_path / "team.toml"
    _pack(team, 10)
    ws = Workspace.open(Paths(huashu_home))
    subs.subscribe(ws, team)
    _pack(team, after)
    res = subs.refresh(ws, team)
    assert res.held is held and res.total == 10 and res.removed == 10 - after
    if held:
        assert res.warning == (
            f"subscription {team}: the new version removes {10 - after} of 10 phrases; "
            "keeping the last good copy"
        )
        assert _sub_count(ws) == 10
        assert len(subs.read_copy(ws.paths, team).phrases) == 10
        res = subs.refresh(ws, team, allow_shrink=True)
        assert not res.held
    assert _sub_count(ws) == after
    ws.close()


def test_refresh_uses_a_pack_read_elsewhere(huashu_home: Path, tmp_path: Path) -> None:
    team = tmp_path / "team.toml"
    _pack(team, 2)
    ws = Workspace.open(Paths(huashu_home))
    subs.subscribe(ws, team)
    _pack(tmp_path / "other.toml", 3)
    res = subs.refresh(ws, team, fetched=subs.read_pack(tmp_path / "other.toml"))
    assert res.added == 1 and _sub_count(ws) == 3
    err = PackError([])
    res = subs.refresh(ws, team, fetched=err)
    assert "keeping the last good copy" in res.warning and _sub_count(ws) == 3
    ws.close()


def test_fetch_returns_the_pack_or_its_error(tmp_path: Path) -> None:
    team = tmp_path / "team.toml"
    _pack(team, 2)
    assert len(subs.fetch(team).phrases) == 2
    team.write_text("[pack\n", "utf-8")
    with pytest.raises(PackError, match="invalid TOML"):
        subs.fetch(team)


def test_fetch_turns_an_unexpected_error_into_a_pack_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def boom(path: object, source: object = None) -> object:
        raise RuntimeError("device gone")

    monkeypatch.setattr(subs, "read_pack", boom)
    with pytest.raises(PackError, match="cannot read: device gone"):
        subs.fetch(tmp_path / "x.toml")


def test_fetch_gives_up_on_a_stalled_source(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    gate = threading.Event()

    def stalled(path: object, source: object = None) -> object:
        gate.wait(10)
        raise PackError([])

    monkeypatch.setattr(subs, "read_pack", stalled)
    with pytest.raises(PackError) as info:
        subs.fetch(tmp_path / "team.toml", timeout=0.05)
    assert info.value.problems[0].message == "the source did not answer within 0.05 s"
    assert info.value.problems[0].file == "team.toml"
    gate.set()


# -- Qianniu CSV ---------------------------------------------------------------------------
def test_formula_cells_are_warned_about_and_unwrapped() -> None:
    data = (HEADER + "=1,'=2+2,@组\r\n,- 发货,组\r\n").encode()
    pack = parse_qianniu(data, "x.csv")
    assert [(p.code, p.body) for p in pack.phrases] == [("=1", "=2+2"), ("", "- 发货")]
    assert [c.name for c in pack.categories] == ["@组", "组"]
    assert [(w.line, w.message.split(" ")[0]) for w in pack.warnings] == [
        (2, "快捷短语编码"),
        (2, "快捷短语"),
        (2, "快捷短语分组"),
    ]
    assert "starts with '='" in pack.warnings[1].message


def test_export_neutralises_every_formula_cell() -> None:
    lib = Library([Category("g", "=组")])
    lib.add_phrase(Phrase("a", "t", "+1+1", "g", code="@c"))
    lib.add_phrase(Phrase("b", "t", "您好", "g", code="cf1"))
    text = dump_qianniu(lib).decode("utf-8-sig")
    assert text.splitlines() == [
        "快捷短语编码,快捷短语,快捷短语分组",
        "'@c,'+1+1,'=组",
        "cf1,您好,'=组",
    ]


def test_groups_are_capped() -> None:
    rows = "".join(f"c{i},您好,组{i}\r\n" for i in range(1001))
    with pytest.raises(PackError) as info:
        parse_qianniu((HEADER + rows).encode(), "x.csv")
    assert info.value.problems[-1].message == (
        "more than 1000 groups (快捷短语分组); the limit is 1000"
    )
    assert info.value.problems[-1].line == 1002
    ok = "".join(f"c{i},您好,组{i % 1000}\r\n" for i in range(1500))
    assert len(parse_qianniu((HEADER + ok).encode(), "x.csv").categories) == 1000


def test_hidden_text_findings_say_what_where_and_what_to_do() -> None:
    from app.core.lint import Finding

    p = Phrase("p1", "标题", "=SUM(A1)\u200b", "c", code="ab")
    assert hidden_text_findings(p) == [
        Finding(
            "p1",
            "body",
            "\u200b",
            8,
            9,
            "invisible",
            "invisible or direction-changing character U+200B: the customer gets text "
            "that differs from what you see",
            "删除这个看不见的字符",
        ),
        Finding(
            "p1",
            "body",
            "=",
            0,
            1,
            "formula",
            "starts like a spreadsheet formula: a Qianniu CSV export puts an apostrophe (') "
            "in front of it",
            "避免以 = + - @ 开头",
        ),
    ]

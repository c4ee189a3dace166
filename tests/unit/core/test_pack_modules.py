"""The packs modules one question at a time: format choice, the plan's edge cases, the
apply step's announcements. Written to kill mutants (tests/mutation/run.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.packs import PackError, detect_kind, read_any

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

from __future__ import annotations

from app.core.document import decode_utf8, dump_document, parse_document
from app.core.model import Category, Phrase

GOOD = """
[[categories]]
id = "payment"
name = "催付"
order = 30

[[categories]]
id = "payment-sms"
name = "短信催付"
parent = "payment"

[[phrases]]
id = "cf-1"
title = "催付提醒"
body = "您好,您的订单还未付款。"
category = "payment"
code = "cf1"
tags = ["催付"]
"""


def test_parse_good_document() -> None:
    doc = parse_document(GOOD, "x.toml")
    assert doc.ok, doc.problems
    assert [c.id for c in doc.categories] == ["payment", "payment-sms"]
    assert doc.categories[1].parent == "payment"
    assert doc.phrases[0].code == "cf1"
    assert doc.phrases[0].tags == ["催付"]


def test_round_trip_keeps_everything() -> None:
    cats = [Category("a", "甲", 1), Category("b", "乙", 2, parent="a")]
    phrases = [
        Phrase(
            "p1",
            "标题",
            '第一行\n第二行 "引号" {顾客} {{x}}',
            "b",
            code="c1",
            hotkey="ctrl+alt+1",
            tags=["t"],
            created="2026-01-01T00:00:00+08:00",
            updated="2026-01-02T00:00:00+08:00",
        ),
    ]
    text = dump_document(cats, phrases, schema_version=1)
    doc = parse_document(text, "rt.toml")
    assert doc.ok, doc.problems
    assert doc.categories == cats
    assert doc.phrases == phrases
    assert doc.schema_version == 1


def test_broken_toml_names_line() -> None:
    doc = parse_document('[[phrases]]\nid = "a"\ntitle = "unclosed\n', "bad.toml")
    assert not doc.ok
    p = doc.problems[0]
    assert p.file == "bad.toml" and p.line == 3
    assert "invalid TOML" in p.message


def test_wrong_types_are_all_reported_with_lines() -> None:
    text = """
[[categories]]
id = "c"
name = "分类"

[[phrases]]
id = "a"
title = 5
body = "x"
category = "c"

[[phrases]]
id = "b"
title = "ok"
body = "x"
category = "missing"
tags = "not-a-list"
"""
    doc = parse_document(text, "t.toml")
    msgs = [str(p) for p in doc.problems]
    assert any("t.toml:6" in m and "'title' must be text" in m for m in msgs), msgs
    assert any("t.toml:12" in m and "'tags'" in m for m in msgs), msgs


def test_missing_fields_and_bad_reference() -> None:
    text = (
        '[[categories]]\nid="c"\nname="n"\n'
        '[[phrases]]\nid="a"\ntitle="t"\nbody="b"\ncategory="zz"\n'
    )
    doc = parse_document(text, "r.toml")
    assert any("category 'zz' not found" in p.message for p in doc.problems)
    doc = parse_document('[[phrases]]\nid="a"\n', "m.toml")
    assert any("missing 'title'" in p.message for p in doc.problems)


def test_decode_reports_non_utf8_line() -> None:
    data = "第一行\n".encode() + "第二行".encode("gbk")
    text, prob = decode_utf8(data, "g.toml")
    assert text is None and prob is not None
    assert prob.line == 2 and "UTF-8" in prob.message
    text, prob = decode_utf8(b"\xef\xbb\xbfa = 1", "bom.toml")
    assert text == "a = 1" and prob is None


# -- the fast paths answer as the checked ones ------------------------------------------------
import re as _re  # noqa: E402
from typing import Any as _Any  # noqa: E402

from hypothesis import given as _given  # noqa: E402
from hypothesis import settings as _settings  # noqa: E402
from hypothesis import strategies as _st  # noqa: E402

from app.core import document as _doc  # noqa: E402

_values = _st.one_of(
    _st.sampled_from(["", " ", "a", " a ", "bad id", "x" * 65, "欢迎", "a.b"]),
    _st.integers(0, 2),
    _st.booleans(),
    _st.lists(_st.one_of(_st.sampled_from(["", " ", "t"]), _st.integers(0, 1)), max_size=3),
)
_tables = _st.one_of(
    _st.dictionaries(_st.sampled_from(sorted(_doc.PHRASE_KEYS | {"other"})), _values, max_size=11),
    _st.sampled_from([None, 5, "text", ["list"]]),
)


@_settings(max_examples=600, deadline=None)
@_given(_tables, _st.sampled_from([None, 7]))
def test_the_quick_phrase_path_gives_what_the_checked_one_gives(table: _Any, line: _Any) -> None:
    quick: list[tuple[_Any, str]] = []
    checked: list[tuple[_Any, str]] = []
    got = _doc._phrase(table, line, lambda ln, msg: quick.append((ln, msg)))
    want = _doc._checked_phrase(table, line, lambda ln, msg: checked.append((ln, msg)))
    assert (got, quick) == (want, checked)


def test_a_good_table_takes_the_quick_path(monkeypatch: _Any) -> None:
    def never(*_a: _Any) -> None:
        raise AssertionError("checked path taken")

    monkeypatch.setattr(_doc, "_checked_phrase", never)
    table = {
        "id": "p1",
        "title": "标题",
        "body": "正文",
        "category": "c",
        "code": " cf1 ",
        "hotkey": " ctrl+1 ",
        "tags": ["a"],
        "examples": ["问", " "],
        "created": "c",
        "updated": "u",
    }
    got = _doc._phrase(table, 3, never)
    assert got == Phrase(
        "p1", "标题", "正文", "c", "cf1", "ctrl+1", ["a"], "c", "u", examples=["问"]
    )
    assert got is not None and got.tags is not table["tags"]
    minimal = _doc._phrase({"id": "p", "title": "t", "body": "", "category": "c"}, 1, never)
    assert minimal == Phrase("p", "t", "", "c")


def _old_header_lines(text: str, header: str) -> list[int]:
    pat = _re.compile(r"^\s*\[\[\s*" + _re.escape(header) + r"\s*\]\]")
    return [i + 1 for i, line in enumerate(text.splitlines()) if pat.match(line)]


@_settings(max_examples=1000, deadline=None)
@_given(
    _st.lists(
        _st.sampled_from(
            [
                "[[phrases]]",
                "  [[ phrases ]]",
                "\t[[phrases]] # x",
                "x = 1",
                "",
                "[[categories]]",
                "a [[phrases]]",
                "[[phrasesx]]",
                "[ [phrases]]",
                "\r",
                "x[[phrases]]",
                "[[phrases]] [[phrases]]",
                "\u3000 [[phrases]]",
                "[[[phrases]]]",
            ]
        ),
        max_size=12,
    )
)
def test_header_lines_are_counted_as_before(lines: list[str]) -> None:
    text = "\n".join(lines)
    for header in ("phrases", "categories"):
        assert _doc._header_lines(text, header) == _old_header_lines(text, header)

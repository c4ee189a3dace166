"""Document guards found by mutation testing (tests/mutation): every broken field of a
library file or pack gives one clear problem naming the file, the line of its table and
the field; ids are checked at their exact limits; both phrase paths (the quick one for
good tables, the checked one naming each problem) give the same answers; and
dump/parse keeps every field, the order and the defaults."""

from __future__ import annotations

from typing import Any

import pytest

from app.core import document as doc_module
from app.core.document import decode_utf8, dump_document, parse_document
from app.core.fsutil import Problem
from app.core.model import Category, Phrase

Seen = tuple[str, int | None, str, dict[str, Any]]


def _seen(problems: list[Problem]) -> list[Seen]:
    """(file, line, code, params) of each problem, in order."""
    return [(p.file, p.line, p.message.code, p.message.params) for p in problems]  # type: ignore[attr-defined]


def _cat_toml(**fields: Any) -> str:
    return "".join(f"{k} = {v}\n" for k, v in fields.items())


# -- decoding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "line", "byte"),
    [
        (b"\xb5a = 1\n", 1, 0xB5),
        (b'a = 1\nb = "\xff"\n', 2, 0xFF),
        (b"a = 1\n\nc = 2\n\xc3(\n", 4, 0xC3),
        (b"\xef\xbb\xbf\n\n\x80", 3, 0x80),
    ],
)
def test_a_byte_that_is_not_utf8_is_named_with_its_line(data: bytes, line: int, byte: int) -> None:
    text, prob = decode_utf8(data, "lib/a.toml")
    assert text is None and prob is not None
    assert _seen([prob]) == [("lib/a.toml", line, "doc.not_utf8", {"byte": byte})]
    assert f"0x{byte:02x}" in prob.message


def test_good_bytes_decode_and_only_a_leading_bom_is_dropped() -> None:
    assert decode_utf8("名 = 1".encode(), "a.toml") == ("名 = 1", None)
    assert decode_utf8(b"\xef\xbb\xbfx", "a.toml") == ("x", None)
    assert decode_utf8(b"x\xef\xbb\xbf", "a.toml") == ("x\ufeff", None)
    assert decode_utf8(b"", "a.toml") == ("", None)


# -- the whole file ----------------------------------------------------------------------------


def test_a_file_nested_too_deeply_is_refused_with_its_line() -> None:
    text = "a = 1\nb = 2\nc = " + "[" * 40 + "]" * 40 + "\n"
    doc = parse_document(text, "deep.toml")
    assert len(doc.problems) == 1
    p = doc.problems[0]
    assert (p.file, p.line) == ("deep.toml", 3)
    assert "nested too deeply" in p.message
    assert doc.categories == [] and doc.phrases == []


def test_invalid_toml_stops_the_parse_and_names_file_and_line() -> None:
    text = '[[categories]]\nid = "c"\nname = "n"\n\nx = = 1\n'
    doc = parse_document(text, "bad.toml")
    assert [(p.file, p.line, p.message.code) for p in doc.problems] == [  # type: ignore[attr-defined]
        ("bad.toml", 5, "toml.invalid")
    ]
    assert doc.categories == [] and doc.phrases == [] and doc.meta == {}


def test_pack_table_is_read_by_default_and_refused_in_a_library_file() -> None:
    text = '[pack]\nformat = 1\nname = "包"\n\n[[categories]]\nid = "c"\nname = "分类"\n'
    doc = parse_document(text, "p.toml")
    assert doc.ok and doc.meta == {"format": 1, "name": "包"}
    assert [c.id for c in doc.categories] == ["c"]
    lib = parse_document(text, "lib.toml", allow_pack=False)
    assert _seen(lib.problems) == [("lib.toml", None, "doc.pack_in_library", {})]
    assert lib.meta == {}
    assert [c.id for c in lib.categories] == ["c"]  # the rest is still read
    assert parse_document("[[categories]]\nid='c'\nname='n'\n", "l", allow_pack=False).ok


def test_a_pack_that_is_not_a_table_is_a_problem() -> None:
    doc = parse_document("pack = 1\n", "p.toml")
    assert _seen(doc.problems) == [("p.toml", None, "pack.pack_not_table", {})]
    assert doc.meta == {}


@pytest.mark.parametrize(("value", "want"), [("0", 0), ("1", 1), ("12", 12)])
def test_schema_version_is_a_whole_number(value: str, want: int) -> None:
    doc = parse_document(f"schema_version = {value}\n", "s.toml")
    assert doc.ok and doc.schema_version == want


@pytest.mark.parametrize("value", ["true", "false", '"1"', "1.0", "[1]"])
def test_a_schema_version_that_is_not_a_whole_number_is_a_problem(value: str) -> None:
    doc = parse_document(f"schema_version = {value}\n", "s.toml")
    assert _seen(doc.problems) == [("s.toml", None, "doc.bad_schema_version", {})]
    assert doc.schema_version is None


def test_no_schema_version_is_none_and_fine() -> None:
    doc = parse_document("", "s.toml")
    assert doc.ok and doc.schema_version is None and doc.meta == {}
    assert doc.categories == [] and doc.phrases == []


def test_categories_or_phrases_that_are_not_arrays_are_problems_and_the_rest_is_read() -> None:
    text = 'categories = 1\n[[phrases]]\nid = "p"\ntitle = "t"\nbody = ""\ncategory = "c"\n'
    doc = parse_document(text, "a.toml")
    assert _seen(doc.problems) == [
        ("a.toml", None, "doc.categories_not_array", {}),
        ("a.toml", None, "doc.no_category", {"id": "p", "cat": "c"}),
    ]
    assert [p.id for p in doc.phrases] == ["p"]
    text = '[[categories]]\nid = "c"\nname = "n"\n[phrases]\nid = "p"\n'
    doc = parse_document(text, "b.toml")
    assert _seen(doc.problems) == [("b.toml", None, "doc.phrases_not_array", {})]
    assert [c.id for c in doc.categories] == ["c"] and doc.phrases == []


# -- line numbers ------------------------------------------------------------------------------


def test_each_problem_names_the_line_of_its_own_table() -> None:
    text = (
        "\n"  # 1
        "# [[phrases]] a comment, not a table\n"  # 2
        "[[categories]]\n"  # 3
        'id = "c"\n'  # 4
        'name = "n"\n'  # 5
        "\n"  # 6
        "  [[ categories ]]  # indented, spaced\n"  # 7
        'id = "bad id"\n'  # 8
        'name = "n"\n'  # 9
        "[[phrases_old]]\n"  # 10: another array, not a phrase
        "x = 1\n"  # 11
        "[[phrases]]\n"  # 12
        'id = "p1"\n'  # 13
        "title = 1\n"  # 14
        'body = ""\n'  # 15
        'category = "c"\n'  # 16
        "\t[[phrases]]\n"  # 17
        'id = "p2"\n'  # 18
        'title = " "\n'  # 19
        'body = ""\n'  # 20
        'category = "c"\n'  # 21
    )
    doc = parse_document(text, "lines.toml")
    assert [(p.line, p.message.code) for p in doc.problems] == [  # type: ignore[attr-defined]
        (7, "doc.bad_id"),
        (12, "doc.not_text"),
        (17, "doc.empty_title"),
    ]
    crlf = parse_document(text.replace("\n", "\r\n"), "crlf.toml")
    assert [p.line for p in crlf.problems] == [7, 12, 17]


def test_tables_written_inline_have_no_line() -> None:
    text = 'categories = [{id = "c", name = ""}]\nphrases = [{id = "p", title = 1}]\n'
    doc = parse_document(text, "inline.toml")
    assert [(p.line, p.message.code) for p in doc.problems] == [  # type: ignore[attr-defined]
        (None, "doc.empty_name"),
        (None, "doc.not_text"),
        (None, "doc.missing"),
        (None, "doc.missing"),
    ]


# -- categories --------------------------------------------------------------------------------

GOOD_CAT = {"id": '"c"', "name": '"分类"'}


@pytest.mark.parametrize(
    ("fields", "problems"),
    [
        ({"name": '"n"'}, [("doc.missing", {"field": "id"})]),
        ({"id": '"c"'}, [("doc.missing", {"field": "name"})]),
        ({}, [("doc.missing", {"field": "id"}), ("doc.missing", {"field": "name"})]),
        ({"id": "5", "name": '"n"'}, [("doc.not_text", {"field": "id", "type": "int"})]),
        ({"id": '"c"', "name": "true"}, [("doc.not_text", {"field": "name", "type": "bool"})]),
        (
            {**GOOD_CAT, "parent": "[]"},
            [("doc.not_text", {"field": "parent", "type": "list"})],
        ),
        ({**GOOD_CAT, "order": '"1"'}, [("doc.bad_order", {})]),
        ({**GOOD_CAT, "order": "true"}, [("doc.bad_order", {})]),
        ({**GOOD_CAT, "order": "1.5"}, [("doc.bad_order", {})]),
        ({"id": '"a b"', "name": '"n"'}, [("doc.bad_id", {"what": "category", "id": "a b"})]),
        ({"id": '""', "name": '"n"'}, [("doc.bad_id", {"what": "category", "id": ""})]),
        ({"id": '"c\\n"', "name": '"n"'}, [("doc.bad_id", {"what": "category", "id": "c\n"})]),
        ({"id": '"c"', "name": '"  "'}, [("doc.empty_name", {"id": "c"})]),
        ({"id": '"c"', "name": '""'}, [("doc.empty_name", {"id": "c"})]),
        (
            {"id": '"a b"', "name": '""', "order": '"x"'},
            [("doc.bad_order", {}), ("doc.bad_id", {"what": "category", "id": "a b"})],
        ),
    ],
)
def test_a_broken_category_is_left_out_with_one_problem_per_fault(
    fields: dict[str, str], problems: list[tuple[str, dict[str, Any]]]
) -> None:
    text = "\n[[categories]]\n" + _cat_toml(**fields)
    doc = parse_document(text, "cats.toml")
    assert doc.categories == []
    assert _seen(doc.problems) == [("cats.toml", 2, code, params) for code, params in problems]


def test_a_category_that_is_not_a_table_is_a_problem_and_the_next_is_read() -> None:
    doc = parse_document('categories = [1, {id = "c", name = "n"}]\n', "c.toml")
    assert _seen(doc.problems) == [("c.toml", None, "doc.category_not_table", {})]
    assert doc.categories == [Category("c", "n")]


@pytest.mark.parametrize("table", [None, 5, "text", ["list"]])
def test_a_category_that_is_not_a_table_is_named_with_its_line(table: Any) -> None:
    problems: list[tuple[Any, str]] = []
    assert doc_module._category(table, 4, lambda ln, m: problems.append((ln, m))) is None
    assert [(ln, m.code) for ln, m in problems] == [(4, "doc.category_not_table")]  # type: ignore[attr-defined]


def test_category_defaults_and_fields() -> None:
    text = (
        '[[categories]]\nid = "a"\nname = " 甲 "\n'
        '[[categories]]\nid = "b"\nname = "乙"\norder = -3\nparent = "a"\n'
        '[[categories]]\nid = "c"\nname = "丙"\nparent = ""\norder = 0\n'
    )
    doc = parse_document(text, "c.toml")
    assert doc.ok, doc.problems
    assert doc.categories == [
        Category("a", " 甲 ", 0, None),
        Category("b", "乙", -3, "a"),
        Category("c", "丙", 0, None),
    ]
    assert all(type(c.order) is int for c in doc.categories)


# -- ids at their limits -----------------------------------------------------------------------

GOOD_IDS = ["a", "9", "Z", "x" * 64, "A.b_c-9", "a-", "a.", "a_", "0" + "-" * 63]
BAD_IDS = ["", "x" * 65, "-a", ".a", "_a", "a b", "a/b", "欢迎", "a\n", "\na", "a\t", " a"]


@pytest.mark.parametrize("pid", GOOD_IDS)
def test_a_good_id_is_taken(pid: str) -> None:
    text = dump_document([Category(pid, "n")], [Phrase(pid, "t", "", pid)])
    doc = parse_document(text, "ids.toml")
    assert doc.ok, doc.problems
    assert [c.id for c in doc.categories] == [pid] and [p.id for p in doc.phrases] == [pid]


@pytest.mark.parametrize("pid", BAD_IDS)
@pytest.mark.parametrize("path", ["quick", "checked"])
def test_a_bad_phrase_id_is_named(pid: str, path: str) -> None:
    table = {"id": pid, "title": "t", "body": "", "category": "c"}
    got, problems = _run(path, table)
    assert got is None
    assert problems == [(4, "doc.bad_id", {"what": "phrase", "id": pid})]


@pytest.mark.parametrize("pid", BAD_IDS)
def test_a_bad_category_id_is_named(pid: str) -> None:
    problems: list[tuple[Any, str]] = []
    got = doc_module._category({"id": pid, "name": "n"}, 4, lambda ln, m: problems.append((ln, m)))
    assert got is None
    assert [(ln, m.code, m.params) for ln, m in problems] == [  # type: ignore[attr-defined]
        (4, "doc.bad_id", {"what": "category", "id": pid})
    ]


# -- phrases: the quick path and the checked path give the same answers --------------------------


def _run(path: str, table: Any) -> tuple[Phrase | None, list[tuple[Any, str, dict[str, Any]]]]:
    seen: list[Any] = []
    fn = doc_module._phrase if path == "quick" else doc_module._checked_phrase
    got = fn(table, 4, lambda ln, m: seen.append((ln, m.code, m.params)))
    return got, seen


BASE = {"id": "p", "title": "标题", "body": "正文", "category": "c"}
FULL = {
    **BASE,
    "code": " cf1 ",
    "hotkey": "\tctrl+alt+1 ",
    "tags": ["a", " b "],
    "examples": ["问一", " ", "", "问二 "],
    "created": "2026-01-01",
    "updated": "2026-01-02",
}


@pytest.mark.parametrize("path", ["quick", "checked"])
def test_a_full_phrase_keeps_every_field(path: str) -> None:
    table = dict(FULL, tags=list(FULL["tags"]))
    got, problems = _run(path, table)
    assert problems == []
    assert got == Phrase(
        id="p",
        title="标题",
        body="正文",
        category="c",
        code="cf1",
        hotkey="ctrl+alt+1",
        tags=["a", " b "],
        created="2026-01-01",
        updated="2026-01-02",
        examples=["问一", "问二 "],
    )
    assert got is not None and got.tags is not table["tags"]


@pytest.mark.parametrize("path", ["quick", "checked"])
def test_a_minimal_phrase_gets_the_defaults(path: str) -> None:
    got, problems = _run(path, dict(BASE, body=""))
    assert problems == []
    assert got == Phrase("p", "标题", "", "c", "", "", [], "", "", examples=[])
    assert got is not None
    assert (got.code, got.hotkey, got.created, got.updated) == ("", "", "", "")


@pytest.mark.parametrize("path", ["quick", "checked"])
@pytest.mark.parametrize("key", ["id", "title", "body", "category"])
def test_a_missing_required_field_is_named(path: str, key: str) -> None:
    table = {k: v for k, v in BASE.items() if k != key}
    assert _run(path, table) == (None, [(4, "doc.missing", {"field": key})])


@pytest.mark.parametrize("path", ["quick", "checked"])
def test_every_missing_field_is_named_in_order(path: str) -> None:
    got, problems = _run(path, {})
    assert got is None
    assert problems == [
        (4, "doc.missing", {"field": k}) for k in ("id", "title", "body", "category")
    ]


TEXT_KEYS = ["id", "title", "body", "category", "code", "hotkey", "created", "updated"]


@pytest.mark.parametrize("path", ["quick", "checked"])
@pytest.mark.parametrize("key", TEXT_KEYS)
@pytest.mark.parametrize(("value", "type_name"), [(1, "int"), (["x"], "list"), (True, "bool")])
def test_a_field_that_is_not_text_is_named_with_its_type(
    path: str, key: str, value: Any, type_name: str
) -> None:
    table = dict(BASE, **{key: value})
    assert _run(path, table) == (
        None,
        [(4, "doc.not_text", {"field": key, "type": type_name})],
    )


@pytest.mark.parametrize("path", ["quick", "checked"])
@pytest.mark.parametrize(
    ("key", "code"), [("tags", "doc.bad_tags"), ("examples", "doc.bad_examples")]
)
@pytest.mark.parametrize("value", ["x", 1, [1], ["a", 1], [1, "a"], [["a"]], {"a": "b"}])
def test_tags_and_examples_must_be_lists_of_text(
    path: str, key: str, code: str, value: Any
) -> None:
    table = dict(BASE, **{key: value})
    assert _run(path, table) == (None, [(4, code, {})])


@pytest.mark.parametrize("path", ["quick", "checked"])
def test_every_fault_of_one_phrase_is_named(path: str) -> None:
    table = {"id": 1, "body": "", "category": "c", "code": 2, "tags": "t", "examples": [3]}
    got, problems = _run(path, table)
    assert got is None
    assert problems == [
        (4, "doc.not_text", {"field": "id", "type": "int"}),
        (4, "doc.missing", {"field": "title"}),
        (4, "doc.not_text", {"field": "code", "type": "int"}),
        (4, "doc.bad_tags", {}),
        (4, "doc.bad_examples", {}),
    ]


@pytest.mark.parametrize("path", ["quick", "checked"])
@pytest.mark.parametrize("title", ["", " ", "\n", "\t \u3000"])
def test_a_blank_title_is_named(path: str, title: str) -> None:
    assert _run(path, dict(BASE, title=title)) == (None, [(4, "doc.empty_title", {"id": "p"})])


@pytest.mark.parametrize("path", ["quick", "checked"])
def test_a_bad_id_is_reported_before_a_blank_title(path: str) -> None:
    got, problems = _run(path, dict(BASE, id="a b", title=" "))
    assert got is None
    assert problems == [(4, "doc.bad_id", {"what": "phrase", "id": "a b"})]


@pytest.mark.parametrize("path", ["quick", "checked"])
@pytest.mark.parametrize("table", [None, 5, "text", ["list"]])
def test_a_phrase_that_is_not_a_table_is_named(path: str, table: Any) -> None:
    assert _run(path, table) == (None, [(4, "doc.phrase_not_table", {})])


def test_a_phrase_problem_names_file_and_line() -> None:
    text = '[[categories]]\nid = "c"\nname = "n"\n\n[[phrases]]\nid = "p"\ntitle = "t"\n'
    doc = parse_document(text, "lib/c.toml")
    assert _seen(doc.problems) == [
        ("lib/c.toml", 5, "doc.missing", {"field": "body"}),
        ("lib/c.toml", 5, "doc.missing", {"field": "category"}),
    ]
    assert doc.phrases == []
    assert str(doc.problems[0]) == "lib/c.toml:5: missing 'body'"


# -- references --------------------------------------------------------------------------------


def _refs(text: str) -> list[Seen]:
    return _seen(parse_document(text, "r.toml").problems)


def _cat(cid: str, parent: str | None = None) -> str:
    extra = f'parent = "{parent}"\n' if parent is not None else ""
    return f'[[categories]]\nid = "{cid}"\nname = "n"\n{extra}'


def _phr(pid: str, cat: str) -> str:
    return f'[[phrases]]\nid = "{pid}"\ntitle = "t"\nbody = ""\ncategory = "{cat}"\n'


def test_a_child_may_come_before_its_parent_and_phrases_may_use_either() -> None:
    text = _cat("kid", "top") + _cat("top") + _phr("p1", "kid") + _phr("p2", "top")
    doc = parse_document(text, "r.toml")
    assert doc.ok, doc.problems
    assert [(c.id, c.parent) for c in doc.categories] == [("kid", "top"), ("top", None)]
    assert [p.category for p in doc.phrases] == ["kid", "top"]


def test_a_category_id_twice_is_named_once_per_repeat() -> None:
    text = _cat("a") + _cat("b") + _cat("a") + _cat("a")
    assert _refs(text) == [
        ("r.toml", None, "doc.duplicate_id", {"what": "category", "id": "a"}),
        ("r.toml", None, "doc.duplicate_id", {"what": "category", "id": "a"}),
    ]


def test_a_phrase_id_twice_is_named_once_per_repeat() -> None:
    text = _cat("c") + _phr("p", "c") + _phr("q", "c") + _phr("p", "c") + _phr("p", "c")
    assert _refs(text) == [
        ("r.toml", None, "doc.duplicate_id", {"what": "phrase", "id": "p"}),
        ("r.toml", None, "doc.duplicate_id", {"what": "phrase", "id": "p"}),
    ]


def test_a_missing_parent_is_named() -> None:
    assert _refs(_cat("a") + _cat("b", "zz")) == [
        ("r.toml", None, "doc.no_parent", {"id": "b", "parent": "zz"})
    ]


def test_categories_nest_one_level_only() -> None:
    text = _cat("a") + _cat("b", "a") + _cat("c", "b")
    assert _refs(text) == [("r.toml", None, "doc.nested_too_deep", {"id": "c"})]


def test_a_phrase_of_an_unknown_category_is_named() -> None:
    text = _cat("c") + _phr("p", "c") + _phr("q", "C") + _phr("r", "")
    assert _refs(text) == [
        ("r.toml", None, "doc.no_category", {"id": "q", "cat": "C"}),
        ("r.toml", None, "doc.no_category", {"id": "r", "cat": ""}),
    ]


# -- dump ---------------------------------------------------------------------------------------


def test_dump_and_parse_keep_every_field_and_the_order() -> None:
    cats = [
        Category("z", "最后一个", 0),
        Category("a", "甲", -1),
        Category("z-1", "子", 7, parent="z"),
    ]
    phrases = [
        Phrase(
            "p9",
            "标题",
            '第一行\n第二行 "引号" \\ {顾客}',
            "z-1",
            code="c1",
            hotkey="ctrl+alt+1",
            tags=["t1", "t2"],
            created="2026-01-01T00:00:00+08:00",
            updated="2026-01-02T00:00:00+08:00",
            examples=["什么时候发货?", "几天到"],
        ),
        Phrase("p1", "最少", "", "a"),
    ]
    meta = {"format": 1, "name": "包", "author": "我"}
    text = dump_document(cats, phrases, meta=meta, schema_version=0)
    doc = parse_document(text, "rt.toml")
    assert doc.ok, doc.problems
    assert doc.categories == cats
    assert doc.phrases == phrases
    assert doc.meta == meta
    assert doc.schema_version == 0
    assert '"""' in text  # a multi-line body stays readable


def test_dump_leaves_out_what_is_empty() -> None:
    text = dump_document([Category("a", "甲")], [Phrase("p", "t", "正文", "a")])
    for key in ("schema_version", "[pack]", "parent", "code", "hotkey", "tags", "examples"):
        assert key not in text, key
    assert "created" not in text and "updated" not in text
    assert "order = 0" in text
    doc = parse_document(text, "lib.toml", allow_pack=False)
    assert doc.ok and doc.schema_version is None and doc.meta == {}
    assert dump_document([], [], meta={}) == dump_document([], [])


def test_dump_writes_each_set_field_under_its_own_key() -> None:
    p = Phrase("p", "t", "b", "a", "c1", "f1", ["tg"], "cr", "up", examples=["ex"])
    table = doc_module._phrase_table(p)
    assert table == {
        "id": "p",
        "title": "t",
        "body": "b",
        "category": "a",
        "code": "c1",
        "hotkey": "f1",
        "tags": ["tg"],
        "examples": ["ex"],
        "created": "cr",
        "updated": "up",
    }
    assert table["tags"] is not p.tags and table["examples"] is not p.examples
    text = dump_document([Category("a", "n", 3, "b")], [], schema_version=2)
    assert "schema_version = 2" in text
    assert 'parent = "b"' in text and "order = 3" in text

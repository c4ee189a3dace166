"""app.core.safefile: regular files only, sizes first, hostile TOML shapes refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.core.safefile import (
    MAX_KEY_PARTS,
    MAX_NESTING,
    NOT_REGULAR,
    LimitError,
    loads_limited,
    read_regular,
    toml_shape_problem,
    too_big,
)


def test_read_regular_reads_a_file_within_the_limit(tmp_path: Path) -> None:
    f = tmp_path / "a"
    f.write_bytes(b"x" * 10)
    assert read_regular(f, 10) == b"x" * 10


def test_read_regular_refuses_a_file_over_the_limit(tmp_path: Path) -> None:
    f = tmp_path / "a"
    f.write_bytes(b"x" * 11)
    with pytest.raises(LimitError, match="the limit is"):
        read_regular(f, 10)


def test_read_regular_reads_more_than_one_chunk(tmp_path: Path) -> None:
    f = tmp_path / "a"
    data = os.urandom(3 * 1024 * 1024 + 5)
    f.write_bytes(data)
    assert read_regular(f, len(data)) == data


def test_read_regular_refuses_a_folder_and_reports_missing(tmp_path: Path) -> None:
    with pytest.raises(LimitError, match="not a regular file"):
        read_regular(tmp_path, 100)
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "missing", 100)


@pytest.mark.linux_only("FIFOs are POSIX")
def test_read_regular_never_opens_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(LimitError) as info:
        read_regular(fifo, 100)  # a blocking open would hang this test
    assert str(info.value) == NOT_REGULAR


def test_too_big_message() -> None:
    assert too_big(3 * 1024 * 1024, 2 * 1024 * 1024) == "file is 3.0 MB; the limit is 2 MB"


@pytest.mark.parametrize(
    "text",
    [
        "a.b.c = 1\n",
        '"a"."b" = 1\n[x.y]\nz = 1.5\n',
        'k = "a.b.c.d.e.f.g.h.i.j"\n',  # dots inside strings do not count
        "k = '''a.b.c.d.e.f.g.h.i.j\n.k.l.m'''\n",
        '# a.b.c.d.e.f.g.h.i.j.k\nk = """x.y.z.a.b.c.d.e.f.g"""\n',
        "t = 2024-01-01T10:00:00.123\n",
        "x = [[1, 2], [3, [4]]]\n",
    ],
)
def test_ordinary_toml_passes_the_shape_check(text: str) -> None:
    assert toml_shape_problem(text) is None
    loads_limited(text)


def test_dotted_key_limit_is_exact() -> None:
    ok = ".".join(["a"] * MAX_KEY_PARTS) + " = 1\n"
    bad = ".".join(["a"] * (MAX_KEY_PARTS + 1)) + " = 1\n"
    assert toml_shape_problem(ok) is None
    problem = toml_shape_problem("x = 1\n" + bad)
    assert problem is not None and problem.line == 2
    assert "keys are nested too deeply" in str(problem)


def test_quoted_dotted_key_bomb_is_refused() -> None:
    problem = toml_shape_problem('"a".' * 20_000 + '"a" = 1\n')
    assert problem is not None and problem.line == 1


def test_table_header_dots_count() -> None:
    assert toml_shape_problem("[" + ".".join(["t"] * (MAX_KEY_PARTS + 1)) + "]\n") is not None


def test_nesting_limit_is_exact() -> None:
    ok = "x = " + "[" * MAX_NESTING + "]" * MAX_NESTING + "\n"
    bad = "\n\nx = " + "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1) + "\n"
    assert toml_shape_problem(ok) is None
    problem = toml_shape_problem(bad)
    assert problem is not None and problem.line == 3
    assert str(problem) == "values are nested too deeply"


def test_closing_brackets_reset_the_depth() -> None:
    text = "".join(f"x{i} = " + "[" * 10 + "]" * 10 + "\n" for i in range(5))
    assert toml_shape_problem(text) is None


def test_comma_and_newline_reset_the_dots() -> None:
    parts = ", ".join(f"a{i}.b.c = 1" for i in range(10))
    assert toml_shape_problem("t = { " + parts + " }\n") is None
    lines = "".join(f"a.b.c.d{i} = 1\n" for i in range(10))
    assert toml_shape_problem(lines) is None


def test_loads_limited_raises_the_problem_and_parses_otherwise() -> None:
    with pytest.raises(LimitError):
        loads_limited("a." * 20 + "a = 1\n")
    assert loads_limited('a.b = "c"\n') == {"a": {"b": "c"}}


# -- issue 9: the races and exact messages ---------------------------------------------------
from app.core import safefile  # noqa: E402


@pytest.mark.linux_only("FIFOs are POSIX")
def test_a_fifo_swapped_in_after_the_stat_is_refused_without_blocking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    regular = tmp_path / "regular"
    regular.write_bytes(b"x")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    real_stat = os.stat
    monkeypatch.setattr(safefile.os, "stat", lambda p: real_stat(regular))
    with pytest.raises(LimitError) as info:
        read_regular(fifo, 100)  # without O_NONBLOCK this open would wait forever
    assert str(info.value) == NOT_REGULAR


def test_a_file_that_grew_after_the_stat_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "a"
    f.write_bytes(b"x" * 20)
    small = tmp_path / "small"
    small.write_bytes(b"x" * 5)
    real_stat = os.stat
    monkeypatch.setattr(safefile.os, "stat", lambda p: real_stat(small))
    with pytest.raises(LimitError) as info:
        read_regular(f, 10)
    assert str(info.value) == too_big(11, 10)
    assert read_regular(small, 5) == b"x" * 5


def test_too_big_rounds_to_a_tenth() -> None:
    assert too_big(100 * 1024 * 1024, 10 * 1024 * 1024) == "file is 100.0 MB; the limit is 10 MB"


def test_exact_messages_and_lines() -> None:
    keys = toml_shape_problem("\n" + ".".join(["a"] * 9) + " = 1\n")
    assert keys is not None and keys.line == 2
    assert str(keys) == "keys are nested too deeply (data only, please)"
    deep = toml_shape_problem("\n" + "x = " + "[" * 17)
    assert deep is not None and deep.line == 2


def test_resets_after_brackets_are_exact() -> None:
    seven = ".a" * 7  # 7 dots: the limit is 8 key parts
    assert toml_shape_problem("t = {" + seven[1:] + " = 1}") is None
    assert toml_shape_problem("x = []" + seven) is None
    assert toml_shape_problem("x = [" + seven) is None
    assert toml_shape_problem("x = 1," + seven) is None
    assert toml_shape_problem("x = 1\n" + seven) is None
    assert toml_shape_problem("x" + seven + "=" + seven) is None


def test_depth_never_goes_below_zero_and_closes_one_at_a_time() -> None:
    assert toml_shape_problem("]]]]" + "[" * MAX_NESTING) is None
    assert toml_shape_problem("[" * MAX_NESTING + "]" + "[" * 2) is not None
    assert toml_shape_problem("[" * MAX_NESTING + "]" + "[") is None


def test_recursion_in_the_parser_is_a_limit_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def recurse(text: str) -> dict[str, object]:
        raise RecursionError

    monkeypatch.setattr(safefile.tomllib, "loads", recurse)
    monkeypatch.setattr(safefile, "_fast", safefile.tomllib)
    with pytest.raises(LimitError) as info:
        loads_limited("x = 1\n")
    assert str(info.value) == "values are nested too deeply"


# -- the fast paths: the same answers as the exact scan and the stdlib parser ----------------
import re  # noqa: E402
import sys  # noqa: E402
import types  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="\"'.[]{}=,\n#a \\", max_size=80))
def test_the_quick_check_answers_as_the_exact_scan(text: str) -> None:
    assert (toml_shape_problem(text) is None) == (safefile._scan(text) is None)


# The strings and comments written plainly, one alternation per character: the unrolled
# pattern in safefile is faster and must blank out exactly the same spans.
_PLAIN_STRINGS_AND_COMMENTS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"{3,5}'
    r"|'''(?:[^']|'(?!''))*'{3,5}"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'[^'\n]*'"
    r"|#[^\n]*",
    re.DOTALL,
)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="\"'\\\n#a.[", max_size=60))
def test_the_unrolled_strings_pattern_blanks_what_the_plain_one_does(text: str) -> None:
    assert safefile._SKIPPED.sub("S", text) == _PLAIN_STRINGS_AND_COMMENTS.sub("S", text)


@pytest.mark.parametrize(
    ("text", "skeleton"),
    [
        ('a = "x\\"y" # c\nb = 1', "a = S S\nb = 1"),
        ('a = """one\n""two"" \\""" three"""""\n', "a = S\n"),
        ("a = '''x\n''y'''''\nb = 'c'", "a = S\nb = S"),
        ('a = "open\nb = 2', 'a = "open\nb = 2'),  # no closing quote on the line
        ('a = "\\\\" . "b"', "a = S . S"),  # an escaped backslash ends the escape
    ],
)
def test_strings_and_comments_are_blanked(text: str, skeleton: str) -> None:
    assert safefile._SKIPPED.sub("S", text) == skeleton
    assert _PLAIN_STRINGS_AND_COMMENTS.sub("S", text) == skeleton


@pytest.mark.parametrize(
    "text",
    [
        "a" + ".a" * MAX_KEY_PARTS + " = 1\n",
        "x = " + "[" * (MAX_NESTING + 1),
        "x = " + "{y = " * (MAX_NESTING + 1),
        "]]]" + "[" * (MAX_NESTING + 1),
        'k = "s" # c\n' + "a." * MAX_KEY_PARTS + "a = 1",
    ],
)
def test_the_quick_check_still_finds_each_shape_with_its_line(text: str) -> None:
    found = toml_shape_problem(text)
    assert found is not None
    exact = safefile._scan(text)
    assert exact is not None
    assert (str(found), found.line) == (str(exact), exact.line)


def test_the_compiled_parser_is_used_when_there(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    class FakeError(ValueError):
        pass

    def fast_loads(text: str) -> dict[str, object]:
        calls.append(text)
        if "bad" in text:
            raise FakeError("fast parser's own message")
        return {"fast": True}

    monkeypatch.setattr(
        safefile, "_fast", types.SimpleNamespace(loads=fast_loads, TOMLDecodeError=FakeError)
    )
    monkeypatch.setattr(safefile, "FAST_FROM", 0)
    assert loads_limited("x = 1\n") == {"fast": True}
    # An error is the stdlib's (the class every caller catches, its message).
    with pytest.raises(tomllib.TOMLDecodeError) as info:
        loads_limited("bad = \n")
    assert "fast parser" not in str(info.value)
    assert calls == ["x = 1\n", "bad = \n"]
    # A text only the stdlib parses is still read.
    assert loads_limited('bad = "ok"\n') == {"bad": "ok"}


def test_without_the_compiled_parser_an_error_is_raised_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    real = safefile.tomllib.loads

    def counting(text: str) -> dict[str, object]:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(safefile, "_fast", safefile.tomllib)
    monkeypatch.setattr(safefile, "FAST_FROM", 0)
    monkeypatch.setattr(safefile.tomllib, "loads", counting)
    with pytest.raises(tomllib.TOMLDecodeError):
        loads_limited("x = \n")
    assert calls == ["x = \n"]
    assert loads_limited("x = 1\n") == {"x": 1}


def test_only_long_texts_take_the_compiled_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[int] = []

    class Fake:
        TOMLDecodeError = ValueError

        @staticmethod
        def loads(text: str) -> dict[str, object]:
            used.append(len(text))
            return {}

    monkeypatch.setattr(safefile, "_fast", Fake)
    small = "x = 1\n"
    long = small + "#" * (safefile.FAST_FROM - len(small))
    assert loads_limited(small) == {"x": 1}  # the stdlib's
    assert used == []
    assert loads_limited(long) == {}
    assert loads_limited(long[:-1]) == {"x": 1}
    assert used == [safefile.FAST_FROM]


def test_the_compiled_parser_is_imported_on_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safefile, "_fast", None)
    parser = safefile._fast_parser()
    assert parser.__name__ == "rtoml"
    assert safefile._fast_parser() is parser
    with pytest.raises(parser.TOMLDecodeError):
        parser.loads("x = \n")
    assert issubclass(parser.TOMLDecodeError, ValueError)


@pytest.mark.parametrize(
    "text",
    [
        'schema_version = 1\n\n[[phrases]]\nid = "a"\ntitle = "标题"\n'
        'body = """两行\n正文 \\u4f60"""\n'
        "tags = [\"a\", 'b']\nexamples = []\n",
        "a = 0x10\nb = 1e3\nc = -0.0\nd = true\ne = 1979-05-27\nf = 07:32:00\n"
        "g = 1979-05-27T07:32:00\n[t]\nx.y = { z = [1, [2, 3]] }\n",
        "k = \"\\\"quoted\\\" \\t tab\"\n'lit' = 'C:\\\\path'\n",
    ],
)
def test_the_fast_parser_reads_what_the_stdlib_reads(text: str) -> None:
    assert safefile._fast_parser().loads(text) == tomllib.loads(text)


def test_the_fast_parser_reads_the_built_in_phrases_as_the_stdlib_does() -> None:
    repo = Path(__file__).resolve().parents[3]
    texts = [p.read_text("utf-8") for p in sorted((repo / "phrases").glob("*.toml"))]
    assert len(texts) >= 5
    parser = safefile._fast_parser()
    for text in texts:
        assert parser.loads(text) == tomllib.loads(text)


def test_without_rtoml_tomli_parses_and_without_both_the_stdlib(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tomli

    monkeypatch.setitem(sys.modules, "rtoml", None)  # its import fails
    monkeypatch.setattr(safefile, "_fast", None)
    assert safefile._fast_parser() is tomli
    assert safefile._fast_parser().loads("x = 1\n") == {"x": 1}
    monkeypatch.setitem(sys.modules, "tomli", None)
    monkeypatch.setattr(safefile, "_fast", None)
    assert safefile._fast_parser() is safefile.tomllib

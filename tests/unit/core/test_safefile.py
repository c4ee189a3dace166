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

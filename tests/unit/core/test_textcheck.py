"""app.core.textcheck: control, invisible and formula-like text."""

from __future__ import annotations

import pytest

from app.core.textcheck import (
    csv_safe,
    csv_unsafe,
    invisible_chars,
    looks_like_formula,
    text_problem,
)

INVISIBLE = [
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2060", "\u2064", "\u2066", "\u2067", "\u2068", "\u2069",
    "\ufeff", "\u2028", "\u2029",
]  # fmt: skip


@pytest.mark.parametrize("ch", INVISIBLE)
def test_every_invisible_character_is_found_and_refused_in_one_line_fields(ch: str) -> None:
    assert invisible_chars(f"cf{ch}1") == [(2, ch)]
    assert text_problem(f"cf{ch}1", 32) == (
        f"contains the invisible character U+{ord(ch):04X}, which is not allowed here"
    )
    assert text_problem(f"您好{ch}", 100, multiline=True) is None  # bodies: lint flags it


@pytest.mark.parametrize("ch", ["\u200a", "\u2030", "\u2065", "\u206a", "\u00a0", "中"])
def test_neighbouring_characters_are_fine(ch: str) -> None:
    assert invisible_chars(ch) == []
    assert text_problem(ch, 5) is None


def test_length_limit_is_inclusive() -> None:
    assert text_problem("a" * 5, 5) is None
    assert text_problem("a" * 6, 5) == "is 6 characters long; the limit is 5"


@pytest.mark.parametrize("ch", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f", "\t"])
def test_control_characters_are_refused_in_one_line_fields(ch: str) -> None:
    assert text_problem(f"a{ch}", 10) == (
        f"contains control character U+{ord(ch):04X}, which is not allowed here"
    )


@pytest.mark.parametrize("ch", ["\n", "\r"])
def test_line_breaks_are_named(ch: str) -> None:
    assert text_problem(f"a{ch}b", 10) == "contains a line break, which is not allowed here"


def test_multiline_allows_newline_and_tab_but_not_other_controls() -> None:
    assert text_problem("a\nb\tc", 10, multiline=True) is None
    assert text_problem("a\rb", 10, multiline=True) is not None
    assert text_problem("a\x0bb", 10, multiline=True) is not None
    assert text_problem("a\x1bb", 10, multiline=True) is not None


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_get_an_apostrophe_and_come_back(cell: str) -> None:
    assert csv_safe(cell) == "'" + cell
    assert csv_unsafe(csv_safe(cell)) == cell


@pytest.mark.parametrize("cell", ["", "您好", "'quoted", "a=b", "1-2"])
def test_other_cells_are_untouched(cell: str) -> None:
    assert csv_safe(cell) == cell
    assert csv_unsafe(cell) == cell


@pytest.mark.parametrize(
    ("text", "formula"),
    [
        ("=1", True),
        ("@x", True),
        ("\tx", True),
        ("\rx", True),
        ("-2+3", True),
        ("+86 138", True),
        ("- 发货", False),
        ("+ 赠品", False),
        ("-", False),
        ("+", False),
        ("", False),
        ("您好=1", False),
    ],
)
def test_looks_like_formula(text: str, formula: bool) -> None:
    assert looks_like_formula(text) is formula


def test_key_is_put_in_front_of_a_reason_only() -> None:
    assert text_problem("a\x07", 9, key="title") == (
        "'title' contains control character U+0007, which is not allowed here"
    )
    assert text_problem("ok", 9, key="title") is None

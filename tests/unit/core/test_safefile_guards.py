"""app.core.safefile's shape check: cases written against mutants that survived
test_safefile.py (issue 13)."""

from __future__ import annotations

from app.core.safefile import DEEP_KEYS, DEEP_VALUES, MAX_KEY_PARTS, MAX_NESTING, loads_limited
from app.core.safefile import toml_shape_problem as shape


def test_inline_tables_count_as_nesting() -> None:
    ok = "a = " + "{b = " * MAX_NESTING + "1" + "}" * MAX_NESTING + "\n"
    assert shape(ok) is None
    assert loads_limited(ok)["a"]
    bad = "a = " + "{b = " * (MAX_NESTING + 1) + "1" + "}" * (MAX_NESTING + 1) + "\n"
    problem = shape(bad)
    assert problem is not None and str(problem) == DEEP_VALUES


def test_closing_braces_reset_the_depth() -> None:
    text = "".join(f"x{i} = {{a = 1}}\n" for i in range(MAX_NESTING + 2))
    assert shape(text) is None


def test_dots_in_values_do_not_add_up_across_commas_or_lines() -> None:
    floats = ", ".join(["1.5"] * (MAX_KEY_PARTS + 2))
    assert shape(f"t = [{floats}]\n") is None
    assert loads_limited(f"t = [{floats}]\n")["t"][0] == 1.5
    assert shape("1.5\n" * (MAX_KEY_PARTS + 2)) is None


# The exact scan (_scan) runs only when the quick pre-check flags the text: each case below
# has a second, flagged shape so that the scan's own boundaries decide the answer.
KEY_AT_LIMIT = "k" + ".k" * MAX_KEY_PARTS + " = 1"  # MAX_KEY_PARTS dots: refused
TOO_DEEP = "x = " + "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1)


def _found(text: str) -> tuple[str, int | None] | None:
    problem = shape(text)
    return None if problem is None else (str(problem), problem.line)


def test_the_scan_allows_nesting_up_to_the_limit_exactly() -> None:
    at_limit = "a = " + "[" * MAX_NESTING + "]" * MAX_NESTING
    assert _found(f"{at_limit}\n{KEY_AT_LIMIT}\n") == (DEEP_KEYS, 2)


def test_the_scan_resets_the_dot_count_at_equals_commas_and_brackets() -> None:
    before = "a" + ".a" * (MAX_KEY_PARTS - 1)  # one dot short of the limit
    for line in (f"{before} = 1.5", f"t = [{before}, 1.5]", f"{before}]1.5"):
        assert _found(f"{line}\n{TOO_DEEP}\n") == (DEEP_VALUES, 2), line


def test_the_scan_never_counts_below_zero_depth() -> None:
    assert _found("]]]]]\n" + TOO_DEEP + "\n") == (DEEP_VALUES, 2)

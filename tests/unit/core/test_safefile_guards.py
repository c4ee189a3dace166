"""app.core.safefile's shape check: cases written against mutants that survived
test_safefile.py (issue 13)."""

from __future__ import annotations

from app.core.safefile import DEEP_VALUES, MAX_KEY_PARTS, MAX_NESTING, loads_limited
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

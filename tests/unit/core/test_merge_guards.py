"""app.core.merge: cases written against mutants that survived test_merge.py (issue 13)."""

from __future__ import annotations

from collections.abc import Hashable

from app.core.merge import category_key, merge_data, merge_library, phrase_key
from app.core.model import Category, Library, Phrase


def test_a_table_replaced_by_a_value_on_one_side() -> None:
    base = {"a": {"x": 1}, "b": 1}
    # ours edited the table, theirs made it a plain value: ours changed it, ours wins
    assert merge_data(base, {"a": {"x": 2}, "b": 1}, {"a": 5, "b": 1}) == {"a": {"x": 2}, "b": 1}
    # ours made it a value, theirs edited the table
    assert merge_data(base, {"a": 7, "b": 1}, {"a": {"x": 3}, "b": 1}) == {"a": 7, "b": 1}


def test_a_table_both_sides_added_is_merged() -> None:
    out = merge_data({}, {"a": {"x": 1}}, {"a": {"y": 2}})
    assert out == {"a": {"x": 1, "y": 2}}


def test_a_set_list_new_on_both_sides() -> None:
    out = merge_data({"profile": {}}, {"profile": {"shops": ["a"]}}, {"profile": {"shops": ["b"]}})
    assert out == {"profile": {"shops": ["b", "a"]}}


def test_an_entry_theirs_removed_is_not_brought_back_by_our_addition() -> None:
    base = {"profile": {"shops": ["a", "b"]}}
    ours = {"profile": {"shops": ["a", "b", "c"]}}
    theirs = {"profile": {"shops": ["a"]}}
    assert merge_data(base, ours, theirs) == {"profile": {"shops": ["a", "c"]}}


def test_a_key_both_sides_deleted_stays_deleted() -> None:
    assert merge_data({"a": 1, "b": 2}, {"b": 2}, {"b": 2}) == {"b": 2}


def test_the_result_shares_nothing_with_its_inputs() -> None:
    base = {"n": {"x": 1}, "l": []}
    ours = {"n": {"x": 1}, "l": [{"k": 1}]}
    theirs = {"n": {"x": 1}, "l": []}
    out = merge_data(base, ours, theirs)
    assert out == {"n": {"x": 1}, "l": [{"k": 1}]}
    out["n"]["x"] = 9
    out["l"][0]["k"] = 9
    assert theirs["n"] == {"x": 1} and ours["l"] == [{"k": 1}]


def test_a_deleted_category_tree_comes_back_for_a_phrase_put_in_it() -> None:
    top = Category("t", "顶", 1)
    kid = Category("t-kid", "子", 0, parent="t")
    other = Category("o", "别", 2)
    base_lib = Library([top, kid, other], [Phrase("p1", "t", "b", "o")])
    base_cats: dict[str, Hashable] = {c.id: category_key(c) for c in base_lib.categories}
    base_phrases: dict[str, Hashable] = {p.id: phrase_key(p) for p in base_lib.phrases}
    ours = Library([other], [Phrase("p1", "t", "b", "o")])  # we deleted t and t-kid
    added = Phrase("p2", "t", "b", "t-kid")  # they put a phrase in t-kid meanwhile
    theirs = Library([top, kid, other], [Phrase("p1", "t", "b", "o"), added])
    merged = merge_library(base_cats, base_phrases, ours, theirs)
    assert sorted(c.id for c in merged.categories) == ["o", "t", "t-kid"]
    assert {p.id for p in merged.phrases} == {"p1", "p2"}

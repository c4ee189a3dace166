"""app.core.merge: re-applying this process's changes on top of another's."""

from __future__ import annotations

from collections.abc import Hashable

from app.core.merge import category_key, merge_data, merge_items, merge_library, phrase_key
from app.core.model import Category, Library, Phrase


def P(pid: str, body: str = "b", cat: str = "c") -> Phrase:
    return Phrase(pid, f"t{pid}", body, cat)


def base_of(items: list[Phrase]) -> dict[str, Hashable]:
    return {p.id: phrase_key(p) for p in items}


def ids(items: list[Phrase]) -> list[str]:
    return [p.id for p in items]


def test_unchanged_ours_takes_theirs_entirely() -> None:
    base = [P("a"), P("b")]
    theirs = [P("b", "edited"), P("c")]  # they edited b, deleted a, added c
    out = merge_items(base_of(base), [P("a"), P("b")], theirs, phrase_key)
    assert ids(out) == ["b", "c"]
    assert out[0].body == "edited"


def test_our_additions_edits_and_deletions_win() -> None:
    base = [P("a"), P("b"), P("c")]
    ours = [P("a", "mine"), P("c"), P("new")]  # edit a, delete b, add new
    theirs = [P("a"), P("b"), P("c", "theirs"), P("x")]
    out = merge_items(base_of(base), ours, theirs, phrase_key)
    assert ids(out) == ["a", "c", "x", "new"]
    assert out[0].body == "mine"
    assert out[1].body == "theirs"  # untouched by us: their edit stays


def test_edit_survives_their_deletion() -> None:
    out = merge_items(base_of([P("a")]), [P("a", "mine")], [], phrase_key)
    assert ids(out) == ["a"] and out[0].body == "mine"


def test_both_added_the_same_id_ours_wins_in_place() -> None:
    out = merge_items({}, [P("a", "mine")], [P("z"), P("a", "theirs")], phrase_key)
    assert ids(out) == ["z", "a"] and out[1].body == "mine"


def test_deleting_what_they_also_deleted_is_fine() -> None:
    assert merge_items(base_of([P("a")]), [], [], phrase_key) == []


def test_merge_library_brings_back_a_category_for_our_phrase() -> None:
    cat_base = {"c": category_key(Category("c", "C")), "d": category_key(Category("d", "D"))}
    ours = Library([Category("c", "C"), Category("d", "D")], [P("a", cat="d"), P("new", cat="d")])
    theirs = Library([Category("c", "C")], [])  # they deleted category d (and a)
    merged = merge_library(cat_base, {"a": phrase_key(P("a", cat="d"))}, ours, theirs)
    assert [c.id for c in merged.categories] == ["c", "d"]
    assert ids(merged.phrases) == ["new"]  # a was unchanged here: their deletion holds


def test_merge_library_restores_a_parent_chain() -> None:
    ours = Library([Category("top", "T"), Category("kid", "K", parent="top")], [P("n", cat="kid")])
    merged = merge_library({}, {}, ours, Library([], []))
    assert [c.id for c in merged.categories] == ["top", "kid"] or {
        c.id for c in merged.categories
    } == {"top", "kid"}
    assert ids(merged.phrases) == ["n"]


def test_merge_library_drops_a_phrase_without_any_category() -> None:
    theirs = Library([], [P("orphan", cat="nowhere")])
    merged = merge_library({}, {}, Library([], []), theirs)
    assert merged.phrases == []


def test_merge_data_scalars_tables_and_deletions() -> None:
    base = {"a": 1, "t": {"x": 1, "y": 1}, "gone": 1}
    ours = {"a": 2, "t": {"x": 1, "y": 5}}
    theirs = {"a": 1, "t": {"x": 9, "y": 1}, "gone": 1, "new": 3}
    assert merge_data(base, ours, theirs) == {"a": 2, "t": {"x": 9, "y": 5}, "new": 3}


def test_merge_data_keeps_theirs_when_we_changed_nothing() -> None:
    theirs = {"profile": {"agent_no": "42"}}
    assert merge_data({"profile": {"agent_no": ""}}, {"profile": {"agent_no": ""}}, theirs) == (
        theirs
    )


def test_merge_data_shops_merge_as_sets() -> None:
    base = {"profile": {"shops": ["old", "both"]}}
    ours = {"profile": {"shops": ["both", "A"]}}  # removed old, added A
    theirs = {"profile": {"shops": ["old", "both", "B"]}}  # added B
    out = merge_data(base, ours, theirs)
    assert out["profile"]["shops"] == ["both", "B", "A"]


def test_merge_data_other_lists_take_ours() -> None:
    base = {"recent_values": {"customer": ["a"]}}
    ours = {"recent_values": {"customer": ["b", "a"]}}
    theirs = {"recent_values": {"customer": ["c", "a"]}}
    assert merge_data(base, ours, theirs)["recent_values"]["customer"] == ["b", "a"]


def test_merge_data_does_not_mutate_theirs() -> None:
    theirs = {"t": {"x": 1}}
    merge_data({"t": {"x": 0}}, {"t": {"x": 2}}, theirs)
    assert theirs == {"t": {"x": 1}}


def test_every_stored_field_is_in_the_key() -> None:
    import dataclasses

    stored = {f.name for f in dataclasses.fields(Phrase)} - {"id", "source"}
    base = Phrase("a", "t", "b", "c")
    for name in sorted(stored):
        value = getattr(base, name)
        changed = [*value, "x"] if isinstance(value, list) else f"{value}x"
        assert phrase_key(dataclasses.replace(base, **{name: changed})) != phrase_key(base), name

"""Issue 9 in LibraryStore: merges across processes, the move journal, duplicate ids,
device names, damaged builtin-state.toml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.fsutil import Paths
from app.core.model import Category, Library, Phrase
from app.core.storage import (
    JOURNAL,
    LibraryStore,
    _safe_file_stem,
    is_reserved_name,
    load_builtin_packs,
)
from app.core.workspace import Workspace


def _lib() -> Library:
    lib = Library([Category("left", "左", 0), Category("right", "右", 1)])
    for i in range(4):
        lib.add_phrase(Phrase(f"p{i}", f"t{i}", f"b{i}", "left" if i % 2 else "right"))
    return lib


def test_two_stores_merge_instead_of_overwriting(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_lib())
    a, b = LibraryStore(paths), LibraryStore(paths)
    lib_a, lib_b = a.load().library, b.load().library
    lib_a.add_phrase(Phrase("from-a", "A", "a", "left"))
    lib_b.add_phrase(Phrase("from-b", "B", "b", "left"))
    lib_b.remove_phrase("p0")
    a.save(lib_a)
    assert not b.external_merges
    b.save(lib_b)
    assert b.external_merges == 1
    assert {p.id for p in lib_b.phrases} == {"p1", "p2", "p3", "from-a", "from-b"}
    fresh = LibraryStore(paths).load().library
    assert {p.id for p in fresh.phrases} == {"p1", "p2", "p3", "from-a", "from-b"}


def test_refresh_reads_only_when_the_disk_changed(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_lib())
    app, cli = LibraryStore(paths), LibraryStore(paths)
    lib = app.load().library
    assert app.refresh(lib) is False
    other = cli.load().library
    other.add_phrase(Phrase("cli", "C", "c", "right"))
    cli.save(other)
    assert app.disk_changed()
    assert app.refresh(lib) is True
    assert lib.phrase("cli") is not None
    assert app.refresh(lib) is False


def test_subscription_entries_survive_a_merge(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_lib())
    app = LibraryStore(paths)
    lib = app.load().library
    lib.categories.append(Category("sub-x", "团队", 10_000, source="团队"))
    lib.phrases.append(Phrase("sub-x-1", "t", "b", "sub-x", source="团队"))
    (paths.library / "left.toml").write_text('[[categories]]\nid = "left"\nname = "左"\n', "utf-8")
    app.refresh(lib)
    assert lib.phrase("sub-x-1") is not None and lib.category("sub-x") is not None
    assert {p.id for p in lib.phrases if not p.source} == {"p0", "p2"}


def test_a_move_writes_the_journal_and_clears_it(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    lib = _lib()
    store.save(lib)
    seen: list[dict[str, object]] = []
    real = store._write_journal

    def spy(library: Library, moving: set[str]) -> None:
        real(library, moving)
        seen.append(json.loads((paths.library / JOURNAL).read_text("utf-8")))

    store._write_journal = spy  # type: ignore[method-assign]
    lib.update_phrase(lib.phrase("p0").copy(category="left"))  # type: ignore[union-attr]
    store.save(lib)
    assert [p["id"] for p in seen[0]["phrases"]] == ["p0"]  # type: ignore[index]
    assert [c["id"] for c in seen[0]["categories"]] == ["left"]  # type: ignore[index]
    assert not (paths.library / JOURNAL).exists()
    lib.update_phrase(lib.phrase("p0").copy(body="edited"))  # type: ignore[union-attr]
    store.save(lib)
    assert len(seen) == 1  # an edit in place needs no journal


def test_an_interrupted_move_is_completed_from_the_journal(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    lib = _lib()
    store.save(lib)
    moved = lib.phrase("p0").copy(category="left", body="moved")  # type: ignore[union-attr]
    lib.update_phrase(moved)
    store._write_journal(lib, {"p0"})  # the crash: journal written, no file yet
    fresh = LibraryStore(paths)
    result = fresh.load()
    got = [p for p in result.library.phrases if p.id == "p0"]
    assert len(got) == 1 and got[0].category == "left" and got[0].body == "moved"
    assert fresh.needs_save
    fresh.save(result.library)
    assert not (paths.library / JOURNAL).exists()
    again = LibraryStore(paths).load()
    assert not again.problems
    assert [p.category for p in again.library.phrases if p.id == "p0"] == ["left"]


def test_journal_recreates_a_missing_category_and_skips_unknown_ones(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_lib())
    journal = {
        "categories": [
            {"id": "kid", "name": "K", "order": 0, "parent": "new", "source": ""},
            {"id": "new", "name": "N", "order": 5, "parent": None, "source": ""},
        ],
        "phrases": [
            {"id": "p1", "title": "t", "body": "b", "category": "kid"},
            {"id": "lost", "title": "t", "body": "b", "category": "nowhere"},
        ],
    }
    (paths.library / JOURNAL).write_text(json.dumps(journal), "utf-8")
    lib = LibraryStore(paths).load().library
    assert lib.category("new") is not None and lib.category("kid") is not None
    assert [p.category for p in lib.phrases if p.id == "p1"] == ["kid"]
    assert lib.phrase("lost") is None


def test_a_broken_journal_is_ignored(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_lib())
    (paths.library / JOURNAL).write_text("{not json", "utf-8")
    store = LibraryStore(paths)
    result = store.load()
    assert len(result.library.phrases) == 4 and not store.needs_save


def test_files_that_only_gain_are_written_first(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    lib = _lib()
    store.save(lib)
    order: list[str] = []
    import app.core.storage as storage

    real = storage.atomic_write_text

    def spy(path: Path, text: str) -> None:
        order.append(path.name)
        real(path, text)

    storage.atomic_write_text = spy  # type: ignore[assignment]
    try:
        lib.update_phrase(lib.phrase("p0").copy(category="left"))  # type: ignore[union-attr]
        store.save(lib)
    finally:
        storage.atomic_write_text = real
    assert order == [JOURNAL, "left.toml", "right.toml"]


def test_duplicate_id_keeps_the_copy_changed_last_and_warns(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    paths.library.mkdir(parents=True)
    (paths.library / "a.toml").write_text(
        '[[categories]]\nid = "a"\nname = "A"\n[[categories]]\nid = "shared"\nname = "S"\n'
        '[[phrases]]\nid = "x"\ntitle = "old"\nbody = "b"\ncategory = "a"\n'
        'updated = "2024-01-01T00:00:00+08:00"\n'
        '[[phrases]]\nid = "y"\ntitle = "keep-a"\nbody = "b"\ncategory = "a"\n'
        'updated = "2024-05-01T00:00:00+08:00"\n',
        "utf-8",
    )
    (paths.library / "b.toml").write_text(
        '[[categories]]\nid = "b"\nname = "B"\n[[categories]]\nid = "shared"\nname = "S2"\n'
        '[[phrases]]\nid = "x"\ntitle = "new"\nbody = "b"\ncategory = "b"\n'
        'updated = "2024-02-01T00:00:00+08:00"\n'
        '[[phrases]]\nid = "y"\ntitle = "older-b"\nbody = "b"\ncategory = "b"\n'
        'updated = "2024-01-01T00:00:00+08:00"\n'
        '[[phrases]]\nid = "z"\ntitle = "only-b"\nbody = "b"\ncategory = "b"\n',
        "utf-8",
    )
    store = LibraryStore(paths)
    result = store.load()
    titles = {p.id: p.title for p in result.library.phrases}
    assert titles == {"x": "new", "y": "keep-a", "z": "only-b"}
    assert [c.name for c in result.library.categories if c.id == "shared"] == ["S"]
    assert not result.broken_files
    assert [str(p) for p in result.problems] == [
        "library/b.toml: ids also found in another file, one copy kept: shared, x, y"
    ]
    assert store.needs_save


def test_workspace_open_cleans_duplicates_with_a_backup(huashu_home: Path) -> None:
    ws = Workspace.open(Paths(huashu_home))
    first = ws.library.phrases[0]
    ws.close()
    other = Paths(huashu_home).library / "zz-copy.toml"
    other.write_text(
        '[[categories]]\nid = "zz"\nname = "Z"\n'
        f'[[phrases]]\nid = "{first.id}"\ntitle = "t"\nbody = "b"\ncategory = "zz"\n',
        "utf-8",
    )
    ws = Workspace.open(Paths(huashu_home))
    assert any("one copy kept" in p.message for p in ws.problems)
    assert [b for b in ws.store.list_backups() if b.name.endswith("dedupe")]
    ws.close()
    again = Workspace.open(Paths(huashu_home))
    assert not again.problems
    assert [p.id for p in again.library.phrases].count(first.id) == 1
    again.close()


@pytest.mark.parametrize(
    ("name", "reserved"),
    [
        ("con", True),
        ("CON", True),
        ("Prn", True),
        ("aux.txt", True),
        ("nul.tar.gz", True),
        ("com1", True),
        ("com9", True),
        ("lpt1", True),
        ("lpt9.toml", True),
        ("com0", False),
        ("com10", False),
        ("lpt", False),
        ("console", False),
        ("xcon", False),
        ("con-1a2b3c", False),
        ("com1 ", True),
    ],
)
def test_reserved_names(name: str, reserved: bool) -> None:
    assert is_reserved_name(name) is reserved


@pytest.mark.parametrize("cid", ["con", "aux", "com1.txt", "NUL", "lpt9", "Com3"])
def test_device_ids_get_a_safe_distinct_file_name(cid: str) -> None:
    stem = _safe_file_stem(cid)
    assert not is_reserved_name(stem)
    assert stem.startswith(cid.lower().replace(".", "_") + "-")


def test_ordinary_ids_keep_their_name() -> None:
    assert _safe_file_stem("greeting") == "greeting"
    assert _safe_file_stem("console") == "console"


def _seeded(home: Path) -> tuple[Paths, list[str]]:
    ws = Workspace.open(Paths(home))
    gone = [p.id for p in ws.library.phrases[:5]]
    ws.delete_phrases(gone)
    ws.close()
    return Paths(home), gone


@pytest.mark.parametrize(
    "damage", ["\xff not toml [[[", 'offered = "all"\n', "offered = [1, 2]\n", None]
)
def test_damaged_builtin_state_brings_nothing_back(huashu_home: Path, damage: str | None) -> None:
    paths, gone = _seeded(huashu_home)
    if damage is None:
        paths.builtin_state.unlink()
    else:
        paths.builtin_state.write_text(damage, "utf-8")
    ws = Workspace.open(paths)
    assert not [pid for pid in gone if ws.library.phrase(pid) is not None]
    ws.close()
    every = {ph.id for pack in load_builtin_packs()[0] for ph in pack.phrases}
    state = paths.builtin_state.read_text("utf-8")
    assert all(f'"{pid}"' in state for pid in every)  # rebuilt: all marked offered


def test_first_run_without_state_still_seeds(huashu_home: Path) -> None:
    ws = Workspace.open(Paths(huashu_home))
    assert len(ws.library.phrases) >= 20
    ws.close()

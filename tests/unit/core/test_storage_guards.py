"""LibraryStore's guards of the agent's data, each written against a mutant that survived
the older tests (issue 13): real files in a temporary HUASHU_HOME, no mocks of the store."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import tomli_w
import tomllib

import app.core.storage as storage
from app.core.fsutil import Paths
from app.core.model import Category, Library, Phrase
from app.core.storage import (
    KEEP_BACKUPS,
    LibraryStore,
    StorageError,
    builtin_packs_digest,
    load_builtin_packs,
)


def _personal() -> Library:
    """Two personal top categories around a subscription's category that sorts first."""
    lib = Library()
    lib.add_category(Category("team", "团队", 0, source="sub-team"))
    lib.add_category(Category("team-sub", "团队子类", 0, parent="team", source="sub-team"))
    lib.add_category(Category("alpha", "甲", 1))
    lib.add_category(Category("alpha-kid", "甲子类", 0, parent="alpha"))
    lib.add_category(Category("beta", "乙", 2))
    lib.add_phrase(Phrase("t1", "团队", "团队内容", "team", source="sub-team"))
    lib.add_phrase(Phrase("a1", "甲一", "甲的内容", "alpha"))
    lib.add_phrase(Phrase("k1", "甲子", "子类内容", "alpha-kid"))
    lib.add_phrase(Phrase("b1", "乙一", "乙的内容", "beta"))
    return lib


def _names(paths: Paths) -> list[str]:
    return sorted(p.name for p in paths.library.glob("*.toml"))


# -- group_files / save ------------------------------------------------------------------
def test_a_subscription_category_sorting_first_does_not_hide_later_personal_ones(
    huashu_home: Path,
) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    lib = _personal()
    files = store.group_files(lib)
    assert list(files) == ["alpha.toml", "beta.toml"]
    cats, phrases = files["alpha.toml"]
    assert [c.id for c in cats] == ["alpha", "alpha-kid"]
    assert [p.id for p in phrases] == ["a1", "k1"]
    assert [p.id for p in files["beta.toml"][1]] == ["b1"]
    assert sorted(store.save(lib)) == ["alpha.toml", "beta.toml"]
    # A second save (nothing changed) must not delete the later personal files.
    assert store.save(lib) == []
    assert _names(paths) == ["alpha.toml", "beta.toml"]
    loaded = LibraryStore(paths).load().library
    assert {p.id for p in loaded.phrases} == {"a1", "k1", "b1"}
    assert loaded.category("team") is None


def test_subscription_children_and_phrases_stay_out_of_a_personal_file(
    huashu_home: Path,
) -> None:
    lib = _personal()
    lib.add_category(Category("alpha-team", "订阅子类", 0, parent="alpha", source="sub-team"))
    lib.add_phrase(Phrase("t2", "订阅", "订阅内容", "alpha", source="sub-team"))
    cats, phrases = LibraryStore(Paths(huashu_home)).group_files(lib)["alpha.toml"]
    assert [c.id for c in cats] == ["alpha", "alpha-kid"]
    assert [p.id for p in phrases] == ["a1", "k1"]


def test_two_categories_sharing_a_file_name_are_refused(huashu_home: Path) -> None:
    store = LibraryStore(Paths(huashu_home))
    lib = Library([Category("alpha", "甲", 0)])
    store.file_for = lambda top_category_id: "same.toml"  # type: ignore[method-assign]
    assert list(store.group_files(lib)) == ["same.toml"]
    lib.add_category(Category("beta", "乙", 1))
    with pytest.raises(StorageError, match=r"'beta'.*same\.toml"):
        store.group_files(lib)


def test_save_removes_only_the_file_of_a_deleted_category(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    lib = _personal()
    store.save(lib)
    lib.remove_category("beta")
    assert store.save(lib) == ["beta.toml"]
    assert _names(paths) == ["alpha.toml"]
    # removed again by hand meanwhile: the next save does not fail on the missing file
    lib.remove_category("alpha")
    (paths.library / "alpha.toml").unlink()
    store._stamps.pop("alpha.toml")  # as if this store had seen it go
    assert store.save(lib) == ["alpha.toml"]
    assert store.save(lib) == []


# -- files that failed to load are protected ----------------------------------------------
def _broken_then_save(paths: Paths, name: str, data: bytes) -> LibraryStore:
    LibraryStore(paths).save(_personal())
    (paths.library / name).write_bytes(data)
    store = LibraryStore(paths)
    result = store.load()
    assert result.broken_files == {name}
    assert store.broken_files == {name}
    assert any(p.file == f"library/{name}" for p in result.problems)
    lib = result.library
    assert lib.category(name.removesuffix(".toml")) is None
    lib.add_category(Category(name.removesuffix(".toml"), "重建", 5))
    with pytest.raises(StorageError, match=name.replace(".", r"\.")):
        store.save(lib)
    assert (paths.library / name).read_bytes() == data
    return store


def test_a_non_utf8_file_is_broken_and_never_overwritten(huashu_home: Path) -> None:
    data = '[[categories]]\nid = "beta"\nname = "物流"\n'.encode("gbk")
    _broken_then_save(Paths(huashu_home), "beta.toml", data)


def test_a_file_with_an_id_twice_is_broken_and_never_overwritten(huashu_home: Path) -> None:
    data = (
        '[[categories]]\nid = "beta"\nname = "乙"\n'
        '[[phrases]]\nid = "b1"\ntitle = "一"\nbody = "x"\ncategory = "beta"\n'
        '[[phrases]]\nid = "b1"\ntitle = "二"\nbody = "y"\ncategory = "beta"\n'
    ).encode()
    _broken_then_save(Paths(huashu_home), "beta.toml", data)


def test_a_file_from_a_newer_huashu_is_broken_and_never_overwritten(huashu_home: Path) -> None:
    data = (
        f'schema_version = {storage.LIBRARY_SCHEMA + 1}\n[[categories]]\nid = "beta"\nname = "乙"\n'
    ).encode()
    paths = Paths(huashu_home)
    _broken_then_save(paths, "beta.toml", data)
    result = LibraryStore(paths).load()
    assert [p.message for p in result.problems] == [
        f"schema_version {storage.LIBRARY_SCHEMA + 1} is newer than this Huashu "
        f"understands ({storage.LIBRARY_SCHEMA}); update Huashu to read it"
    ]
    # the current schema itself is fine
    (paths.library / "beta.toml").write_text(
        f'schema_version = {storage.LIBRARY_SCHEMA}\n[[categories]]\nid = "beta"\nname = "乙"\n',
        "utf-8",
    )
    assert not LibraryStore(paths).load().problems


def test_an_oversized_file_is_broken(huashu_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_personal())
    beta = paths.library / "beta.toml"
    beta.write_text(beta.read_text("utf-8") + "# " + "x" * 4000 + "\n", "utf-8")
    size = beta.stat().st_size
    monkeypatch.setattr(storage, "MAX_LIBRARY_FILE", size - 1)
    store = LibraryStore(paths)
    result = store.load()
    assert store.broken_files == {"beta.toml"} == result.broken_files
    assert [p.file for p in result.problems] == ["library/beta.toml"]
    assert result.library.phrase("b1") is None and result.library.phrase("a1") is not None
    monkeypatch.setattr(storage, "MAX_LIBRARY_FILE", size)
    assert not LibraryStore(paths).load().problems


def test_an_unreadable_file_is_broken(huashu_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_personal())
    real = storage.read_regular

    def refuse_beta(path: Path, limit: int) -> bytes:
        if path.name == "beta.toml":
            raise PermissionError(errno.EACCES, "denied", str(path))
        return real(path, limit)

    monkeypatch.setattr(storage, "read_regular", refuse_beta)
    store = LibraryStore(paths)
    result = store.load()
    assert store.broken_files == {"beta.toml"} == result.broken_files
    assert [str(p) for p in result.problems] == [
        f"library/beta.toml: cannot read: {os.strerror(errno.EACCES)}"
    ]
    assert result.library.phrase("a1") is not None and result.library.phrase("b1") is None


def test_a_fixed_file_can_be_saved_after_the_next_load(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    store = _broken_then_save(paths, "beta.toml", b"\xff\xfe not text")
    (paths.library / "beta.toml").write_text('[[categories]]\nid = "beta"\nname = "乙"\n', "utf-8")
    result = store.load()  # the same store loads again
    assert result.broken_files == set() and store.broken_files == set()
    lib = result.library
    lib.add_phrase(Phrase("b2", "乙二", "新内容", "beta"))
    assert store.save(lib) == ["beta.toml"]
    assert LibraryStore(paths).load().library.phrase("b2") is not None


def test_a_missing_library_folder_loads_empty_and_clears_the_old_state(
    huashu_home: Path,
) -> None:
    paths = Paths(huashu_home)
    store = _broken_then_save(paths, "beta.toml", b"\xff")
    shutil.rmtree(paths.library)
    result = store.load()
    assert result.library.phrases == [] and result.library.categories == []
    assert store.broken_files == set() and not store.needs_save
    assert store._on_disk == {} and store._stamps == {}


def test_needs_save_is_cleared_by_a_clean_reload(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    store.save(_personal())
    (paths.library / "copy.toml").write_text(
        '[[categories]]\nid = "copy"\nname = "副本"\n'
        '[[phrases]]\nid = "a1"\ntitle = "甲一"\nbody = "甲的内容"\ncategory = "copy"\n',
        "utf-8",
    )
    assert store.load().problems and store.needs_save
    (paths.library / "copy.toml").unlink()
    assert not store.load().problems
    assert not store.needs_save


def test_duplicate_categories_across_files_are_reported_once_each(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    paths.library.mkdir(parents=True)
    (paths.library / "a.toml").write_text(
        '[[categories]]\nid = "a"\nname = "A"\n[[categories]]\nid = "b"\nname = "B1"\n', "utf-8"
    )
    (paths.library / "b.toml").write_text(
        '[[categories]]\nid = "b"\nname = "B2"\n[[categories]]\nid = "c"\nname = "C"\n', "utf-8"
    )
    store = LibraryStore(paths)
    result = store.load()
    assert [(c.id, c.name) for c in result.library.categories] == [
        ("a", "A"),
        ("b", "B1"),
        ("c", "C"),
    ]
    assert [str(p) for p in result.problems] == [
        "library/b.toml: ids also found in another file, one copy kept: b"
    ]
    assert store.needs_save and not result.broken_files


def test_the_duplicate_message_names_at_most_five_ids(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    paths.library.mkdir(parents=True)
    body = "".join(f'[[categories]]\nid = "c{i}"\nname = "C{i}"\n' for i in range(7))
    (paths.library / "a.toml").write_text(body, "utf-8")
    (paths.library / "b.toml").write_text(body, "utf-8")
    result = LibraryStore(paths).load()
    assert [p.message for p in result.problems] == [
        "ids also found in another file, one copy kept: c0, c1, c2, c3, c4"
    ]
    assert [p.line for p in result.problems] == [None]


# -- backups -----------------------------------------------------------------------------
def test_a_backup_interrupted_mid_copy_leaves_no_complete_looking_backup(
    huashu_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    store.save(_personal())
    real = shutil.copytree
    targets: list[Path] = []

    def crash_after_copy(src: Path, dst: Path, **kwargs: object) -> object:
        targets.append(Path(dst))
        real(src, dst, **kwargs)  # type: ignore[arg-type]
        raise OSError("disk full")  # the copy did not finish

    monkeypatch.setattr(storage.shutil, "copytree", crash_after_copy)
    with pytest.raises(OSError, match="disk full"):
        store.backup("import")
    assert store.list_backups() == []
    assert [t.name.startswith(".") and t.name.endswith(".partial") for t in targets] == [True]
    monkeypatch.setattr(storage.shutil, "copytree", real)
    done = store.backup("import")
    assert done is not None and store.list_backups() == [done]
    assert done.parent == paths.backups and not done.name.startswith(".")
    assert done.name.endswith("-import")
    assert sorted(p.name for p in done.iterdir()) == ["alpha.toml", "beta.toml"]


def test_a_backup_leaves_out_hidden_files_and_cleans_its_name(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    store.save(_personal())
    (paths.library / ".moving.json").write_text("{}", "utf-8")
    done = store.backup("bulk move/你好 " + "x" * 60)
    assert done is not None
    assert sorted(p.name for p in done.iterdir()) == ["alpha.toml", "beta.toml"]
    tag = done.name.split("-", 3)[3]
    assert tag == ("bulk_move____" + "x" * 60)[:40]


def test_nothing_to_back_up(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    assert store.backup("delete") is None  # no library folder
    paths.library.mkdir(parents=True)
    (paths.library / "notes.txt").write_text("x", "utf-8")
    assert store.backup("delete") is None  # no library file in it
    assert store.list_backups() == []


def test_rotation_keeps_the_newest_and_removes_stale_trash(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    store.save(_personal())
    made = [store.backup(f"n{i}") for i in range(KEEP_BACKUPS + 2)]
    kept = store.list_backups()
    assert kept == made[2:]
    stale = paths.backups / ".trash-old"
    stale.mkdir()
    (paths.backups / ".partial-or-hidden").mkdir()
    (paths.backups / "a-file").write_text("x", "utf-8")
    assert store.list_backups() == kept  # hidden folders and files are not backups
    store.backup("again")
    assert not stale.exists()
    assert not list(paths.backups.glob(".trash-*"))
    assert len(store.list_backups()) == KEEP_BACKUPS


# -- built-in packs ----------------------------------------------------------------------
def _state(paths: Paths) -> dict[str, Any]:
    return tomllib.loads(paths.builtin_state.read_text("utf-8"))


def test_the_packs_digest_is_not_recorded_while_phrases_are_held_back(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    paths.library.mkdir(parents=True)
    broken = paths.library / "greeting.toml"
    broken.write_bytes(b'[[categories]]\nid = "greeting"\nname = "\xff"\n')
    paths.builtin_state.parent.mkdir(parents=True, exist_ok=True)
    paths.builtin_state.write_text(tomli_w.dumps({"offered": [], "packs_digest": ""}), "utf-8")
    store = LibraryStore(paths)
    lib = store.load().library
    added = store.seed_builtin(lib)
    packs, _ = load_builtin_packs()
    greeting = {p.id for pack in packs for p in pack.phrases if p.category.startswith("greeting")}
    assert greeting and added
    assert not greeting & {p.id for p in added}  # held back: its file failed to load
    assert broken.read_bytes().endswith(b'\xff"\n')
    state = _state(paths)
    assert state["packs_digest"] == ""
    assert not greeting & set(state["offered"])
    store.save(lib)
    # The agent fixes the file: the next start offers the held-back phrases.
    broken.write_text('[[categories]]\nid = "greeting"\nname = "欢迎语"\n', "utf-8")
    lib = store.load().library
    again = store.seed_builtin(lib)
    assert {p.id for p in again} == greeting
    assert _state(paths)["packs_digest"] == builtin_packs_digest()
    assert store.seed_builtin(lib) == []


def test_first_seed_records_every_phrase_and_the_digest(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    lib = store.load().library
    added = store.seed_builtin(lib)
    packs, _ = load_builtin_packs()
    every = sorted(p.id for pack in packs for p in pack.phrases)
    assert sorted(p.id for p in added) == every
    assert _state(paths) == {"offered": every, "packs_digest": builtin_packs_digest()}
    pack_cats = {c.id for pack in packs for c in pack.categories}
    assert {c.id for c in lib.categories} == pack_cats


def test_seeding_frees_hotkeys_and_codes_the_agent_already_uses(huashu_home: Path) -> None:
    packs, _ = load_builtin_packs()
    shipped = [p for pack in packs for p in pack.phrases]
    with_key = next(p for p in shipped if p.hotkey)
    with_code = next(p for p in shipped if p.code)
    lib = Library([Category("mine", "我的", 99)])
    lib.add_phrase(Phrase("m1", "我的一", "x", "mine", hotkey=with_key.hotkey))
    lib.add_phrase(Phrase("m2", "我的二", "y", "mine", code=with_code.code.upper()))
    store = LibraryStore(Paths(huashu_home))
    added = {p.id: p for p in store.seed_builtin(lib)}
    assert added[with_key.id].hotkey == ""
    assert added[with_code.id].code == ""
    others = [p for p in shipped if p.id not in (with_key.id, with_code.id)]
    assert all(added[p.id].hotkey == p.hotkey for p in others)
    assert all(added[p.id].code == p.code for p in others)


def test_a_phrase_the_library_already_has_is_only_marked_offered(huashu_home: Path) -> None:
    packs, _ = load_builtin_packs()
    first = packs[0].phrases[0]
    lib = Library([Category("mine", "我的", 99)])
    lib.add_phrase(Phrase(first.id, "我改过", "我的内容", "mine"))
    store = LibraryStore(Paths(huashu_home))
    added = store.seed_builtin(lib)
    assert first.id not in {p.id for p in added}
    assert lib.phrase(first.id).body == "我的内容"  # type: ignore[union-attr]
    assert first.id in _state(Paths(huashu_home))["offered"]

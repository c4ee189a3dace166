"""LibraryStore's guards of the agent's data, each written against a mutant that survived
the older tests (issue 13): real files in a temporary HUASHU_HOME, no mocks of the store."""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
import tomli_w
import tomllib

import app.core.parsecache as parsecache
import app.core.storage as storage
from app.core.fsutil import Paths
from app.core.model import Category, Library, Phrase
from app.core.safefile import too_big
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
    alpha = paths.library / "alpha.toml"  # read first: the files after it still load
    alpha.write_text(alpha.read_text("utf-8") + "# " + "x" * 4000 + "\n", "utf-8")
    size = alpha.stat().st_size
    monkeypatch.setattr(storage, "MAX_LIBRARY_FILE", size - 1)
    store = LibraryStore(paths)
    result = store.load()
    assert store.broken_files == {"alpha.toml"} == result.broken_files
    assert [str(p) for p in result.problems] == [f"library/alpha.toml: {too_big(size, size - 1)}"]
    assert result.library.phrase("a1") is None and result.library.phrase("b1") is not None
    monkeypatch.setattr(storage, "MAX_LIBRARY_FILE", size)
    assert not LibraryStore(paths).load().problems


def test_an_unreadable_file_is_broken(huashu_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_personal())
    real = storage.read_regular

    def refuse_alpha(path: Path, limit: int) -> bytes:
        if path.name == "alpha.toml":  # read first: the files after it still load
            raise PermissionError(errno.EACCES, "denied", str(path))
        return real(path, limit)

    monkeypatch.setattr(storage, "read_regular", refuse_alpha)
    store = LibraryStore(paths)
    result = store.load()
    assert store.broken_files == {"alpha.toml"} == result.broken_files
    assert [str(p) for p in result.problems] == [
        f"library/alpha.toml: cannot read: {os.strerror(errno.EACCES)}"
    ]
    assert result.library.phrase("a1") is None and result.library.phrase("b1") is not None


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
    assert store.needs_save is False


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
    assert {p.id for p in added} == {p.id for pack in packs for p in pack.phrases} - {first.id}
    assert lib.phrase(first.id).body == "我的内容"  # type: ignore[union-attr]
    assert first.id in _state(Paths(huashu_home))["offered"]


# -- built-in packs from a stand-in ``phrases`` folder ----------------------------------
FIRST = (
    '[[categories]]\nid = "first"\nname = "一"\n'
    '[[phrases]]\nid = "f1"\ntitle = "一"\nbody = "一的内容"\ncategory = "first"\n'
)
SECOND = """[pack]
name = "第二"
[[categories]]
id = "sec"
name = "二"
order = 5
[[categories]]
id = "sec-kid"
name = "二子"
parent = "sec"
[[phrases]]
id = "k1"
title = "子"
body = "子内容"
category = "sec-kid"
[[phrases]]
id = "n1"
title = "无"
body = "无类"
category = "nowhere"
[[phrases]]
id = "s2"
title = "二二"
body = "二二内容"
category = "sec"
hotkey = "ctrl+alt+5"
code = "AB"
[[phrases]]
id = "s3"
title = "二三"
body = "二三内容"
category = "sec"
hotkey = "ctrl+alt+5"
code = "ab"
[[categories]]
id = "third"
name = "三"
[[phrases]]
id = "t3"
title = "三"
body = "三的内容"
category = "third"
"""
LATER = (
    '[[categories]]\nid = "later"\nname = "后"\n'
    '[[phrases]]\nid = "l1"\ntitle = "后"\nbody = "后的内容"\ncategory = "later"\n'
)


@pytest.fixture
def fake_packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """A zipped ``phrases`` folder (as importlib.resources gives from a zip: entries that
    cannot be compared with each other, only by name)."""
    files = {
        "d-later.toml": LATER.encode(),
        "c-bad.toml": b'[[categories]]\nid = "bad"\nname = "\xb2\xbb"\n',
        "b-second.toml": SECOND.encode(),
        "notes.txt": b"not a pack",
        "a-first.toml": FIRST.encode(),
    }
    archive = tmp_path / "phrases.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name, data in files.items():  # not in name order
            z.writestr(f"phrases/{name}", data)
    root = zipfile.Path(archive, "phrases/")
    monkeypatch.setattr(storage, "data_files", lambda name: root)
    return files


def test_load_builtin_packs_reads_every_pack_in_name_order(fake_packs: dict[str, bytes]) -> None:
    packs, problems = load_builtin_packs()
    assert [(p.name, p.file) for p in packs] == [
        ("a-first.toml", "a-first.toml"),  # no [pack] name: the file name
        ("第二", "b-second.toml"),
        ("d-later.toml", "d-later.toml"),  # read after the broken one
    ]
    assert [p.id for p in packs[1].phrases] == ["k1", "n1", "s2", "s3", "t3"]
    assert [c.id for c in packs[1].categories] == ["sec", "sec-kid", "third"]
    assert [str(p) for p in problems] == [
        "phrases/b-second.toml: phrase 'n1': category 'nowhere' not found",
        "phrases/c-bad.toml:3: not valid UTF-8 text (byte 0xb2); save the file as UTF-8",
    ]


def test_the_packs_digest_follows_names_and_bytes_of_packs_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def digest(files: dict[str, bytes]) -> str:
        archive = tmp_path / f"p{len(list(tmp_path.iterdir()))}.zip"
        with zipfile.ZipFile(archive, "w") as z:
            for name, data in files.items():
                z.writestr(f"phrases/{name}", data)
        monkeypatch.setattr(storage, "data_files", lambda name: zipfile.Path(archive, "phrases/"))
        return builtin_packs_digest()

    base = digest({"a.toml": b"x = 1", "b.toml": b"y = 2"})
    assert len(base) == 32 and int(base, 16) >= 0
    assert digest({"b.toml": b"y = 2", "a.toml": b"x = 1"}) == base  # any listing order
    assert digest({"a.toml": b"x = 1", "b.toml": b"y = 2", "n.txt": b"z"}) == base
    assert digest({"a.toml": b"x = 1", "b.toml": b"y = 3"}) != base
    assert digest({"a.toml": b"x = 1", "c.toml": b"y = 2"}) != base
    assert digest({"a.toml": b"x = 1"}) != base


def test_seeding_from_packs_with_problems(
    fake_packs: dict[str, bytes], huashu_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    lib = store.load().library
    with caplog.at_level(logging.ERROR, logger="app.core.storage"):
        added = {p.id: p for p in store.seed_builtin(lib)}
    assert sorted(added) == ["f1", "k1", "l1", "s2", "s3", "t3"]  # n1 has no category
    assert lib.category("sec-kid").parent == "sec"  # type: ignore[union-attr]
    assert lib.category("sec").order == 5  # type: ignore[union-attr]
    assert lib.category("nowhere") is None
    # the second phrase with a taken hotkey or code (any case) gets none
    assert (added["s2"].hotkey, added["s2"].code) == ("ctrl+alt+5", "AB")
    assert (added["s3"].hotkey, added["s3"].code) == ("", "")
    assert (added["k1"].hotkey, added["k1"].code) == ("", "")
    assert [r.getMessage() for r in caplog.records] == [
        "built-in pack problem: phrases/b-second.toml: phrase 'n1': category 'nowhere' not found",
        "built-in pack problem: phrases/c-bad.toml:3: not valid UTF-8 text (byte 0xb2); "
        "save the file as UTF-8",
    ]
    state = _state(paths)
    assert state == {"offered": ["f1", "k1", "l1", "s2", "s3", "t3"], "packs_digest": ""}


def test_a_broken_library_file_holds_back_only_its_own_phrases(
    fake_packs: dict[str, bytes], huashu_home: Path
) -> None:
    paths = Paths(huashu_home)
    paths.library.mkdir(parents=True)
    (paths.library / "sec.toml").write_bytes(b"\xff")
    paths.builtin_state.write_text(tomli_w.dumps({"offered": ["f1"]}), "utf-8")
    store = LibraryStore(paths)
    lib = store.load().library
    added = [p.id for p in store.seed_builtin(lib)]
    assert added == ["t3", "l1"]  # f1 was offered before; k1, s2, s3 belong in sec.toml
    assert lib.category("sec") is None and lib.category("sec-kid") is None
    assert _state(paths) == {"offered": ["f1", "l1", "t3"], "packs_digest": ""}


def test_a_state_without_offered_ids_means_none_was_offered(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    paths.home.mkdir(parents=True)
    paths.builtin_state.write_text(tomli_w.dumps({"packs_digest": builtin_packs_digest()}), "utf-8")
    store = LibraryStore(paths)
    assert store.seed_builtin(store.load().library) == []  # same packs: nothing new


def test_an_oversized_state_file_is_damaged(
    huashu_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_personal())
    # a valid record, padded to one byte over the 10 MiB limit
    head = b'offered = []\npacks_digest = ""\n#'
    paths.builtin_state.write_bytes(head + b"x" * (10 * 1024 * 1024 + 1 - len(head) - 1) + b"\n")
    assert paths.builtin_state.stat().st_size == 10 * 1024 * 1024 + 1
    store = LibraryStore(paths)
    lib = store.load().library
    with caplog.at_level(logging.WARNING, logger="app.core.storage"):
        assert store.seed_builtin(lib) == []  # damaged record, library exists: nothing back
    messages = [r.getMessage() for r in caplog.records]
    assert messages[0] == (
        f"ignoring unreadable {paths.builtin_state}: "
        f"{too_big(10 * 1024 * 1024 + 1, 10 * 1024 * 1024)}"
    )
    assert messages[1] == f"rebuilt {paths.builtin_state}; no built-in phrase was re-added"
    packs, _ = load_builtin_packs()
    every = sorted(p.id for pack in packs for p in pack.phrases)
    assert _state(paths) == {"offered": every, "packs_digest": builtin_packs_digest()}


def test_a_state_whose_offered_is_not_a_list_of_ids_is_damaged(
    huashu_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_personal())
    paths.builtin_state.write_text(tomli_w.dumps({"offered": [1, 2]}), "utf-8")
    store = LibraryStore(paths)
    lib = store.load().library
    with caplog.at_level(logging.WARNING, logger="app.core.storage"):
        assert store.seed_builtin(lib) == []
    assert caplog.records[0].getMessage() == (
        f"ignoring {paths.builtin_state}: 'offered' is not a list of ids"
    )


# -- moves, merges, the parse cache ------------------------------------------------------
def test_a_move_into_a_new_subcategory_survives_a_crash_before_its_file(
    huashu_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    lib = _personal()
    store.save(lib)
    lib.add_category(Category("gamma", "丙", 3))
    lib.add_category(Category("gamma-kid", "丙子", 0, parent="gamma"))
    lib.add_category(Category("delta", "丁", 4))  # new too, with a child but no move
    lib.add_category(Category("delta-kid", "丁子", 0, parent="delta"))
    lib.update_phrase(lib.phrase("b1").copy(category="gamma-kid"))  # type: ignore[union-attr]
    real = storage.atomic_write_text

    def crash_on_library_files(path: Path, text: str) -> None:
        if path.suffix == ".toml":
            raise OSError("power cut")
        real(path, text)

    monkeypatch.setattr(storage, "atomic_write_text", crash_on_library_files)
    with pytest.raises(OSError, match="power cut"):
        store.save(lib)
    monkeypatch.setattr(storage, "atomic_write_text", real)
    journal = json.loads((paths.library / storage.JOURNAL).read_text("utf-8"))
    assert sorted(c["id"] for c in journal["categories"]) == ["gamma", "gamma-kid"]
    assert "丙子" in (paths.library / storage.JOURNAL).read_text("utf-8")
    fresh = LibraryStore(paths)
    got = fresh.load().library
    assert [p.category for p in got.phrases if p.id == "b1"] == ["gamma-kid"]
    assert got.category("gamma-kid").parent == "gamma"  # type: ignore[union-attr]
    assert got.category("delta") is None  # not part of the move
    assert fresh.needs_save


def test_a_journal_entry_whose_category_is_gone_does_not_stop_the_others(
    huashu_home: Path,
) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_personal())
    journal = {
        "categories": [],
        "phrases": [
            {"id": "a1", "title": "t", "body": "b", "category": "nowhere"},
            {"id": "b1", "title": "乙一", "body": "挪过", "category": "alpha"},
        ],
    }
    (paths.library / storage.JOURNAL).write_text(json.dumps(journal), "utf-8")
    lib = LibraryStore(paths).load().library
    assert [(p.category, p.body) for p in lib.phrases if p.id == "b1"] == [("alpha", "挪过")]
    assert [p.category for p in lib.phrases if p.id == "a1"] == ["alpha"]


def test_a_broken_journal_is_logged(huashu_home: Path, caplog: pytest.LogCaptureFixture) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_personal())
    (paths.library / storage.JOURNAL).write_text('{"categories": []}', "utf-8")
    with caplog.at_level(logging.WARNING, logger="app.core.storage"):
        LibraryStore(paths).load()
    assert [r.getMessage() for r in caplog.records] == [
        f"ignoring an unreadable move journal {paths.library / storage.JOURNAL}: 'phrases'"
    ]


def test_a_merge_takes_the_other_side_changes_to_categories(
    huashu_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_personal())
    app, cli = LibraryStore(paths), LibraryStore(paths)
    lib = app.load().library
    lib.add_category(Category("team", "团队", 0, source="sub-team"))
    lib.phrases.append(Phrase("t1", "团队", "团队内容", "team", source="sub-team"))
    other = cli.load().library
    other.category("beta").name = "乙改"  # type: ignore[union-attr]
    other.update_phrase(other.phrase("b1").copy(body="别处改的"))  # type: ignore[union-attr]
    cli.save(other)
    lib.add_phrase(Phrase("a2", "甲二", "我加的", "alpha"))
    with caplog.at_level(logging.INFO, logger="app.core.storage"):
        app.save(lib)
    assert app.external_merges == 1
    assert f"merged changes another process made to {paths.library}" in [
        r.getMessage() for r in caplog.records
    ]
    assert lib.category("beta").name == "乙改"  # type: ignore[union-attr]
    assert lib.phrase("b1").body == "别处改的"  # type: ignore[union-attr]
    assert sorted(c.id for c in lib.categories) == ["alpha", "alpha-kid", "beta", "team"]
    assert lib.phrase("t1") is not None and lib.phrase("a2") is not None
    fresh = LibraryStore(paths).load().library
    assert fresh.category("beta").name == "乙改"  # type: ignore[union-attr]
    assert {p.id for p in fresh.phrases} == {"a1", "k1", "b1", "a2"}
    # a second merge counts too, and tells the problems of what it read
    (paths.library / "zeta.toml").write_bytes(b"\xff")
    assert app.refresh(lib) is True
    assert app.external_merges == 2
    assert [p.file for p in app.last_problems] == ["library/zeta.toml"]


def test_a_library_file_with_a_pack_table_is_refused(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    paths.library.mkdir(parents=True)
    (paths.library / "x.toml").write_text(
        '[pack]\nname = "包"\n[[categories]]\nid = "x"\nname = "X"\n', "utf-8"
    )
    result = LibraryStore(paths).load()
    assert result.broken_files == {"x.toml"}
    assert [p.message for p in result.problems] == ["a library file must not have a [pack] table"]


def test_a_file_removed_before_the_cache_knew_it_is_flushed_cleanly(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    lib = _personal()
    store.save(lib)  # nothing on disk before: no load, the cache file is not read yet
    lib.remove_category("beta")
    store.save(lib)
    store.flush_cache()
    assert set(parsecache.cached_files(paths.parse_cache)) == {"alpha.toml"}


def test_a_file_that_does_not_parse_back_loses_its_cache_entry(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    lib = _personal()
    store.save(lib)
    store.flush_cache()
    assert "beta.toml" in parsecache.cached_files(paths.parse_cache)
    lib.phrase("b1").body = "一行\r\n二行"  # type: ignore[union-attr]  # TOML reads LF back
    store.save(lib)
    store.flush_cache()
    assert set(parsecache.cached_files(paths.parse_cache)) == {"alpha.toml"}


def test_backup_names_sort_by_time(huashu_home: Path) -> None:
    store = LibraryStore(Paths(huashu_home))
    store.save(_personal())
    done = store.backup("Import-2")
    assert done is not None
    assert re.fullmatch(r"\d{8}-\d{6}-\d{6}-Import-2", done.name), done.name


def test_rotation_goes_on_when_an_old_backup_cannot_be_removed(
    huashu_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows a backup folder open in Explorer cannot be deleted: the new backup is
    still taken (the old one is cleaned up by a later rotation)."""
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    store.save(_personal())
    for i in range(KEEP_BACKUPS):
        store.backup(f"n{i}")
    real = shutil.rmtree

    def in_use(path: Path, ignore_errors: bool = False, **kwargs: object) -> None:
        if not ignore_errors:
            raise PermissionError(errno.EACCES, "in use", str(path))

    monkeypatch.setattr(storage.shutil, "rmtree", in_use)
    assert store.backup("more") is not None
    assert len(store.list_backups()) == KEEP_BACKUPS
    monkeypatch.setattr(storage.shutil, "rmtree", real)
    store.backup("later")
    assert not list(paths.backups.glob(".trash-*"))


def test_an_os_error_without_errno_is_told_as_it_is(
    huashu_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_personal())

    def odd(path: Path, limit: int) -> bytes:
        raise OSError("the network drive went away")

    monkeypatch.setattr(storage, "read_regular", odd)
    result = LibraryStore(paths).load()
    assert sorted(str(p) for p in result.problems) == [
        "library/alpha.toml: cannot read: the network drive went away",
        "library/beta.toml: cannot read: the network drive went away",
    ]


def test_of_two_copies_changed_at_the_same_time_the_first_file_wins(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    paths.library.mkdir(parents=True)
    for name, title in (("a.toml", "甲的"), ("b.toml", "乙的")):
        (paths.library / name).write_text(
            f'[[categories]]\nid = "{name[0]}"\nname = "{name[0]}"\n'
            f'[[phrases]]\nid = "x"\ntitle = "{title}"\nbody = "b"\ncategory = "{name[0]}"\n'
            'updated = "2024-01-01T00:00:00+08:00"\n',
            "utf-8",
        )
    assert [p.title for p in LibraryStore(paths).load().library.phrases] == ["甲的"]


def test_the_journal_puts_a_moved_phrase_back_in_its_place(
    huashu_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    paths = Paths(huashu_home)
    lib = _personal()
    lib.add_phrase(Phrase("a3", "甲三", "甲三内容", "alpha"))
    LibraryStore(paths).save(lib)
    journal = {
        "categories": [],
        "phrases": [
            {"id": "a1", "title": "甲一", "body": "改过", "category": "alpha"},
            {"id": "lost", "title": "丢", "body": "没写进文件", "category": "alpha"},
        ],
    }
    (paths.library / storage.JOURNAL).write_text(json.dumps(journal), "utf-8")
    with caplog.at_level(logging.INFO, logger="app.core.storage"):
        got = LibraryStore(paths).load().library
    alpha = [(p.id, p.body) for p in got.phrases if p.category == "alpha"]
    assert alpha == [("a1", "改过"), ("a3", "甲三内容"), ("lost", "没写进文件")]
    assert "completed an interrupted move of 2 phrase(s)" in [
        r.getMessage() for r in caplog.records
    ]


def test_a_broken_file_read_first_does_not_stop_the_others(
    huashu_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_personal())
    (paths.library / "a0.toml").write_text('[[categories]]\nid = "a0"\n', "utf-8")  # no name
    with caplog.at_level(logging.WARNING, logger="app.core.storage"):
        result = LibraryStore(paths).load()
    assert result.broken_files == {"a0.toml"}
    assert {p.id for p in result.library.phrases} == {"a1", "k1", "b1"}
    assert [r.getMessage() for r in caplog.records] == [
        f"library problem: {p}" for p in result.problems
    ]
    assert len(caplog.records) == 1


def test_a_cache_that_cannot_be_written_is_only_logged(
    huashu_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_personal())
    paths.parse_cache.mkdir(parents=True)  # a folder where the cache file goes
    with caplog.at_level(logging.WARNING, logger="app.core.storage"):
        lib = LibraryStore(paths).load().library
    assert lib.phrase("b1") is not None
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1
    prefix = f"cannot write {paths.parse_cache}: "
    assert messages[0].startswith(prefix) and messages[0] != prefix + "None"


@pytest.mark.parametrize(
    "cache",
    ["[]", '{"version": 1, "files": []}', '{"version": 1}', '"text"'],
)
def test_a_cache_file_of_the_wrong_shape_is_ignored(huashu_home: Path, cache: str) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_personal())
    paths.parse_cache.write_text(cache, "utf-8")
    lib = LibraryStore(paths).load().library
    assert {p.id for p in lib.phrases} == {"a1", "k1", "b1"}


def test_the_refusal_to_save_over_broken_files_names_them_all(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_personal())
    (paths.library / "alpha.toml").write_bytes(b"\xff")
    (paths.library / "beta.toml").write_bytes(b"\xfe")
    store = LibraryStore(paths)
    lib = store.load().library
    lib.add_category(Category("beta", "乙", 2))
    lib.add_category(Category("alpha", "甲", 1))
    with pytest.raises(StorageError) as err:
        store.save(lib)
    assert str(err.value) == (
        "cannot save over a library file that failed to load: alpha.toml, beta.toml "
        "(fix or move that file first)"
    )


def test_a_file_that_loses_a_phrase_is_written_after_the_one_that_gains_it(
    huashu_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    lib = _personal()
    store.save(lib)
    order: list[str] = []
    real = storage.atomic_write_text

    def spy(path: Path, text: str) -> None:
        order.append(path.name)
        real(path, text)

    monkeypatch.setattr(storage, "atomic_write_text", spy)
    lib.update_phrase(lib.phrase("a1").copy(category="beta"))  # type: ignore[union-attr]
    store.save(lib)
    assert order == [storage.JOURNAL, "beta.toml", "alpha.toml"]


def test_a_save_clears_needs_save(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_personal())
    (paths.library / "copy.toml").write_text(
        '[[categories]]\nid = "copy"\nname = "副本"\n'
        '[[phrases]]\nid = "a1"\ntitle = "甲一"\nbody = "甲的内容"\ncategory = "copy"\n',
        "utf-8",
    )
    store = LibraryStore(paths)
    lib = store.load().library
    assert store.needs_save
    store.save(lib)
    assert store.needs_save is False


def test_ids_with_other_characters_get_a_short_distinct_safe_name(huashu_home: Path) -> None:
    store = LibraryStore(Paths(huashu_home))
    names = [store.file_for(cid) for cid in ("a b", "a/b", "a:b")]
    assert all(re.fullmatch(r"a_b-[0-9a-f]{6}\.toml", n) for n in names), names
    assert len(set(names)) == 3
    assert store.file_for("a b") == names[0]  # the same id, the same file


def test_only_trailing_spaces_are_ignored_in_device_names() -> None:
    assert storage.is_reserved_name("con  ")
    assert not storage.is_reserved_name("conX")


def test_a_new_store_has_nothing_pending(huashu_home: Path) -> None:
    store = LibraryStore(Paths(huashu_home))
    assert store.needs_save is False
    assert store.last_problems == []
    assert store.refresh(Library()) is False  # no library/ yet: nothing changed

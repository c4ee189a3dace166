from __future__ import annotations

from pathlib import Path

import pytest
import tomllib

from app.core.fsutil import Paths
from app.core.model import Category, Library, Phrase
from app.core.storage import LibraryStore, StorageError, load_builtin_packs
from app.core.workspace import Workspace


def _lib() -> Library:
    lib = Library()
    lib.add_category(Category("greeting", "欢迎语", 10))
    lib.add_category(Category("greeting-busy", "高峰期", 1, parent="greeting"))
    lib.add_category(Category("payment", "催付", 30))
    lib.add_phrase(Phrase("g1", "欢迎", "您好", "greeting", code="hy1"))
    lib.add_phrase(Phrase("g2", "忙时欢迎", "您好,稍等", "greeting-busy", code="hy2"))
    lib.add_phrase(Phrase("c1", "催付", "您好,请付款", "payment", code="cf1"))
    return lib


def test_save_load_round_trip_one_file_per_top_category(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    lib = _lib()
    store.save(lib)
    assert sorted(p.name for p in paths.library.glob("*.toml")) == ["greeting.toml", "payment.toml"]
    res = LibraryStore(paths).load()
    assert not res.problems
    assert {p.id for p in res.library.phrases} == {"g1", "g2", "c1"}
    assert res.library.category("greeting-busy").parent == "greeting"  # type: ignore[union-attr]


def test_save_writes_only_changed_files(huashu_home: Path) -> None:
    store = LibraryStore(Paths(huashu_home))
    lib = _lib()
    store.save(lib)
    p = lib.phrase("c1")
    assert p is not None
    lib.update_phrase(p.copy(body="新内容"))
    assert store.save(lib) == ["payment.toml"]
    assert store.save(lib) == []


def test_broken_file_does_not_block_others_and_is_never_overwritten(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    store.save(_lib())
    bad = paths.library / "payment.toml"
    bad.write_text('[[phrases]]\nid = "x"\ntitle = "未闭合\n', "utf-8")
    before = bad.read_bytes()
    store2 = LibraryStore(paths)
    res = store2.load()
    assert {p.id for p in res.library.phrases} == {"g1", "g2"}
    assert len(res.problems) == 1
    prob = res.problems[0]
    assert prob.file == "library/payment.toml" and prob.line == 3
    # Recreating the category whose file is broken must not write over it.
    res.library.add_category(Category("payment", "催付", 30))
    with pytest.raises(StorageError, match=r"payment\.toml"):
        store2.save(res.library)
    assert bad.read_bytes() == before
    # Other edits still save fine.
    res.library.remove_category("payment")
    store2.save(res.library)
    assert bad.read_bytes() == before


def test_non_utf8_file_reported(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_lib())
    (paths.library / "gbk.toml").write_bytes('[[categories]]\nid="x"\nname="物流"\n'.encode("gbk"))
    res = LibraryStore(paths).load()
    assert any(p.file == "library/gbk.toml" and "UTF-8" in p.message for p in res.problems)
    assert len(res.library.phrases) == 3


def test_backup_rotates(huashu_home: Path) -> None:
    store = LibraryStore(Paths(huashu_home))
    store.save(_lib())
    for _ in range(25):
        store.backup("delete")
    backups = store.list_backups()
    assert len(backups) == 20
    assert (backups[-1] / "payment.toml").exists()


def test_builtin_packs_are_valid() -> None:
    packs, problems = load_builtin_packs()
    assert problems == []
    assert len(packs) >= 5


def test_first_run_seeds_then_never_overwrites_edits(huashu_home: Path) -> None:
    ws = Workspace.open()
    n = len(ws.library.phrases)
    assert n >= 80
    first = ws.library.phrases[0]
    ws.library.update_phrase(first.copy(body="我改过的内容"))
    removed = ws.library.phrases[1].id
    ws.library.remove_phrase(removed)
    ws.save_library()
    ws.close()
    ws2 = Workspace.open()
    p = ws2.library.phrase(first.id)
    assert p is not None and p.body == "我改过的内容"
    assert ws2.library.phrase(removed) is None  # a deleted built-in does not come back
    assert len(ws2.library.phrases) == n - 1
    ws2.close()


def test_new_builtin_phrase_arrives_as_new(huashu_home: Path) -> None:
    import tomli_w

    ws = Workspace.open()
    some = ws.library.phrases[0].id
    ws.library.remove_phrase(some)
    ws.save_library()
    ws.close()
    # Pretend a Huashu update shipped `some` as a new built-in: it was never offered and
    # the packs' digest differs from the one recorded.
    state_path = Paths(huashu_home).builtin_state
    state = tomllib.loads(state_path.read_text("utf-8"))
    assert state["packs_digest"]
    state["offered"].remove(some)
    unchanged = dict(state)
    state_path.write_text(tomli_w.dumps(unchanged), "utf-8")
    ws2 = Workspace.open()
    assert ws2.library.phrase(some) is None  # same packs (same digest): nothing re-parsed
    ws2.close()
    state["packs_digest"] = "from-an-older-version"
    state_path.write_text(tomli_w.dumps(state), "utf-8")
    ws3 = Workspace.open()
    assert ws3.library.phrase(some) is not None
    ws3.close()


def test_a_returning_builtin_does_not_take_a_hotkey_in_another_spelling(
    huashu_home: Path,
) -> None:
    import tomli_w

    ws = Workspace.open()
    bound = next(p for p in ws.library.phrases if p.hotkey)
    key = bound.hotkey
    mods, last = key.rsplit("+", 1)
    respelled = "+".join(reversed(mods.split("+"))) + "+" + last.upper()  # alt+ctrl+1 style
    assert respelled != key
    other = next(p for p in ws.library.phrases if not p.hotkey)
    ws.library.remove_phrase(bound.id)
    ws.library.update_phrase(other.copy(hotkey=respelled))
    ws.save_library()
    ws.close()
    state_path = Paths(huashu_home).builtin_state
    state = tomllib.loads(state_path.read_text("utf-8"))
    state["offered"].remove(bound.id)
    state["packs_digest"] = "from-an-older-version"
    state_path.write_text(tomli_w.dumps(state), "utf-8")
    ws2 = Workspace.open()
    back = ws2.library.phrase(bound.id)
    assert back is not None and back.hotkey == ""  # the agent's binding keeps the key
    mine = ws2.library.phrase(other.id)
    assert mine is not None and mine.hotkey == respelled
    ws2.close()


def test_delete_takes_a_backup(huashu_home: Path) -> None:
    ws = Workspace.open()
    pid = ws.library.phrases[0].id
    ws.delete_phrases([pid])
    backups = ws.store.list_backups()
    assert len(backups) == 1
    assert pid in "".join(p.read_text("utf-8") for p in backups[0].glob("*.toml"))
    ws.close()


def test_parse_cache_gives_the_same_library_and_follows_edits(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_lib())
    first = LibraryStore(paths).load().library
    assert paths.parse_cache.exists()
    cached = LibraryStore(paths).load().library
    assert cached == first
    # An edit by hand (same file name) is seen: the cache is keyed by the file's bytes.
    f = paths.library / "payment.toml"
    f.write_text(f.read_text("utf-8").replace("您好,请付款", "手改的内容"), "utf-8")
    edited = LibraryStore(paths).load().library
    assert edited.phrase("c1").body == "手改的内容"  # type: ignore[union-attr]
    # A broken cache is ignored, never trusted.
    paths.parse_cache.write_text("{not json", "utf-8")
    assert LibraryStore(paths).load().library == edited


def test_hand_edited_file_is_not_rewritten_by_an_unrelated_save(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    LibraryStore(paths).save(_lib())
    greeting = paths.library / "greeting.toml"
    edited = "# 我的备注: 节日前更新\n" + greeting.read_text("utf-8")
    greeting.write_text(edited, "utf-8")
    store = LibraryStore(paths)
    lib = store.load().library
    p = lib.phrase("c1")
    assert p is not None
    lib.update_phrase(p.copy(body="改了催付"))
    assert store.save(lib) == ["payment.toml"]
    assert greeting.read_text("utf-8") == edited
    # Editing a phrase of that file does rewrite it (as TOML Huashu writes).
    g = lib.phrase("g1")
    assert g is not None
    lib.update_phrase(g.copy(body="新的欢迎"))
    assert store.save(lib) == ["greeting.toml"]


def test_category_ids_differing_in_case_get_distinct_files(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    lib = _lib()
    lib.add_category(Category("Greeting", "大写分类", 5))
    lib.add_phrase(Phrase("u1", "大写", "内容", "Greeting"))
    store = LibraryStore(paths)
    store.save(lib)
    names = sorted(p.name.lower() for p in paths.library.glob("*.toml"))
    assert len(names) == len(set(names)) == 3  # no two names equal ignoring case
    assert {p.id for p in LibraryStore(paths).load().library.phrases} == {"g1", "g2", "c1", "u1"}


def test_deleted_builtin_category_stays_deleted_after_an_update(huashu_home: Path) -> None:
    import tomli_w

    ws = Workspace.open()
    ws.library.remove_category("logistics")
    ws.save_library()
    ws.close()
    state_path = Paths(huashu_home).builtin_state
    state = tomllib.loads(state_path.read_text("utf-8"))
    state["packs_digest"] = "from-an-older-version"  # a Huashu update changed the packs
    state_path.write_text(tomli_w.dumps(state), "utf-8")
    ws2 = Workspace.open()
    assert ws2.library.category("logistics") is None
    assert not (Paths(huashu_home).library / "logistics.toml").exists()
    ws2.close()


def test_phrases_come_in_category_order_first_run_and_after(huashu_home: Path) -> None:
    for _ in range(2):  # first run (seeded) and a later run (loaded from files)
        ws = Workspace.open()
        roots = [ws.library.root_of(p.category) for p in ws.library.phrases]
        assert roots[0] == "greeting" and roots[-1] == "aftersales"
        order = {c.id: c.order for c in ws.library.top_categories()}
        assert [order[r] for r in roots] == sorted(order[r] for r in roots)
        ws.close()

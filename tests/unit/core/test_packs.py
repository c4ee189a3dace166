"""Huashu packs: validation with limits, export, import preview/apply, backup and undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core import storage
from app.core.fsutil import Paths
from app.core.importing import apply_import, undo_import
from app.core.model import Category, Library, Phrase
from app.core.packs import (
    MAX_PHRASES,
    Pack,
    PackError,
    PackMeta,
    build_pack,
    dump_pack,
    export_pack,
    parse_pack_text,
    plan_import,
    preview_import,
    read_pack,
    unique_code,
)
from app.core.workspace import Workspace

HEAD = '[pack]\nformat = 1\nname = "团队"\n\n'


def _lib() -> Library:
    lib = Library()
    lib.add_category(Category("greeting", "欢迎语", 10))
    lib.add_category(Category("greeting-busy", "高峰期", 1, parent="greeting"))
    lib.add_category(Category("payment", "催付", 30))
    lib.add_phrase(
        Phrase(
            "g1",
            "欢迎",
            "您好\n\t欢迎",
            "greeting",
            code="hy1",
            hotkey="ctrl+alt+1",
            tags=["欢迎", "开场"],
        )
    )
    lib.add_phrase(Phrase("g2", "忙时欢迎", "您好,稍等", "greeting-busy", code="hy2"))
    lib.add_phrase(Phrase("c1", "催付", "您好,请付款", "payment", code="cf1"))
    return lib


def _ws(home: Path, lib: Library | None = None) -> Workspace:
    ws = Workspace.open(Paths(home), seed=False)
    if lib is not None:
        ws.library = lib
        ws.save_library()
    return ws


def _snapshot(home: Path) -> dict[str, bytes]:
    d = home / "library"
    return {p.name: p.read_bytes() for p in sorted(d.glob("*.toml"))} if d.is_dir() else {}


def _problems(text: str) -> list[str]:
    with pytest.raises(PackError) as info:
        parse_pack_text(text, "t.toml")
    return [str(p) for p in info.value.problems]


def _key(lib: Library) -> tuple[object, object]:
    cats = sorted((c.id, c.name, c.order, c.parent, c.source) for c in lib.categories)
    phrases = sorted(
        (
            p.id,
            p.title,
            p.body,
            p.category,
            p.code,
            p.hotkey,
            tuple(p.tags),
            p.created,
            p.updated,
            p.source,
        )
        for p in lib.phrases
    )
    return cats, phrases


# -- round trip ----------------------------------------------------------------------------
def test_round_trip_library_to_pack_to_fresh_library_is_equal(tmp_path: Path) -> None:
    src = Workspace.open(Paths(tmp_path / "a"))  # the built-in packs: 100+ phrases
    assert len(src.library.phrases) > 50
    pack_file = tmp_path / "all.toml"
    export_pack(src.library, pack_file, PackMeta("全部", version="1.0.0", author="阿华"))
    pack = read_pack(pack_file)
    assert pack.meta.name == "全部" and pack.meta.author == "阿华"

    dst = Workspace.open(Paths(tmp_path / "b"), seed=False)
    preview = preview_import(dst.library, pack)
    assert preview.totals.new == len(src.library.phrases)
    res = apply_import(dst, preview, accept_hotkeys=True)
    assert res.added == len(src.library.phrases)
    assert _key(dst.library) == _key(src.library)
    # ... and on disk.
    again = Workspace.open(Paths(tmp_path / "b"), seed=False)
    assert _key(again.library) == _key(src.library)
    # Importing the same pack again changes nothing.
    assert preview_import(again.library, read_pack(pack_file)).totals.identical == len(
        src.library.phrases
    )


def test_export_chosen_categories(tmp_path: Path) -> None:
    lib = _lib()
    pack = build_pack(lib, PackMeta("x"), ["高峰期"])
    # The child's parent entry comes along so the pack stays valid; only the child's phrases.
    assert [c.id for c in pack.categories] == ["greeting", "greeting-busy"]
    assert [p.id for p in pack.phrases] == ["g2"]
    assert [p.id for p in build_pack(lib, PackMeta("x"), ["greeting"]).phrases] == ["g1", "g2"]
    parse_pack_text(dump_pack(pack), "x.toml")
    with pytest.raises(KeyError):
        build_pack(lib, PackMeta("x"), ["nope"])


def test_export_leaves_out_subscription_entries() -> None:
    lib = _lib()
    lib.categories.append(Category("sub-t", "团队", 1, source="团队"))
    lib.phrases.append(Phrase("sub-t-1", "团队话术", "x", "sub-t", source="团队"))
    pack = build_pack(lib, PackMeta("x"))
    assert "sub-t" not in {c.id for c in pack.categories}
    assert "sub-t-1" not in {p.id for p in pack.phrases}


# -- validation ----------------------------------------------------------------------------
def test_every_problem_is_reported_with_line() -> None:
    text = (
        HEAD
        + (
            '[[categories]]\nid = "a"\nname = "A"\n\n'  # line 5
            '[[phrases]]\nid = "p1"\ntitle = "标题"\nbody = 3\ncategory = "a"\n\n'  # line 9
            '[[phrases]]\nid = "p2"\ntitle = "x\\u0007"\nbody = "b"\ncategory = "a"\n\n'  # 15
            '[[phrases]]\nid = "p3"\ntitle = "t"\nbody = "b"\ncategory = "a"\n'  # 21
            'code = "' + "c" * 33 + '"\n\n'
            '[[phrases]]\nid = "p4"\ntitle = "t"\nbody = "b"\ncategory = "missing"\n\n'  # 28
            '[[phrases]]\nid = "p4"\ntitle = "t2"\nbody = "b"\ncategory = "a"\n'  # 34
        )
    )
    probs = _problems(text)
    assert any(p.startswith("t.toml:9:") and "'body' must be text" in p for p in probs), probs
    assert any(p.startswith("t.toml:15:") and "U+0007" in p for p in probs), probs
    assert any(p.startswith("t.toml:21:") and "limit is 32" in p for p in probs), probs
    assert any(p.startswith("t.toml:28:") and "'missing' not found" in p for p in probs), probs
    assert any(p.startswith("t.toml:34:") and "appears twice" in p for p in probs), probs


def test_newer_format_is_refused_clearly() -> None:
    (msg,) = _problems('[pack]\nformat = 2\nname = "x"\n')
    assert "format 2 is newer" in msg and "update Huashu" in msg


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('[[phrases]]\nid = "a"\n', "[pack] table"),
        ("pack = 3\n", "must be a table"),
        ('[pack]\nname = "x"\n', "no 'format'"),
        ('[pack]\nformat = "1"\nname = "x"\n', "whole number"),
        ("[pack]\nformat = 1\n", "needs a 'name'"),
        ('categories = "x"\n' + HEAD, "array of tables"),
        ("phrases = [1, 2]\n" + HEAD, "must be a table"),
        (
            HEAD + '[[phrases]]\nid = "a"\ntitle = "t"\nbody = "b"\ncategory = "c"\ntags = "x"\n',
            "'tags' must be a list",
        ),
        ('[pack]\nformat = 1\nname = "x"\n[[phrases]\n', "invalid TOML"),
    ],
)
def test_wrong_shapes_and_types(text: str, needle: str) -> None:
    probs = _problems(text)
    assert any(needle in p for p in probs), probs


def test_limits_on_field_lengths_and_control_characters() -> None:
    cat = '[[categories]]\nid = "a"\nname = "A"\n'
    ok_body = "您" * 9_998 + "\\t\\n"  # tab and newline allowed; 10,000 characters
    pack = parse_pack_text(
        HEAD + cat + f'[[phrases]]\nid = "p"\ntitle = "{"标" * 200}"\nbody = "{ok_body}"\n'
        'category = "a"\n',
        "ok.toml",
    )
    assert len(pack.phrases[0].body) == 10_000
    ok_body = "您" * 10_000
    probs = _problems(
        HEAD + cat + f'[[phrases]]\nid = "p"\ntitle = "{"标" * 201}"\nbody = "{ok_body}x"\n'
        'category = "a"\n'
    )
    assert sum("limit is" in p for p in probs) == 2, probs
    assert _problems(
        HEAD + cat + '[[phrases]]\nid = "p"\ntitle = "a\\nb"\nbody = "b"\ncategory = "a"\n'
    )
    assert _problems(
        HEAD + cat + '[[phrases]]\nid = "p"\ntitle = "t"\nbody = "a\\u0000b"\ncategory = "a"\n'
    )
    assert _problems(
        HEAD + cat + '[[phrases]]\nid = "p"\ntitle = "t"\nbody = "a\\rb"\ncategory = "a"\n'
    )


def test_crlf_file_is_read_and_body_newlines_are_plain() -> None:
    text = (
        HEAD + '[[categories]]\nid = "a"\nname = "A"\n[[phrases]]\nid = "p"\n'
        'title = "t"\nbody = """第一行\n第二行"""\ncategory = "a"\n'
    ).replace("\n", "\r\n")
    pack = parse_pack_text(text, "crlf.toml")
    assert pack.phrases[0].body == "第一行\n第二行"


def test_phrase_count_limit() -> None:
    one = '[[phrases]]\nid = "p{i}"\ntitle = "t"\nbody = "b"\ncategory = "a"\n'
    text = (
        HEAD
        + '[[categories]]\nid = "a"\nname = "A"\n'
        + "".join(one.format(i=i) for i in range(MAX_PHRASES + 1))
    )
    (msg,) = _problems(text)
    assert f"the limit is {MAX_PHRASES}" in msg


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    with open(big, "wb") as f:
        f.truncate(1 << 30)  # sparse: claims 1 GB, costs nothing
    with pytest.raises(PackError) as info:
        read_pack(big)  # refused from its size, before reading (timed in tests/bench)
    assert "1024.0 MB; the limit is 10 MB" in str(info.value)


def test_binary_junk_and_bad_utf8(tmp_path: Path) -> None:
    junk = tmp_path / "junk.toml"
    junk.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(PackError, match="binary"):
        read_pack(junk)
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes(('[pack]\nformat = 1\nname = "x"\n\n# 注释\n').encode("gbk"))
    with pytest.raises(PackError, match="UTF-8") as info:
        read_pack(gbk)
    assert info.value.problems[0].line == 5


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "[" * 2000 + "]" * 2000,
        "x = " + "{a = " * 2000 + "1" + "}" * 2000,
        "[" + ".".join(["a"] * 50_000) + "]\nb = 1\n",
        HEAD + "a" + ".a" * 40 + " = 1\n",
    ],
)
def test_deep_nesting_is_refused_quickly(text: str) -> None:
    probs = _problems(HEAD + text if not text.startswith("[pack]") else text)
    assert any("nested too deeply" in p for p in probs), probs


def test_truncated_pack(tmp_path: Path) -> None:
    text = dump_pack(build_pack(_lib(), PackMeta("x")))
    cut = text[: text.index("您好,请付款") + 2]
    probs = _problems(cut)
    assert probs and "invalid TOML" in probs[0]


# -- preview -------------------------------------------------------------------------------
def _pack(*phrases: Phrase, cats: list[Category] | None = None) -> Pack:
    return Pack(PackMeta("团队"), cats or [Category("payment", "催付", 30)], list(phrases), "t")


def test_preview_counts_new_identical_changed_conflict_per_category() -> None:
    lib = _lib()
    pack = _pack(
        Phrase("c1", "催付", "您好,请付款", "payment", code="cf1"),  # identical
        Phrase("c2", "催付2", "新的", "payment", code="cf2"),  # new
        Phrase("g1", "欢迎", "改过的欢迎", "greeting", code="hy1"),  # changed (same id)
        Phrase("x9", "别的", "另一句", "payment", code="HY2"),  # conflict (code of g2)
        cats=[Category("payment", "催付", 30), Category("greeting", "欢迎语", 10)],
    )
    before = _key(lib)
    pv = preview_import(lib, pack)
    assert _key(lib) == before  # preview changes nothing
    counts = pv.counts()
    assert (counts["催付"].new, counts["催付"].identical, counts["催付"].conflict) == (1, 1, 1)
    assert counts["欢迎语"].changed == 1
    t = pv.totals
    assert (t.new, t.identical, t.changed, t.conflict) == (1, 1, 1, 1)
    assert pv.new_categories == []


def test_categories_map_by_name_or_are_created() -> None:
    lib = _lib()
    pack = _pack(
        Phrase("n1", "a", "b", "pay2"),
        Phrase("n2", "a", "c", "fresh-child"),
        cats=[
            Category("pay2", "催付", 1),  # same name as existing 'payment'
            Category("fresh-child", "新子类", 1, parent="pay2"),
        ],
    )
    pv = preview_import(lib, pack)
    assert pv.category_map["pay2"] == "payment"
    assert [(c.id, c.parent) for c in pv.new_categories] == [("fresh-child", "payment")]
    new_lib, res = plan_import(lib, pv)
    assert res.categories_created == 1
    assert new_lib.phrase("n2").category == "fresh-child"  # type: ignore[union-attr]


@pytest.mark.parametrize("policy", ["skip", "replace", "keep-both"])
def test_conflict_policies(policy: str) -> None:
    lib = _lib()
    pack = _pack(
        Phrase("c1", "催付新", "新内容", "payment", code="cf1"),  # changed
        Phrase("zz", "冲突", "另一句", "payment", code="cf1"),  # conflict with c1's code
    )
    pv = preview_import(lib, pack)
    assert [i.status for i in pv.items] == ["changed", "conflict"]
    new, res = plan_import(lib, pv, policy)
    bodies = sorted(p.body for p in new.phrases if p.category == "payment")
    if policy == "skip":
        assert res.skipped == 2 and bodies == ["您好,请付款"]
    elif policy == "replace":
        # The first replaces c1 (same id kept); the second also targets c1, so it is kept
        # beside it instead of being silently dropped.
        assert res.replaced == 1 and res.kept_both == 1
        c1 = new.phrase("c1")
        assert c1 is not None and c1.body == "新内容"
        assert bodies == ["另一句", "新内容"]
        assert len(new.phrases) == len(lib.phrases) + 1
    else:
        assert res.kept_both == 2
        assert bodies == ["另一句", "您好,请付款", "新内容"]
        codes = sorted(p.code for p in new.phrases if p.category == "payment")
        assert codes == ["cf1", "cf1-2", "cf1-3"]
        assert new.phrase("zz") is None  # keep both gives a new id
        assert ("cf1", "cf1-2") in res.codes_renamed


def test_unique_code() -> None:
    assert unique_code("cf1", {"cf1", "cf1-2"}) == "cf1-3"
    assert unique_code("cf9", {"cf1"}) == "cf9"
    assert len(unique_code("x" * 32, {"x" * 32})) <= 32


def test_hotkeys_only_bound_when_accepted_and_never_over_existing() -> None:
    lib = _lib()
    pack = _pack(
        Phrase("h1", "a", "一", "payment", hotkey="ctrl+alt+1"),  # taken by g1
        Phrase("h2", "b", "二", "payment", hotkey="ctrl+alt+2"),
    )
    new, res = plan_import(lib, preview_import(lib, pack))
    assert new.phrase("h2").hotkey == ""  # type: ignore[union-attr]
    assert sorted(res.hotkeys_dropped) == ["ctrl+alt+1", "ctrl+alt+2"]
    new, res = plan_import(lib, preview_import(lib, pack), accept_hotkeys=True)
    assert new.phrase("h1").hotkey == ""  # type: ignore[union-attr]
    assert new.phrase("h2").hotkey == "ctrl+alt+2"  # type: ignore[union-attr]
    assert new.phrase("g1").hotkey == "ctrl+alt+1"  # type: ignore[union-attr]
    new, _ = plan_import(
        lib, preview_import(lib, pack), accept_hotkeys=True, reserved_hotkeys=["Ctrl+Alt+2"]
    )
    assert new.phrase("h2").hotkey == ""  # type: ignore[union-attr]
    # the same combination spelled another way is the same hotkey
    spelled = _pack(Phrase("h3", "c", "三", "payment", hotkey="Alt + Ctrl+1"))
    new, res = plan_import(lib, preview_import(lib, spelled), accept_hotkeys=True)
    assert new.phrase("h3").hotkey == ""  # type: ignore[union-attr]
    assert res.hotkeys_dropped == ["Alt + Ctrl+1"]
    new, _ = plan_import(
        lib, preview_import(lib, pack), accept_hotkeys=True, reserved_hotkeys=["alt+ctrl+2"]
    )
    assert new.phrase("h2").hotkey == ""  # type: ignore[union-attr]


def test_replace_keeps_existing_hotkey_unless_accepted() -> None:
    lib = _lib()
    pack = _pack(
        Phrase("g1", "欢迎", "新欢迎", "greeting", code="hy1", hotkey="ctrl+alt+9"),
        cats=[Category("greeting", "欢迎语", 10)],
    )
    new, _ = plan_import(lib, preview_import(lib, pack), "replace")
    assert new.phrase("g1").hotkey == "ctrl+alt+1"  # type: ignore[union-attr]
    new, _ = plan_import(lib, preview_import(lib, pack), "replace", accept_hotkeys=True)
    assert new.phrase("g1").hotkey == "ctrl+alt+9"  # type: ignore[union-attr]


# -- apply, backup, failure, undo -------------------------------------------------------
def test_apply_takes_backup_and_undo_restores_byte_identical(huashu_home: Path) -> None:
    ws = _ws(huashu_home, _lib())
    before = _snapshot(huashu_home)
    pack = _pack(
        Phrase("c1", "x", "改了", "payment", code="cf1"), Phrase("n", "n", "新", "payment")
    )
    res = apply_import(ws, preview_import(ws.library, pack), "replace")
    assert res.backup is not None and res.backup.is_dir()
    assert res.added == 1 and res.replaced == 1
    assert _snapshot(huashu_home) != before
    assert Workspace.open(Paths(huashu_home), seed=False).library.phrase("n") is not None
    undo_import(ws, res.backup)
    assert _snapshot(huashu_home) == before
    assert ws.library.phrase("n") is None
    with pytest.raises(storage.StorageError):
        undo_import(ws, huashu_home)  # not a backup


def test_failed_write_leaves_library_exactly_as_it_was(
    huashu_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _ws(huashu_home, _lib())
    before = _snapshot(huashu_home)
    real = storage.atomic_write_text
    calls = []

    def flaky(path: Path, text: str) -> None:
        if path.suffix != ".toml":  # the parse cache is not library data
            real(path, text)
            return
        calls.append(path.name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(path, text)

    monkeypatch.setattr(storage, "atomic_write_text", flaky)
    pack = _pack(
        Phrase("n1", "a", "新1", "payment"),
        Phrase("n2", "b", "新2", "greeting"),
        Phrase("n3", "c", "新3", "brand-new"),
        cats=[
            Category("payment", "催付"),
            Category("greeting", "欢迎语"),
            Category("brand-new", "新分类"),
        ],
    )
    pv = preview_import(ws.library, pack)
    with pytest.raises(OSError, match="No space"):
        apply_import(ws, pv)
    assert len(calls) == 2  # the first file was written, then restored
    monkeypatch.setattr(storage, "atomic_write_text", real)
    assert _snapshot(huashu_home) == before
    assert ws.library.phrase("n1") is None
    # The store's memory of the disk is right again: a later save writes nothing.
    assert ws.store.save(ws.library) == []


def test_import_into_empty_library_failure_removes_new_files(
    huashu_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _ws(huashu_home)
    real = storage.atomic_write_text
    n = []

    def flaky(path: Path, text: str) -> None:
        n.append(1)
        if len(n) == 2:
            raise KeyboardInterrupt
        real(path, text)

    monkeypatch.setattr(storage, "atomic_write_text", flaky)
    pack = _pack(
        Phrase("a", "a", "1", "x"),
        Phrase("b", "b", "2", "y"),
        cats=[Category("x", "X"), Category("y", "Y")],
    )
    with pytest.raises(KeyboardInterrupt):
        apply_import(ws, preview_import(ws.library, pack))
    assert _snapshot(huashu_home) == {}


def test_import_refuses_to_write_over_a_broken_library_file(huashu_home: Path) -> None:
    ws = _ws(huashu_home, _lib())
    (huashu_home / "library" / "x.toml").write_text("broken = [", "utf-8")
    ws = _ws(huashu_home)
    before = _snapshot(huashu_home)
    pack = _pack(Phrase("a", "a", "1", "x"), cats=[Category("x", "X")])
    with pytest.raises(storage.StorageError, match="failed to load"):
        apply_import(ws, preview_import(ws.library, pack))
    assert _snapshot(huashu_home) == before


def test_the_documented_example_is_a_valid_pack() -> None:
    doc = Path(__file__).parents[3] / "docs" / "pack-format.md"
    text = doc.read_text("utf-8")
    example = text.split("```toml\n", 1)[1].split("```", 1)[0]
    pack = parse_pack_text(example, "pack-format.md")
    assert pack.meta.created == "2026-11-23" and len(pack.phrases) == 2
    assert pack.phrases[0].body.count("\n") == 1


def test_undo_import_works_when_its_backup_is_the_oldest_kept(huashu_home: Path) -> None:
    """Undo takes a backup first; that rotation must not lose the import's backup."""
    from app.core.storage import KEEP_BACKUPS

    ws = _ws(huashu_home, _lib())
    before = _snapshot(huashu_home)
    pack = _pack(Phrase("n1", "新", "新内容", "payment"))
    res = apply_import(ws, preview_import(ws.library, pack))
    assert res.backup is not None
    for _ in range(KEEP_BACKUPS - 1):
        ws.store.backup("move")
    assert ws.store.list_backups()[0] == res.backup
    undo_import(ws, res.backup)
    assert _snapshot(huashu_home) == before
    assert ws.library.phrase("n1") is None and ws.library.phrases


def test_replace_never_drops_a_second_phrase_aimed_at_the_same_one(huashu_home: Path) -> None:
    ws = _ws(huashu_home, _lib())
    ex = next(p for p in ws.library.phrases if p.code)
    cat = ws.library.category(ex.category)
    assert cat is not None
    pack = _pack(
        Phrase("n1", "v1", "内容一", ex.category, code=ex.code),
        Phrase("n2", "v2", "内容二", ex.category, code=ex.code),
        cats=[Category(cat.id, cat.name)],
    )
    res = apply_import(ws, preview_import(ws.library, pack), "replace")
    bodies = {p.body for p in ws.library.phrases}
    assert {"内容一", "内容二"} <= bodies
    assert res.replaced == 1 and res.kept_both == 1


def test_unreadable_file_is_reported_in_the_c_library_words(tmp_path: Path) -> None:
    """Windows' os.stat says "The system cannot find the file specified"; we say errno's."""
    from app.core.packs import os_reason, read_limited

    with pytest.raises(PackError) as caught:
        read_limited(tmp_path / "missing.toml", "missing.toml")
    assert [p.message for p in caught.value.problems] == ["cannot read: No such file or directory"]
    assert os_reason(FileNotFoundError(2, "The system cannot find the file specified")) == (
        "No such file or directory"
    )
    assert os_reason(OSError("no errno at all")) == "no errno at all"

"""The parse cache follows saves: a start after seeding or importing does not parse again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app.core.storage as storage
from app.core.document import dump_document, parse_document
from app.core.fsutil import Paths
from app.core.model import Category, Library, Phrase
from app.core.parsecache import CachedFile, cached_files
from app.core.storage import LIBRARY_SCHEMA, LibraryStore, _parses_back
from app.core.workspace import Workspace


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    real = storage.parse_document

    def counting(text: str, source: str, **kw: Any) -> Any:
        parsed.append(source)
        return real(text, source, **kw)

    monkeypatch.setattr(storage, "parse_document", counting)
    return parsed


def _lib() -> Library:
    lib = Library()
    lib.add_category(Category("greeting", "欢迎语", 10))
    lib.add_category(Category("greeting-busy", "高峰期", 1, parent="greeting"))
    lib.add_category(Category("payment", "催付", 30))
    lib.add_phrase(Phrase("g1", "欢迎", "您好\n请问", "greeting", code="hy1", tags=["a"]))
    lib.add_phrase(Phrase("g2", "忙时", "您好,稍等", "greeting-busy", examples=["在吗"]))
    lib.add_phrase(Phrase("c1", "催付", "您好,请付款", "payment", hotkey="ctrl+alt+3"))
    return lib


def _cache_files(paths: Paths) -> dict[str, CachedFile]:
    return cached_files(paths.parse_cache)


def test_second_open_after_seeding_parses_nothing(
    huashu_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Workspace.open()
    assert first.library.phrases  # seeded from the built-in packs
    # Written at once, not only at close: a start after a crash is warm too.
    paths = Paths(huashu_home)
    assert set(_cache_files(paths)) == {f.name for f in paths.library.glob("*.toml")}
    first.close()
    parsed = _count_parses(monkeypatch)
    second = Workspace.open()
    assert parsed == []
    assert second.library == first.library
    second.close()


def test_open_after_a_save_parses_only_what_the_cache_cannot_vouch_for(
    huashu_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = Paths(huashu_home)
    lib = _lib()
    # A CR LF in a body reads back as LF: that file must be parsed, not cached.
    lib.phrases.append(Phrase("c2", "换行", "第一行\r\n第二行", "payment"))
    store = LibraryStore(paths)
    store.save(lib)
    store.flush_cache()
    assert set(_cache_files(paths)) == {"greeting.toml"}
    parsed = _count_parses(monkeypatch)
    loaded = LibraryStore(paths).load().library
    assert parsed == ["library/payment.toml"]
    assert loaded.phrase("c2").body == "第一行\n第二行"  # type: ignore[union-attr]
    # And a load without any cache gives the same library.
    paths.parse_cache.unlink()
    assert LibraryStore(paths).load().library == loaded


def test_save_keeps_other_entries_and_drops_deleted_files(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    lib = _lib()
    first = LibraryStore(paths)
    first.save(lib)
    first.flush_cache()
    before = _cache_files(paths)
    assert set(before) == {"greeting.toml", "payment.toml"}
    # A store that never loaded changes one file: the other entry stays.
    lib.phrase("c1").body = "改过"  # type: ignore[union-attr]
    store = LibraryStore(paths)
    store.save(lib)
    store.flush_cache()
    after = _cache_files(paths)
    assert after["greeting.toml"] == before["greeting.toml"]
    assert after["payment.toml"] != before["payment.toml"]
    assert after["payment.toml"].phrases[0].body == "改过"
    # Deleting a category's file drops its entry.
    lib = store.load().library
    lib.categories = [c for c in lib.categories if c.id != "payment"]
    lib.phrases = [p for p in lib.phrases if p.category != "payment"]
    store.save(lib)
    store.flush_cache()
    assert set(_cache_files(paths)) == {"greeting.toml"}


def test_saved_entries_are_what_a_parse_gives(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    lib = _lib()
    lib.phrases.append(
        Phrase(
            "c9", "t", "b", "payment", "cc", "ctrl+alt+9", ["x", "y"], "2026-01-01", "2026-02-02"
        )
    )
    lib.phrase("c9").examples = ["问一", "问二"]  # type: ignore[union-attr]
    store = LibraryStore(paths)
    store.save(lib)
    store.flush_cache()
    files = _cache_files(paths)
    for name, entry in files.items():
        text = (paths.library / name).read_text("utf-8")
        doc = parse_document(text, f"library/{name}", allow_pack=False)
        assert (entry.categories, entry.phrases) == (doc.categories, doc.phrases)
        assert entry.schema_version == doc.schema_version == LIBRARY_SCHEMA
    # The hash is the file's: a cached start parses nothing.
    store = LibraryStore(paths)
    assert store.load().library.phrase("c1") is not None
    assert _cache_files(paths) == files


def test_a_save_updates_the_cache_in_memory_and_flush_writes_it_once(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    store.flush_cache()
    assert not paths.parse_cache.exists()  # nothing to write yet
    store.save(_lib())
    assert not paths.parse_cache.exists()  # saves stay cheap: no 1 MB JSON per edit
    store.flush_cache()
    assert set(_cache_files(paths)) == {"greeting.toml", "payment.toml"}
    paths.parse_cache.unlink()
    store.flush_cache()
    assert not paths.parse_cache.exists()  # already written: not again


def test_closing_the_workspace_flushes_what_edits_saved(
    huashu_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = Workspace.open()
    phrase = ws.library.phrases[0]
    phrase.body += "(改)"
    ws.save_library()
    ws.close()
    parsed = _count_parses(monkeypatch)
    again = Workspace.open()
    assert parsed == []
    assert again.library.phrase(phrase.id).body == phrase.body  # type: ignore[union-attr]
    again.close()


# -- _parses_back: when it says yes, a parse gives exactly the same ------------------------

_ids = st.sampled_from(["a", "b", "b.c", "", "-x", "a b", "k" * 65])
_texts = st.sampled_from(["", " ", "t", " t ", "x\r\ny", "x\ry", "x\ny", "欢迎"])


@st.composite
def _file(draw: st.DrawFn) -> tuple[list[Category], list[Phrase]]:
    cats = [
        Category(
            draw(_ids),
            draw(_texts),
            draw(st.sampled_from([0, 5, True])),
            draw(st.sampled_from([None, "", "a", "b", "zz"])),
            draw(st.sampled_from(["", "", "", "sub"])),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    phrases = [
        Phrase(
            draw(_ids),
            draw(_texts),
            draw(_texts),
            draw(st.sampled_from(["a", "b", "b.c", "zz"])),
            code=draw(_texts),
            hotkey=draw(_texts),
            tags=draw(st.lists(_texts, max_size=2)),
            created=draw(_texts),
            updated=draw(_texts),
            source=draw(st.sampled_from(["", "", "", "sub"])),
            examples=draw(st.lists(_texts, max_size=2)),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    return cats, phrases


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_file())
def test_parses_back_only_when_a_parse_gives_the_same(
    data: tuple[list[Category], list[Phrase]],
) -> None:
    cats, phrases = data
    doc = parse_document(
        dump_document(cats, phrases, schema_version=LIBRARY_SCHEMA), "f", allow_pack=False
    )
    same = not doc.problems and doc.categories == cats and doc.phrases == phrases
    if _parses_back(cats, phrases):
        assert same


@pytest.mark.parametrize(
    "change",
    [
        lambda c, p: setattr(c[0], "id", "bad id"),
        lambda c, p: setattr(c[0], "name", " "),
        lambda c, p: setattr(c[0], "name", "a\rb"),
        lambda c, p: setattr(c[0], "order", True),
        lambda c, p: setattr(c[0], "source", "sub"),
        lambda c, p: setattr(c[1], "parent", ""),
        lambda c, p: setattr(c[1], "parent", "nope"),
        lambda c, p: setattr(c[0], "parent", "greeting-busy"),
        lambda c, p: c.append(Category("greeting", "again")),
        lambda c, p: setattr(p[0], "id", "bad id"),
        lambda c, p: setattr(p[0], "title", " "),
        lambda c, p: setattr(p[0], "source", "sub"),
        lambda c, p: setattr(p[0], "category", "nope"),
        lambda c, p: setattr(p[0], "code", " x"),
        lambda c, p: setattr(p[0], "hotkey", "x "),
        lambda c, p: setattr(p[0], "examples", ["ok", " "]),
        lambda c, p: setattr(p[0], "body", "a\r\nb"),
        lambda c, p: setattr(p[0], "title", "a\rb"),
        lambda c, p: setattr(p[0], "updated", "\r"),
        lambda c, p: setattr(p[0], "tags", ["\r"]),
        lambda c, p: setattr(p[0], "examples", ["a\r"]),
        lambda c, p: p.append(Phrase("g1", "again", "x", "greeting")),
    ],
)
def test_parses_back_refuses_each_doubtful_case(change: Any) -> None:
    lib = _lib()
    cats = [c for c in lib.categories if c.id.startswith("greeting")]
    phrases = [p for p in lib.phrases if p.category.startswith("greeting")]
    assert _parses_back(cats, phrases)
    change(cats, phrases)
    assert not _parses_back(cats, phrases)


def test_a_load_supersedes_what_saves_noted(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    store = LibraryStore(paths)
    store.save(_lib())
    store.load()  # reads the files again and writes their entries itself
    assert set(_cache_files(paths)) == {"greeting.toml", "payment.toml"}
    paths.parse_cache.unlink()
    store.flush_cache()
    assert not paths.parse_cache.exists()  # nothing left to write


def test_an_import_is_in_the_cache_before_the_workspace_closes(
    huashu_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.core.packs import Pack, PackMeta, apply_import, preview_import

    ws = Workspace.open()
    pack = Pack(
        PackMeta(name="团队", version="1"),
        [Category("team", "团队话术")],
        [Phrase("team-1", "团队欢迎", "您好,欢迎光临", "team")],
        "team.toml",
    )
    apply_import(ws, preview_import(ws.library, pack))
    parsed = _count_parses(monkeypatch)
    other = LibraryStore(Paths(huashu_home)).load().library  # as a start after a crash
    assert parsed == []
    assert other.phrase("team-1") is not None
    ws.close()

"""Export: choose the agent's own categories and phrases and write them as a pack."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.core.document import dump_document
from app.core.fsutil import Problem, atomic_write_bytes
from app.core.model import Category, Library, Phrase
from app.core.packs.format import MAX_FILE_BYTES, Pack, PackError, PackMeta, _too_big
from app.core.packs.read import parse_pack_text


def select_for_export(
    library: Library, categories: Sequence[str] | None = None
) -> tuple[list[Category], list[Phrase]]:
    """Personal categories and phrases to export: all, or the chosen ones (id or name).

    A chosen top-level category brings its children; a chosen child brings its parent's
    category entry (so the pack stays valid) but only its own phrases.
    """
    personal = [c for c in library.categories if not c.source]
    if not categories:
        cat_ids = {c.id for c in personal}
        phrase_cats = set(cat_ids)
    else:
        phrase_cats = set()
        for key in categories:
            found = [c for c in personal if key in (c.id, c.name)]
            if not found:
                raise KeyError(key)
            for c in found:
                phrase_cats.add(c.id)
                if not c.parent:
                    phrase_cats |= {ch.id for ch in library.children(c.id) if not ch.source}
        cat_ids = set(phrase_cats)
        for cid in list(phrase_cats):
            cat = library.category(cid)
            if cat is not None and cat.parent:
                cat_ids.add(cat.parent)
    cats: list[Category] = []
    for top in library.top_categories():
        if top.id in cat_ids and not top.source:
            cats.append(_plain_category(top))
            cats.extend(
                _plain_category(ch)
                for ch in library.children(top.id)
                if ch.id in cat_ids and not ch.source
            )
    order = {c.id: i for i, c in enumerate(cats)}
    phrases = [p.copy() for p in library.phrases if p.category in phrase_cats and not p.source]
    phrases.sort(key=lambda p: order.get(p.category, 0))
    return cats, phrases


def _plain_category(c: Category) -> Category:
    return Category(c.id, c.name, c.order, c.parent)


def build_pack(library: Library, meta: PackMeta, categories: Sequence[str] | None = None) -> Pack:
    cats, phrases = select_for_export(library, categories)
    return Pack(meta, cats, phrases, meta.name)


def dump_pack(pack: Pack) -> str:
    return dump_document(pack.categories, pack.phrases, meta=pack.meta.to_table())


def export_pack(
    library: Library,
    path: Path | str,
    meta: PackMeta,
    categories: Sequence[str] | None = None,
) -> Pack:
    """Write the library (or chosen categories) as a pack; the text is re-validated first."""
    pack = build_pack(library, meta, categories)
    text = dump_pack(pack)
    data = text.encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise PackError([Problem(Path(path).name, None, _too_big(len(data), MAX_FILE_BYTES))])
    parse_pack_text(text, Path(path).name)  # never write a pack we could not read back
    atomic_write_bytes(Path(path), data)
    return pack

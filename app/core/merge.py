"""Three-way merges: re-apply this process's changes on top of what another one wrote.

``base`` is what this process loaded (or last wrote), ``ours`` what it holds now and
``theirs`` what is on disk now. Whatever ``ours`` changed relative to ``base`` wins;
everything else comes from ``theirs``. Nothing one side added is dropped by the other:
when one side deleted what the other edited, the edit is kept.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from app.core.model import Category, Library, Phrase

T = TypeVar("T", Category, Phrase)

PhraseKey = tuple[Any, ...]


def phrase_key(p: Phrase) -> PhraseKey:
    """Everything a library file stores of a phrase but its id."""
    return (
        p.title,
        p.body,
        p.category,
        p.code,
        p.hotkey,
        tuple(p.tags),
        tuple(p.examples),
        p.created,
        p.updated,
    )


def category_key(c: Category) -> PhraseKey:
    return (c.name, c.order, c.parent)


def merge_items(
    base: dict[str, Hashable],
    ours: Sequence[T],
    theirs: Sequence[T],
    key: Callable[[T], Hashable],
) -> list[T]:
    """Items of ``theirs`` (in their order) with ``ours``' additions, edits and deletions."""
    result: list[T | None] = list(theirs)
    where = {item.id: i for i, item in enumerate(theirs)}
    ours_ids = set()
    for item in ours:
        ours_ids.add(item.id)
        old = base.get(item.id)
        if old is not None and old == key(item):
            continue  # unchanged here: theirs decides (kept, edited or deleted there)
        i = where.get(item.id)
        if i is None:
            where[item.id] = len(result)
            result.append(item)
        else:
            result[i] = item
    for gone in base.keys() - ours_ids:
        i = where.get(gone)
        if i is not None:
            result[i] = None
    return [item for item in result if item is not None]


def merge_library(
    base_categories: dict[str, Hashable],
    base_phrases: dict[str, Hashable],
    ours: Library,
    theirs: Library,
) -> Library:
    """The personal library with ``ours``' changes re-applied on ``theirs`` (both personal)."""
    cats = merge_items(base_categories, ours.categories, theirs.categories, category_key)
    phrases = merge_items(base_phrases, ours.phrases, theirs.phrases, phrase_key)
    # A category one side deleted while the other put a phrase in it comes back (from
    # ours first, else from theirs), so that no phrase is left without a home.
    known = {c.id for c in cats}
    pool = {c.id: c for c in [*theirs.categories, *ours.categories]}
    for p in phrases:
        cid = p.category
        chain: list[str] = []
        while cid and cid not in known and cid in pool and cid not in chain:
            chain.append(cid)
            cid = pool[cid].parent or ""
        for missing in reversed(chain):
            cats.append(pool[missing])
            known.add(missing)
    phrases = [p for p in phrases if p.category in known]
    merged = Library(cats, phrases)
    merged.sort_phrases()
    return merged


# -- settings (nested dicts of plain TOML data) --------------------------------------------
SET_LISTS = {("profile", "shops"), ("subscriptions", "files")}
"""Lists merged as sets: an entry one side added or removed is added or removed."""


def merge_data(
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    path: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Settings data with ``ours``' changed values re-applied on ``theirs``."""
    out = copy.deepcopy(theirs)
    for k in ours.keys() | base.keys():
        here = (*path, k)
        b, o = base.get(k), ours.get(k)
        if b == o:
            continue
        t = theirs.get(k)
        if isinstance(o, dict) and isinstance(t, dict):
            out[k] = merge_data(b if isinstance(b, dict) else {}, o, t, here)
        elif here in SET_LISTS and isinstance(o, list) and isinstance(t, list):
            before = b if isinstance(b, list) else []
            added = [x for x in o if x not in before and x not in t]
            out[k] = [x for x in t if x in o or x not in before] + added
        elif k in ours:
            out[k] = copy.deepcopy(o)
        else:
            out.pop(k, None)
    return out

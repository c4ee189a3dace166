"""Import preview and plan, pure: what an import would add, replace, keep or skip.

:func:`preview_import` classifies every incoming phrase against the library;
:func:`plan_import` computes the whole library after the import in memory, validated,
without touching any file (:mod:`app.core.importing` writes it).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from app.core.hotkeys import hotkey_key
from app.core.model import Category, Library, Phrase, new_id, now_iso
from app.core.packs.format import MAX_CODE, POLICIES, Pack
from app.core.problems import Msg
from app.core.storage import StorageError


@dataclass
class ImportItem:
    """One incoming phrase: its category already mapped to a library category id."""

    incoming: Phrase
    status: str
    existing: Phrase | None = None
    category_name: str = ""


@dataclass
class Counts:
    new: int = 0
    identical: int = 0
    changed: int = 0
    conflict: int = 0

    @property
    def total(self) -> int:
        return self.new + self.identical + self.changed + self.conflict

    def add(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)


@dataclass
class ImportPreview:
    pack: Pack
    items: list[ImportItem]
    new_categories: list[Category]
    category_map: dict[str, str]

    def counts(self) -> dict[str, Counts]:
        """Category display name -> counts, in pack order."""
        out: dict[str, Counts] = {}
        for item in self.items:
            out.setdefault(item.category_name, Counts()).add(item.status)
        return out

    @property
    def totals(self) -> Counts:
        t = Counts()
        for item in self.items:
            t.add(item.status)
        return t


def _same_content(a: Phrase, b: Phrase, *, has_ids: bool = True) -> bool:
    """Same title, body, code, tags and category (ids, timestamps, hotkeys aside).

    Files without ids (Qianniu CSV, text) carry no title or tags: body and code decide.
    """
    if not has_ids:
        return (a.body, a.code.lower()) == (b.body, b.code.lower())
    return (a.title, a.body, a.code.lower(), tuple(a.tags), a.category, tuple(a.examples)) == (
        b.title,
        b.body,
        b.code.lower(),
        tuple(b.tags),
        b.category,
        tuple(b.examples),
    )


def _map_categories(
    library: Library, pack: Pack
) -> tuple[dict[str, str], list[Category], dict[str, str]]:
    """pack category id -> library category id; categories to create; id -> display name."""
    taken = {c.id for c in library.categories}
    personal = [c for c in library.categories if not c.source]
    mapping: dict[str, str] = {}
    created: list[Category] = []
    by_cid = {c.id: c for c in library.categories}
    names: dict[str, str] = {}
    for c in library.categories:
        parent_cat = by_cid.get(c.parent) if c.parent else None
        if c.parent:
            names[c.id] = f"{parent_cat.name if parent_cat else c.parent} / {c.name}"
        else:
            names[c.id] = c.name
    # Indexes (first one wins, as a scan in this order would): linear, not quadratic.
    by_id: dict[tuple[str, str | None], str] = {}
    by_name: dict[tuple[str, str | None], str] = {}
    for c in personal:
        by_id.setdefault((c.id, c.parent), c.id)
        by_name.setdefault((c.name, c.parent), c.id)
    any_name: dict[str, str] = {}
    for c in sorted(personal, key=lambda c: bool(c.parent)):
        any_name.setdefault(c.name, c.id)

    def find(cid: str, name: str, parent: str | None) -> str | None:
        if pack.has_ids and (cid, parent) in by_id:
            return by_id[(cid, parent)]
        if (name, parent) in by_name:
            return by_name[(name, parent)]
        if not pack.has_ids and parent is None:
            # A Qianniu group / text category: any category with that name (top first).
            return any_name.get(name)
        return None

    tops = [c for c in pack.categories if not c.parent]
    kids = [c for c in pack.categories if c.parent]
    for c in tops + kids:
        parent = mapping.get(c.parent) if c.parent else None
        if c.parent and parent is None:
            continue  # cannot happen for a validated pack
        target = find(c.id, c.name, parent)
        if target is None:
            target = c.id if pack.has_ids and c.id not in taken else new_id()
            taken.add(target)
            created.append(Category(target, c.name, c.order, parent))
            by_id.setdefault((target, parent), target)
            by_name.setdefault((c.name, parent), target)
            pname = names.get(parent, "") if parent else ""
            names[target] = f"{pname} / {c.name}" if parent else c.name
        mapping[c.id] = target
    return mapping, created, names


def preview_import(library: Library, pack: Pack) -> ImportPreview:
    """Classify every phrase of ``pack`` against ``library``; changes nothing.

    - new: nothing like it in the library;
    - identical: the same content is already there (same id, or same code, or - for files
      without ids - the same body in the same category);
    - changed: a phrase with the same id has other content (an updated version);
    - conflict: another phrase already uses the same code with other content.
    Only the agent's own phrases are compared; subscription phrases are never touched.
    """
    mapping, created, names = _map_categories(library, pack)
    personal = [p for p in library.phrases if not p.source]
    by_id = {p.id: p for p in personal}
    by_code: dict[str, Phrase] = {}
    by_body: dict[tuple[str, str], Phrase] = {}
    for p in personal:
        if p.code:
            by_code.setdefault(p.code.lower(), p)
        by_body.setdefault((p.category, p.body), p)
    items: list[ImportItem] = []
    for ph in pack.phrases:
        target = mapping.get(ph.category)
        if target is None:
            continue
        inc = ph.copy(category=target, source="")
        status = "new"
        existing: Phrase | None = None
        same_id = by_id.get(inc.id) if pack.has_ids else None
        holder = by_code.get(inc.code.lower()) if inc.code else None
        if same_id is not None:
            existing = same_id
            status = "identical" if _same_content(same_id, inc) else "changed"
        elif holder is not None:
            existing = holder
            same = _same_content(holder, inc, has_ids=pack.has_ids)
            status = "identical" if same else "conflict"
        else:
            twin = by_body.get((target, inc.body))
            if twin is not None and (not pack.has_ids or _same_content(twin, inc)):
                existing = twin
                status = "identical"
        items.append(ImportItem(inc, status, existing, names.get(target, target)))
    return ImportPreview(pack, items, created, mapping)


@dataclass
class ImportResult:
    added: int = 0
    replaced: int = 0
    kept_both: int = 0
    skipped: int = 0
    identical: int = 0
    categories_created: int = 0
    hotkeys_bound: int = 0
    hotkeys_dropped: list[str] = field(default_factory=list)
    codes_renamed: list[tuple[str, str]] = field(default_factory=list)
    backup: Path | None = None
    files: list[str] = field(default_factory=list)


def unique_code(code: str, taken: set[str]) -> str:
    """``cf1`` -> ``cf1-2`` (or -3, ...) so it is not in ``taken`` (lower-case codes)."""
    if code.lower() not in taken:
        return code
    n = 2
    while True:
        suffix = f"-{n}"
        cand = code[: MAX_CODE - len(suffix)] + suffix
        if cand.lower() not in taken:
            return cand
        n += 1


def plan_import(
    library: Library,
    preview: ImportPreview,
    policy: str = "skip",
    *,
    accept_hotkeys: bool = False,
    reserved_hotkeys: Iterable[str] = (),
) -> tuple[Library, ImportResult]:
    """The library after the import, computed in memory (``library`` is not changed)."""
    if policy not in POLICIES:
        raise ValueError(Msg("import.bad_policy", list=", ".join(POLICIES)))
    lib = copy.deepcopy(library)
    res = ImportResult()
    for cat in preview.new_categories:
        lib.add_category(Category(cat.id, cat.name, cat.order, cat.parent))
        res.categories_created += 1
    codes = {p.code.lower() for p in lib.phrases if p.code and not p.source}
    hotkeys = {hotkey_key(p.hotkey) for p in lib.phrases if p.hotkey}
    hotkeys |= {hotkey_key(h) for h in reserved_hotkeys if h}
    ids = {p.id for p in lib.phrases}
    cat_ids = {c.id for c in lib.categories}
    stamp = now_iso()

    def hotkey_for(inc: Phrase, current: str) -> str:
        if current or not inc.hotkey:
            return current
        key = hotkey_key(inc.hotkey)
        if accept_hotkeys and key not in hotkeys:
            hotkeys.add(key)
            res.hotkeys_bound += 1
            return inc.hotkey
        res.hotkeys_dropped.append(inc.hotkey)
        return ""

    def add(inc: Phrase, *, fresh_id: bool) -> None:
        pid = inc.id if (inc.id and not fresh_id and inc.id not in ids) else new_id()
        while pid in ids:
            pid = new_id()
        code = inc.code
        if code:
            code = unique_code(code, codes)
            if code != inc.code:
                res.codes_renamed.append((inc.code, code))
            codes.add(code.lower())
        new = inc.copy(id=pid, code=code, hotkey=hotkey_for(inc, ""), source="")
        if fresh_id or not preview.pack.has_ids:
            new.created = new.created if preview.pack.has_ids else ""
            new.updated = ""
        if new.category not in cat_ids:
            raise StorageError(Msg("import.no_category", id=new.category))
        new.created = new.created or stamp
        new.updated = new.updated or stamp
        lib.phrases.append(new)  # Library.add_phrase is O(n) per call; ids are checked here
        ids.add(pid)

    position = {p.id: i for i, p in enumerate(lib.phrases)}
    replaced: set[str] = set()
    for item in preview.items:
        inc = item.incoming
        if item.status == "identical":
            res.identical += 1
        elif item.status == "new":
            add(inc, fresh_id=not preview.pack.has_ids)
            res.added += 1
        elif policy == "skip":
            res.skipped += 1
        elif policy == "keep-both" or (item.existing is not None and item.existing.id in replaced):
            # Keep both; also when a second incoming phrase hits a phrase this import
            # already replaced (two pack phrases with the same code): never drop one.
            add(inc, fresh_id=True)
            res.kept_both += 1
        else:  # replace
            ex = item.existing
            assert ex is not None
            replaced.add(ex.id)
            codes.discard(ex.code.lower())
            code = inc.code
            if code:
                code = unique_code(code, codes)
                if code != inc.code:
                    res.codes_renamed.append((inc.code, code))
                codes.add(code.lower())
            if ex.hotkey:
                hotkeys.discard(hotkey_key(ex.hotkey))
                keep = ex.hotkey
                if accept_hotkeys and inc.hotkey and hotkey_key(inc.hotkey) not in hotkeys:
                    keep = inc.hotkey
                hotkeys.add(hotkey_key(keep))
                hotkey = keep
            else:
                hotkey = hotkey_for(inc, "")
            new = inc.copy(
                id=ex.id, code=code, hotkey=hotkey, created=ex.created, updated=stamp, source=""
            )
            lib.phrases[position[ex.id]] = new
            res.replaced += 1
    _validate_library(lib)
    return lib, res


def _validate_library(lib: Library) -> None:
    """A last check of the computed library before anything is written."""
    cat_ids = [c.id for c in lib.categories]
    if len(cat_ids) != len(set(cat_ids)):
        raise StorageError(Msg("import.duplicate_category_ids"))
    ids = [p.id for p in lib.phrases]
    if len(ids) != len(set(ids)):
        raise StorageError(Msg("import.duplicate_phrase_ids"))
    known = set(cat_ids)
    for p in lib.phrases:
        if p.category not in known:
            raise StorageError(Msg("import.missing_category", id=p.id))

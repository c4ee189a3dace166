"""Subscribed packs without a workspace: slugs, the last good copies on disk, and how a
subscribed pack's entries enter (and leave) a library.

The flows that change a workspace (subscribe, unsubscribe, refresh) are in
:mod:`app.core.subscriptions`; :class:`app.core.workspace.Workspace` calls
:func:`load_copies` at start-up and when the subscription list changes.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import tomli_w

from app.core.fsutil import Paths, Problem, atomic_write_text
from app.core.hotkeys import hotkey_key
from app.core.model import Category, Library, Phrase, now_iso
from app.core.packs.export import dump_pack
from app.core.packs.format import Pack, PackError
from app.core.packs.read import read_pack
from app.core.problems import Msg

PREFIX = "sub-"
TOP_ORDER = 10_000  # after the agent's own categories


def normalize_path(path: str | Path) -> str:
    """The form stored in settings: absolute, user-expanded (no I/O on the target)."""
    return os.path.abspath(os.path.expanduser(str(path)))


def slug_for(path: str | Path) -> str:
    """A file-name-safe, stable slug of a subscribed path: ``<stem>-<hash8>``."""
    norm = normalize_path(path)
    stem = re.sub(r"[^a-z0-9]+", "-", Path(norm).stem.lower()).strip("-")[:24] or "pack"
    digest = hashlib.sha1(norm.encode("utf-8")).hexdigest()[:8]
    return f"{stem}-{digest}"


def copy_path(paths: Paths, path: str | Path) -> Path:
    return paths.subscriptions / f"{slug_for(path)}.toml"


def top_id(slug: str) -> str:
    return f"{PREFIX}{slug}"


def pack_entries(
    pack: Pack,
    slug: str,
    *,
    taken_hotkeys: set[str] | None = None,
    accept_hotkeys: bool = False,
) -> tuple[list[Category], list[Phrase]]:
    """The read-only categories and phrases a subscribed pack adds to the library."""
    name = pack.meta.name
    top = Category(top_id(slug), name, TOP_ORDER, None, source=name)
    by_id = {c.id: c for c in pack.categories}
    cats = [top]
    for c in pack.categories:
        label = c.name
        order = c.order
        if c.parent and c.parent in by_id:
            parent = by_id[c.parent]
            label = f"{parent.name} / {c.name}"
            order = parent.order * 1000 + c.order
        elif not c.parent:
            order = c.order * 1000
        cats.append(Category(f"{top.id}-{c.id}", label, order, top.id, source=name))
    taken = {hotkey_key(h) for h in (taken_hotkeys or set())}
    phrases: list[Phrase] = []
    for p in pack.phrases:
        hotkey = ""
        if accept_hotkeys and p.hotkey and hotkey_key(p.hotkey) not in taken:
            hotkey = p.hotkey
            taken.add(hotkey_key(p.hotkey))
        phrases.append(
            p.copy(
                id=f"{top.id}-{p.id}",
                category=f"{top.id}-{p.category}",
                hotkey=hotkey,
                source=name,
            )
        )
    return cats, phrases


def diff_packs(old: Pack | None, new: Pack) -> tuple[int, int, int]:
    """(added, changed, removed) phrase counts from ``old`` to ``new`` (by id and content)."""
    before = {p.id: p.content_key() for p in (old.phrases if old else [])}
    after = {p.id: p.content_key() for p in new.phrases}
    added = sum(1 for pid in after if pid not in before)
    removed = sum(1 for pid in before if pid not in after)
    changed = sum(1 for pid, key in after.items() if pid in before and before[pid] != key)
    return added, changed, removed


def remove_entries(library: Library, slug: str) -> int:
    """Drop a subscription's categories and phrases from ``library``; return phrase count."""
    tid = top_id(slug)

    def ours(x: str) -> bool:
        return x == tid or x.startswith(tid + "-")

    before = len(library.phrases)
    library.phrases = [p for p in library.phrases if not (p.source and ours(p.id))]
    library.categories = [c for c in library.categories if not (c.source and ours(c.id))]
    return before - len(library.phrases)


def merge_pack(library: Library, pack: Pack, slug: str, *, accept_hotkeys: bool = False) -> None:
    """Replace the subscription's entries in ``library`` by those of ``pack``."""
    remove_entries(library, slug)
    taken = {p.hotkey for p in library.phrases if p.hotkey}
    cats, phrases = pack_entries(pack, slug, taken_hotkeys=taken, accept_hotkeys=accept_hotkeys)
    library.categories.extend(cats)
    library.phrases.extend(phrases)


def write_copy(paths: Paths, source_path: str, pack: Pack) -> Path:
    """Save the last good copy (validated pack + the source path), atomically."""
    extra = tomli_w.dumps({"subscription": {"source": source_path, "fetched": now_iso()}})
    target = copy_path(paths, source_path)
    atomic_write_text(target, dump_pack(pack) + "\n" + extra)
    return target


def read_copy(paths: Paths, source_path: str) -> Pack:
    target = copy_path(paths, source_path)
    return read_pack(target, f"subscriptions/{target.name}")


def load_copies(
    paths: Paths, subscriptions: list[str], library: Library, *, accept_hotkeys: bool = False
) -> list[Problem]:
    """Merge every subscription's last good copy into ``library`` (no source I/O, except
    for a subscription with no usable copy: its source is tried once)."""
    problems: list[Problem] = []
    for path in subscriptions:
        try:
            pack = read_copy(paths, path)
        except PackError as exc:
            try:  # no usable copy: try the source once
                pack = read_pack(path)
                write_copy(paths, normalize_path(path), pack)
            except (PackError, OSError):
                problems.append(
                    Problem(
                        path,
                        None,
                        Msg("subscription.not_loaded", msg=exc.problems[0].message),
                    )
                )
                continue
        merge_pack(library, pack, slug_for(path), accept_hotkeys=accept_hotkeys)
    return problems

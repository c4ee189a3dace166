"""Subscriptions: follow a team pack file (NAS, synced drive) read-only.

``settings.subscriptions`` lists the followed paths. For each, the last good copy lives in
``$HUASHU_HOME/subscriptions/<slug>.toml`` (the pack plus a ``[subscription]`` table with
the source path). Its phrases appear in the library under a top-level category named after
the pack; the pack's categories become its children (a nested pack category is shown as
``Parent / Child``). Ids are prefixed ``sub-<slug>-`` so they never clash with the
agent's own; every entry has ``source`` = pack name, so :class:`LibraryStore` never writes
them into ``library/``. The agent's own phrases are never touched.

When the source disappears or breaks, the last good copy stays and a warning is reported.
Start-up reads only the local copies (:func:`load_subscriptions`); :func:`refresh` reads
the source.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import tomli_w

from app.core.fsutil import Paths, Problem, atomic_write_text
from app.core.hotkeys import hotkey_key
from app.core.model import Category, Library, Phrase, now_iso
from app.core.packs import Pack, PackError, dump_pack, read_pack

if TYPE_CHECKING:
    from app.core.workspace import Workspace

log = logging.getLogger(__name__)

PREFIX = "sub-"
TOP_ORDER = 10_000  # after the agent's own categories


class SubscriptionError(Exception):
    """A subscription request that cannot be done (the message says why)."""


FETCH_TIMEOUT = 10.0
"""Seconds a subscribed source may take to read (a stalled network share never answers)."""


@dataclass
class RefreshResult:
    path: str
    slug: str
    name: str = ""
    added: int = 0
    changed: int = 0
    removed: int = 0
    warning: str = ""
    held: bool = False
    """The new version removes more than half of the phrases: the last good copy is kept
    until the user accepts (``refresh(..., allow_shrink=True)``)."""
    total: int = 0
    """Phrases in the last good copy (for the question to the user)."""

    @property
    def any_change(self) -> bool:
        return bool(self.added or self.changed or self.removed)


# -- pure part -----------------------------------------------------------------------------
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


# -- with a workspace ----------------------------------------------------------------------
def _find(ws: Workspace, path: str | Path) -> str | None:
    norm = normalize_path(path)
    for p in ws.settings.subscriptions:
        if normalize_path(p) == norm:
            return p
    return None


def load_subscriptions(ws: Workspace, *, accept_hotkeys: bool = False) -> list[Problem]:
    """Merge every subscription's last good copy into ``ws.library`` (no source I/O).

    Call at the end of ``Workspace.open``; problems are also appended to ``ws.problems``.
    """
    problems: list[Problem] = []
    for path in ws.settings.subscriptions:
        try:
            pack = read_copy(ws.paths, path)
        except PackError as exc:
            try:  # no usable copy: try the source once
                pack = read_pack(path)
                write_copy(ws.paths, normalize_path(path), pack)
            except (PackError, OSError):
                problems.append(
                    Problem(path, None, f"subscription not loaded: {exc.problems[0].message}")
                )
                continue
        merge_pack(ws.library, pack, slug_for(path), accept_hotkeys=accept_hotkeys)
    ws.problems.extend(problems)
    ws.library_changed()
    return problems


def subscribe(
    ws: Workspace, path: str | Path, *, accept_hotkeys: bool = False, allow_shrink: bool = False
) -> RefreshResult:
    """Follow the pack at ``path``; it must be a valid pack now (raises PackError).
    Already followed: refresh it (see :func:`refresh` for ``allow_shrink``)."""
    norm = normalize_path(path)
    if _find(ws, norm) is not None:
        return refresh(ws, norm, accept_hotkeys=accept_hotkeys, allow_shrink=allow_shrink)
    if not ws.settings_ok:
        raise SubscriptionError("settings.toml failed to load, so it is not changed; fix it first")
    pack = fetch(norm)
    slug = slug_for(norm)
    write_copy(ws.paths, norm, pack)
    ws.settings.subscriptions.append(norm)
    try:
        ws.save_settings()
    except Exception:
        ws.settings.subscriptions.remove(norm)
        copy_path(ws.paths, norm).unlink(missing_ok=True)
        raise
    merge_pack(ws.library, pack, slug, accept_hotkeys=accept_hotkeys)
    ws.library_changed()
    return RefreshResult(norm, slug, pack.meta.name, added=len(pack.phrases))


def unsubscribe(ws: Workspace, path: str | Path) -> int:
    """Stop following ``path``; returns how many phrases left the library view."""
    stored = _find(ws, path)
    if stored is None:
        known = ", ".join(ws.settings.subscriptions) or "none"
        raise SubscriptionError(f"not subscribed to {path} (subscriptions: {known})")
    index = ws.settings.subscriptions.index(stored)
    ws.settings.subscriptions.remove(stored)
    try:
        ws.save_settings()
    except Exception:
        ws.settings.subscriptions.insert(index, stored)  # nothing changed after all
        raise
    removed = remove_entries(ws.library, slug_for(stored))
    copy_path(ws.paths, stored).unlink(missing_ok=True)
    ws.library_changed()
    return removed


def fetch(path: str | Path, timeout: float = FETCH_TIMEOUT) -> Pack:
    """:func:`read_pack` in a helper thread: a source that does not answer within
    ``timeout`` seconds (a stalled network share) raises PackError instead of hanging.
    The helper thread is a daemon; it ends when the read returns."""
    box: dict[str, Pack | PackError] = {}
    name = Path(path).name

    def work() -> None:
        try:
            box["out"] = read_pack(path)
        except PackError as exc:
            box["out"] = exc
        except Exception as exc:  # never let a thread die silently
            box["out"] = PackError([Problem(name, None, f"cannot read: {exc}")])

    worker = threading.Thread(target=work, name=f"fetch {name}", daemon=True)
    worker.start()
    worker.join(timeout)
    out = box.get("out")
    if out is None:
        raise PackError([Problem(name, None, f"the source did not answer within {timeout:g} s")])
    if isinstance(out, PackError):
        raise out
    return out


def refresh(
    ws: Workspace,
    path: str | Path,
    *,
    accept_hotkeys: bool = False,
    fetched: Pack | PackError | None = None,
    allow_shrink: bool = False,
) -> RefreshResult:
    """Re-read the source (or use ``fetched``, read off the GUI thread); on success
    update the copy and the library, return the counts.

    A missing or broken source keeps the last good copy and sets ``warning``. A new
    version that removes more than half of the phrases is held (``held``) unless
    ``allow_shrink``.
    """
    stored = _find(ws, path) or normalize_path(path)
    slug = slug_for(stored)
    result = RefreshResult(stored, slug)
    try:
        old: Pack | None = read_copy(ws.paths, stored)
    except PackError:
        old = None
    if old is not None:
        result.name = old.meta.name
    try:
        if isinstance(fetched, PackError):
            raise fetched
        new = fetched if fetched is not None else fetch(stored)
    except PackError as exc:
        first = exc.problems[0] if exc.problems else "unreadable"
        keep = "keeping the last good copy" if old is not None else "no copy to fall back on"
        result.warning = f"subscription {stored}: {first}; {keep}"
        log.warning("%s", result.warning)
        return result
    result.name = new.meta.name
    result.added, result.changed, result.removed = diff_packs(old, new)
    if old is not None:
        result.total = len(old.phrases)
    if old is not None and result.removed * 2 > len(old.phrases) and not allow_shrink:
        result.held = True
        result.warning = (
            f"subscription {stored}: the new version removes {result.removed} of "
            f"{len(old.phrases)} phrases; keeping the last good copy"
        )
        log.warning("%s", result.warning)
        return result
    renamed = old is None or old.meta != new.meta or _categories(old) != _categories(new)
    if result.any_change or renamed:
        write_copy(ws.paths, stored, new)
        merge_pack(ws.library, new, slug, accept_hotkeys=accept_hotkeys)
        ws.library_changed()
    return result


def _categories(pack: Pack) -> list[tuple[str, str, int, str | None]]:
    return [(c.id, c.name, c.order, c.parent) for c in pack.categories]

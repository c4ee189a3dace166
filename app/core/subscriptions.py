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

This module holds the flows that change a :class:`Workspace` (it sits above it); the
copies and the library merge, which need no workspace, are
:mod:`app.core.subscription_copies` (re-exported here).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.fsutil import Problem
from app.core.packs.format import Pack, PackError
from app.core.packs.read import read_pack
from app.core.problems import Msg
from app.core.subscription_copies import (
    PREFIX,
    TOP_ORDER,
    copy_path,
    diff_packs,
    load_copies,
    merge_pack,
    normalize_path,
    pack_entries,
    read_copy,
    remove_entries,
    slug_for,
    top_id,
    write_copy,
)

if TYPE_CHECKING:
    from app.core.workspace import Workspace

__all__ = [
    "FETCH_TIMEOUT",
    "PREFIX",
    "TOP_ORDER",
    "RefreshResult",
    "SubscriptionError",
    "copy_path",
    "diff_packs",
    "fetch",
    "load_subscriptions",
    "merge_pack",
    "normalize_path",
    "pack_entries",
    "read_copy",
    "refresh",
    "remove_entries",
    "slug_for",
    "subscribe",
    "top_id",
    "unsubscribe",
    "write_copy",
]

log = logging.getLogger(__name__)


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


# -- with a workspace ----------------------------------------------------------------------
def _find(ws: Workspace, path: str | Path) -> str | None:
    norm = normalize_path(path)
    for p in ws.settings.subscriptions:
        if normalize_path(p) == norm:
            return p
    return None


def load_subscriptions(ws: Workspace, *, accept_hotkeys: bool = False) -> list[Problem]:
    """Merge every subscription's last good copy into ``ws.library`` (no source I/O).

    Problems are also appended to ``ws.problems``.
    """
    with ws.transaction():
        problems = load_copies(
            ws.paths, ws.settings.subscriptions, ws.library, accept_hotkeys=accept_hotkeys
        )
        ws.problems.extend(problems)
    return problems


def subscribe(
    ws: Workspace, path: str | Path, *, accept_hotkeys: bool = False, allow_shrink: bool = False
) -> RefreshResult:
    """Follow the pack at ``path``; it must be a valid pack now (raises PackError).
    Already followed: refresh it (see :func:`refresh` for ``allow_shrink``)."""
    norm = normalize_path(path)
    if _find(ws, norm) is not None:
        return refresh(ws, norm, accept_hotkeys=accept_hotkeys, allow_shrink=allow_shrink)
    # settings=True: refused before anything is fetched or written when settings.toml
    # failed to load (SettingsNotLoaded).
    with ws.transaction(settings=True):
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
    return RefreshResult(norm, slug, pack.meta.name, added=len(pack.phrases))


def unsubscribe(ws: Workspace, path: str | Path) -> int:
    """Stop following ``path``; returns how many phrases left the library view."""
    stored = _find(ws, path)
    if stored is None:
        known = ", ".join(ws.settings.subscriptions) or "none"
        raise SubscriptionError(Msg("subscription.unknown", path=str(path), known=known))
    with ws.transaction(settings=True):  # refused when settings.toml failed to load
        index = ws.settings.subscriptions.index(stored)
        ws.settings.subscriptions.remove(stored)
        try:
            ws.save_settings()
        except Exception:
            ws.settings.subscriptions.insert(index, stored)  # nothing changed after all
            raise
        removed = remove_entries(ws.library, slug_for(stored))
        copy_path(ws.paths, stored).unlink(missing_ok=True)
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
            box["out"] = PackError([Problem(name, None, Msg("pack.cannot_read", msg=str(exc)))])

    worker = threading.Thread(target=work, name=f"fetch {name}", daemon=True)
    worker.start()
    worker.join(timeout)
    out = box.get("out")
    if out is None:
        raise PackError([Problem(name, None, Msg("subscription.timeout", n=timeout))])
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
        first = exc.problems[0] if exc.problems else Msg("file.unreadable")
        keep = "keeping the last good copy" if old is not None else "no copy to fall back on"
        result.warning = Msg("subscription.failed", path=stored, problem=first, keep=keep)
        log.warning("%s", result.warning)
        return result
    result.name = new.meta.name
    result.added, result.changed, result.removed = diff_packs(old, new)
    if old is not None:
        result.total = len(old.phrases)
    if old is not None and result.removed * 2 > len(old.phrases) and not allow_shrink:
        result.held = True
        removes = Msg("subscription.removes", n=result.removed, total=len(old.phrases))
        result.warning = Msg(
            "subscription.failed", path=stored, problem=removes, keep="keeping the last good copy"
        )
        log.warning("%s", result.warning)
        return result
    renamed = old is None or old.meta != new.meta or _categories(old) != _categories(new)
    if result.any_change or renamed:
        with ws.transaction():
            write_copy(ws.paths, stored, new)
            merge_pack(ws.library, new, slug, accept_hotkeys=accept_hotkeys)
    return result


def _categories(pack: Pack) -> list[tuple[str, str, int, str | None]]:
    return [(c.id, c.name, c.order, c.parent) for c in pack.categories]

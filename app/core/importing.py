"""Apply an import to a workspace as one backup-protected step, and undo it.

The whole new library is computed in memory and validated (:func:`plan_import`), then
``store.backup("import")`` is taken and the changed files are written (each atomically).
If writing fails, the files are restored from that backup. The one remaining window: the
process being killed between two file writes of the same import leaves some files new and
some old; every file is still whole, and :func:`undo_import` with the backup path puts the
library back.

This module sits above :mod:`app.core.workspace`; the pack readers and the plan below it
never see a workspace.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.fsutil import Paths, atomic_write_bytes
from app.core.model import Library
from app.core.packs.plan import ImportPreview, ImportResult, plan_import
from app.core.problems import Msg
from app.core.storage import StorageError

if TYPE_CHECKING:
    from app.core.workspace import Workspace

log = logging.getLogger(__name__)


def _with_subscriptions(personal: Library, old: Library) -> Library:
    personal.categories.extend(c for c in old.categories if c.source)
    personal.phrases.extend(p for p in old.phrases if p.source)
    return personal


def read_backup(backup: Path | None) -> dict[str, bytes]:
    """The library files of a backup, in memory (None: a library that had no files)."""
    if backup is None:
        return {}
    return {f.name: f.read_bytes() for f in sorted(backup.glob("*.toml"))}


def restore_library_files(
    paths: Paths, backup: Path | None, wanted: dict[str, bytes] | None = None
) -> list[str]:
    """Make ``library/*.toml`` exactly the files in ``backup`` (None: no files); return names.

    ``wanted`` gives the files directly (read with :func:`read_backup` before anything could
    rotate the backup away).
    """
    lib_dir = paths.library
    lib_dir.mkdir(parents=True, exist_ok=True)
    if wanted is None:
        wanted = read_backup(backup)
    changed: list[str] = []
    for name, data in wanted.items():
        target = lib_dir / name
        try:
            same = target.read_bytes() == data
        except OSError:
            same = False
        if not same:
            atomic_write_bytes(target, data)
            changed.append(name)
    for f in sorted(lib_dir.glob("*.toml")):
        if f.name not in wanted:
            f.unlink()
            changed.append(f.name)
    return changed


def _reload(ws: Workspace) -> None:
    old = ws.library
    result = ws.store.load()
    ws.library = _with_subscriptions(result.library, old)


def apply_import(
    ws: Workspace,
    preview: ImportPreview,
    policy: str = "skip",
    *,
    accept_hotkeys: bool = False,
) -> ImportResult:
    """Import as one backup-protected step; on any error the library files are unchanged."""
    reserved = (ws.settings.picker_hotkey, ws.settings.pause_hotkey)
    new_lib, res = plan_import(
        ws.library, preview, policy, accept_hotkeys=accept_hotkeys, reserved_hotkeys=reserved
    )
    clash = set(ws.store.group_files(new_lib)) & ws.store.broken_files
    if clash:
        raise StorageError(Msg("import.broken_files", files=", ".join(sorted(clash))))
    with ws.transaction():
        res.backup = ws.store.backup("import")
        old = ws.library
        try:
            res.files = ws.store.save(new_lib)
        except BaseException:
            log.exception("import failed while writing; restoring the library from the backup")
            # its own transaction: the reloaded library is announced though the import fails
            with ws.lock.hold(), ws.transaction():
                restore_library_files(ws.paths, res.backup)
                ws.library = old
                _reload(ws)
            raise
        ws.store.flush_cache()  # an import is large: the next start reads it warm after a crash
        ws.library = new_lib
    log.info(
        "imported %s: %d added, %d replaced, %d kept both, %d skipped (backup %s)",
        preview.pack.source,
        res.added,
        res.replaced,
        res.kept_both,
        res.skipped,
        res.backup,
    )
    return res


def undo_import(ws: Workspace, backup_path: Path | str | None) -> list[str]:
    """Put ``library/`` back to the backup taken by an import; returns the files changed.

    ``None`` means the library had no files before the import. The current state is
    backed up first ("undo-import"), so the undo can itself be undone.
    """
    backup: Path | None = None
    if backup_path is not None:
        backup = Path(backup_path).resolve()
        root = ws.paths.backups.resolve()
        if backup.parent != root or not backup.is_dir():
            raise StorageError(Msg("import.not_a_backup", path=backup_path))
    # Read the backup first: taking the "undo-import" backup may rotate the oldest one,
    # which can be this very backup, away.
    wanted = read_backup(backup)
    # one writer: no other process writes between restore and reload
    with ws.lock.hold(), ws.transaction():
        ws.store.backup("undo-import")
        changed = restore_library_files(ws.paths, backup, wanted)
        _reload(ws)
    return changed

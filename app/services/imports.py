"""Importing a pack into the library and undoing it: the one way the settings window's
import dialog and ``huashu pack import|undo`` change the library from a file.

The core announces the change (``Workspace.library_changed``) and keeps a backup; this
module is where a front end asks for it.
"""

from __future__ import annotations

from pathlib import Path

from app.core.packs import ImportPreview, ImportResult, apply_import, undo_import
from app.core.workspace import Workspace


def import_pack(
    ws: Workspace, preview: ImportPreview, on_conflict: str, *, accept_hotkeys: bool = False
) -> ImportResult:
    """Apply ``preview`` to the library (``on_conflict``: skip, replace or keep both)."""
    return apply_import(ws, preview, on_conflict, accept_hotkeys=accept_hotkeys)


def undo(ws: Workspace, backup: Path | str | None) -> list[str]:
    """Restore the library files saved in ``backup`` (the latest backup when None)."""
    return undo_import(ws, backup)

"""Format choice: which reader a file goes to (Huashu pack, Qianniu CSV, plain text)."""

from __future__ import annotations

from pathlib import Path

from app.core.fsutil import Problem
from app.core.packs.format import Pack, PackError
from app.core.packs.qianniu import read_plain_text, read_qianniu
from app.core.packs.read import read_pack
from app.core.problems import Msg


def detect_kind(path: Path | str) -> str:
    """The reader for a file, by its extension: ``qianniu`` (.csv), ``text`` or ``huashu``."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return "qianniu"
    if suffix in (".txt", ".text"):
        return "text"
    return "huashu"


def read_any(path: Path | str, kind: str = "auto", *, text_category: str = "") -> Pack:
    """Read a Huashu pack, Qianniu CSV or plain text file (``kind`` auto = by extension)."""
    if kind == "auto":
        kind = detect_kind(path)
    if kind == "qianniu":
        return read_qianniu(path)
    if kind == "text":
        if not text_category.strip():
            raise PackError([Problem(Path(path).name, None, Msg("text.no_category"))])
        return read_plain_text(path, text_category)
    if kind == "huashu":
        return read_pack(path)
    raise ValueError(Msg("import.unknown_kind", kind=kind))

"""Phrase packs, by question:

- :mod:`.format`: the data types (:class:`Pack`, :class:`PackMeta`, :class:`PackError`),
  the limits and the field checks;
- readers: :mod:`.read` (Huashu pack TOML), :mod:`.choose` (which reader for a file),
  :mod:`.qianniu` (Qianniu CSV and plain text);
- :mod:`.export`: writing the library (or some categories) as a pack;
- :mod:`.plan`: what an import would add, replace, keep or skip (pure, no files).

Applying an import to a workspace (backup, write, undo) is :mod:`app.core.importing`,
which sits above the workspace. This package re-exports the public names of its modules.
"""

from app.core.packs.choose import detect_kind, read_any
from app.core.packs.export import build_pack, dump_pack, export_pack, select_for_export
from app.core.packs.format import (
    CATEGORY_LIMITS,
    MAX_BODY,
    MAX_CATEGORIES,
    MAX_CODE,
    MAX_DESCRIPTION,
    MAX_EXAMPLE,
    MAX_EXAMPLES,
    MAX_FILE_BYTES,
    MAX_KEY_DOTS,
    MAX_NAME,
    MAX_PHRASES,
    MAX_SHORT,
    MAX_TAG,
    MAX_TAGS,
    MAX_TITLE,
    META_LIMITS,
    PACK_FORMAT,
    PHRASE_LIMITS,
    POLICIES,
    STATUSES,
    Pack,
    PackError,
    PackMeta,
    _check_table,
    field_problem,
    os_reason,
    read_limited,
)
from app.core.packs.plan import (
    Counts,
    ImportItem,
    ImportPreview,
    ImportResult,
    plan_import,
    preview_import,
    unique_code,
)
from app.core.packs.read import decode_pack_bytes, parse_pack_text, read_pack

__all__ = [
    "CATEGORY_LIMITS",
    "MAX_BODY",
    "MAX_CATEGORIES",
    "MAX_CODE",
    "MAX_DESCRIPTION",
    "MAX_EXAMPLE",
    "MAX_EXAMPLES",
    "MAX_FILE_BYTES",
    "MAX_KEY_DOTS",
    "MAX_NAME",
    "MAX_PHRASES",
    "MAX_SHORT",
    "MAX_TAG",
    "MAX_TAGS",
    "MAX_TITLE",
    "META_LIMITS",
    "PACK_FORMAT",
    "PHRASE_LIMITS",
    "POLICIES",
    "STATUSES",
    "Counts",
    "ImportItem",
    "ImportPreview",
    "ImportResult",
    "Pack",
    "PackError",
    "PackMeta",
    "_check_table",
    "build_pack",
    "decode_pack_bytes",
    "detect_kind",
    "dump_pack",
    "export_pack",
    "field_problem",
    "os_reason",
    "parse_pack_text",
    "plan_import",
    "preview_import",
    "read_any",
    "read_limited",
    "read_pack",
    "select_for_export",
    "unique_code",
]

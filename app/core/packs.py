"""Phrase packs: read and validate (with limits), export, and import with a preview.

A pack is one TOML file in the library document shape (see :mod:`app.core.document`) with
a ``[pack]`` table (``format = 1``, name, version, author, description, created). Other
importers (:mod:`app.core.qianniu`: Qianniu CSV, plain text) produce the same
:class:`Pack` object, so the preview and the apply step are shared.

Hostile or broken files stay harmless: the size is checked before reading, phrase and
category counts and field lengths are limited, control characters are refused, nesting
is bounded, and every problem is reported with file, line and reason.

Import is one backup-protected step: the whole new library is computed in memory and
validated, then ``store.backup("import")`` is taken and the changed files are written
(each atomically). If writing fails, the files are restored from that backup. The one
remaining window: the process being killed between two file writes of the same import
leaves some files new and some old; every file is still whole, and :func:`undo_import`
with the backup path puts the library back.
"""

from __future__ import annotations

import copy
import datetime as _dt
import logging
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.document import _header_lines, dump_document, parse_document
from app.core.fsutil import Paths, Problem, atomic_write_bytes, toml_error_line
from app.core.hotkeys import hotkey_key
from app.core.model import Category, Library, Phrase, new_id, now_iso
from app.core.safefile import LimitError, loads_limited, read_regular, too_big
from app.core.storage import StorageError
from app.core.textcheck import text_problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    from app.core.workspace import Workspace

log = logging.getLogger(__name__)

PACK_FORMAT = 1
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_PHRASES = 20_000
MAX_CATEGORIES = 1_000
MAX_TITLE = 200
MAX_BODY = 10_000
MAX_CODE = 32
MAX_NAME = 100
MAX_SHORT = 200
MAX_DESCRIPTION = 2_000
MAX_TAGS = 20
MAX_TAG = 50
MAX_EXAMPLES = 50
MAX_EXAMPLE = 200
MAX_KEY_DOTS = 8

POLICIES = ("skip", "replace", "keep-both")
STATUSES = ("new", "identical", "changed", "conflict")

_HEADER_KEY = re.compile(r"^\s*\[\[?([^\]\"'#]*)")
_BARE_KEY = re.compile(r"^\s*([A-Za-z0-9_\-. ]+)=")

# key -> (max length, newline allowed)
PHRASE_LIMITS: dict[str, tuple[int, bool]] = {
    "id": (64, False),
    "title": (MAX_TITLE, False),
    "body": (MAX_BODY, True),
    "category": (64, False),
    "code": (MAX_CODE, False),
    "hotkey": (MAX_SHORT, False),
    "created": (64, False),
    "updated": (64, False),
}
CATEGORY_LIMITS: dict[str, tuple[int, bool]] = {
    "id": (64, False),
    "name": (MAX_NAME, False),
    "parent": (64, False),
}
META_LIMITS: dict[str, tuple[int, bool]] = {
    "name": (MAX_NAME, False),
    "version": (MAX_SHORT, False),
    "author": (MAX_SHORT, False),
    "description": (MAX_DESCRIPTION, True),
    "created": (64, False),
}


class PackError(Exception):
    """A pack (or CSV / text file) that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        first = str(self.problems[0]) if self.problems else "invalid pack"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(first + more)


@dataclass
class PackMeta:
    name: str
    format: int = PACK_FORMAT
    version: str = ""
    author: str = ""
    description: str = ""
    created: str = ""

    def to_table(self) -> dict[str, Any]:
        t: dict[str, Any] = {"format": self.format, "name": self.name}
        for key in ("version", "author", "description", "created"):
            value = getattr(self, key)
            if value:
                t[key] = value
        return t


@dataclass
class Pack:
    """Categories and phrases from a file, validated.

    ``kind`` is ``huashu``, ``qianniu`` or ``text``. Only Huashu packs carry ids; for the
    others category and phrase ids are placeholders and matching goes by name/content.
    """

    meta: PackMeta
    categories: list[Category]
    phrases: list[Phrase]
    source: str
    kind: str = "huashu"
    encoding: str = "utf-8"
    warnings: list[Problem] = field(default_factory=list)

    @property
    def has_ids(self) -> bool:
        return self.kind == "huashu"


# -- field checks (shared with the other importers) ----------------------------------------
def field_problem(key: str, value: str, max_len: int, *, multiline: bool = False) -> str | None:
    """Why ``value`` is not acceptable for ``key`` (length, control characters, and in
    one-line fields invisible or direction-changing characters), or None."""
    return text_problem(value, max_len, multiline=multiline, key=key)


def os_reason(exc: OSError) -> str:
    """Why an OS call failed, in the C library's words (``os.strerror`` of its errno).

    The same on Linux and Windows, where ``exc.strerror`` is Windows' own sentence for
    calls such as ``os.stat`` ("The system cannot find the file specified"), which the
    zh_CN messages (``messages.OS_ERRORS``) would leave in English.
    """
    return os.strerror(exc.errno) if exc.errno else str(exc)


def read_limited(path: Path, source: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """File bytes of a regular file, refusing before reading anything when the file is
    larger than ``limit`` (FIFOs, devices and folders are never opened for reading)."""
    try:
        return read_regular(path, limit)
    except LimitError as exc:
        raise PackError([Problem(source, None, str(exc))]) from None
    except OSError as exc:
        raise PackError([Problem(source, None, f"cannot read: {os_reason(exc)}")]) from None


def _too_big(size: int, limit: int) -> str:
    return too_big(size, limit)


def _check_table(
    table: Any,
    limits: dict[str, tuple[int, bool]],
    line: int | None,
    problems: list[Problem],
    source: str,
    what: str,
) -> None:
    if not isinstance(table, dict):
        return  # parse_document reports the wrong type
    for key, value in table.items():
        if key in limits and isinstance(value, str):
            max_len, multiline = limits[key]
            reason = field_problem(key, value, max_len, multiline=multiline)
            if reason:
                problems.append(Problem(source, line, f"{what}: {reason}"))
        elif key == "tags" and isinstance(value, list):
            if len(value) > MAX_TAGS:
                problems.append(Problem(source, line, f"{what}: more than {MAX_TAGS} tags"))
            for tag in value:
                if isinstance(tag, str):
                    reason = field_problem("tags", tag, MAX_TAG)
                    if reason:
                        problems.append(Problem(source, line, f"{what}: {reason}"))
        elif key == "examples" and isinstance(value, list):
            if len(value) > MAX_EXAMPLES:
                problems.append(
                    Problem(source, line, f"{what}: more than {MAX_EXAMPLES} example questions")
                )
            for example in value:
                if isinstance(example, str):
                    reason = field_problem("examples", example, MAX_EXAMPLE)
                    if reason:
                        problems.append(Problem(source, line, f"{what}: {reason}"))


def _precheck_keys(text: str, source: str) -> list[Problem]:
    """Refuse absurdly dotted keys/headers before TOML parsing (its cost grows quadratically)."""
    out: list[Problem] = []
    for i, line in enumerate(text.split("\n"), 1):
        m = _HEADER_KEY.match(line) or _BARE_KEY.match(line)
        if m and m.group(1).count(".") > MAX_KEY_DOTS:
            out.append(Problem(source, i, "keys are nested too deeply (data only, please)"))
            if len(out) >= 20:
                break
    return out


_LOCATE = re.compile(r"^(phrase|category)(?: id)? '([^']*)'")


def _locate(prob: Problem, lines: dict[str, dict[str, list[int]]]) -> Problem:
    """Give a line to parse_document's cross-reference problems (they name an id)."""
    if prob.line is not None:
        return prob
    m = _LOCATE.match(prob.message)
    if not m:
        return prob
    found = lines[m.group(1)].get(m.group(2), [])
    if not found:
        return prob
    line = found[1] if "appears twice" in prob.message and len(found) > 1 else found[0]
    return Problem(prob.file, line, prob.message)


def _id_lines(tables: list[Any], header_lines: list[int]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, t in enumerate(tables):
        if isinstance(t, dict) and isinstance(t.get("id"), str) and i < len(header_lines):
            out.setdefault(t["id"], []).append(header_lines[i])
    return out


def parse_pack_text(text: str, source: str) -> Pack:
    """Validate and parse pack text; raises :class:`PackError` listing every problem."""
    text = text.replace("\r\n", "\n")
    problems = _precheck_keys(text, source)
    if problems:
        raise PackError(problems)
    try:
        raw = loads_limited(text)
    except LimitError as exc:
        raise PackError([Problem(source, exc.line, str(exc))]) from None
    except tomllib.TOMLDecodeError as exc:
        line, msg = toml_error_line(exc)
        raise PackError([Problem(source, line, msg)]) from None

    meta_raw = raw.get("pack")
    if meta_raw is None:
        raise PackError(
            [Problem(source, 1, "not a Huashu pack: the [pack] table (format, name) is missing")]
        )
    if not isinstance(meta_raw, dict):
        raise PackError([Problem(source, None, "'pack' must be a table: [pack]")])
    pack_line = next(iter(_header_lines(text, "pack")), None) or _plain_header_line(text)
    fmt = meta_raw.get("format")
    if fmt is None:
        raise PackError([Problem(source, pack_line, "[pack] has no 'format' (use format = 1)")])
    if not isinstance(fmt, int) or isinstance(fmt, bool) or fmt < 1:
        raise PackError([Problem(source, pack_line, "[pack] 'format' must be a whole number >= 1")])
    if fmt > PACK_FORMAT:
        raise PackError(
            [
                Problem(
                    source,
                    pack_line,
                    f"pack format {fmt} is newer than this Huashu understands ({PACK_FORMAT}); "
                    "update Huashu to import it",
                )
            ]
        )

    cats = raw.get("categories", [])
    phrases = raw.get("phrases", [])
    if isinstance(cats, list) and len(cats) > MAX_CATEGORIES:
        raise PackError(
            [Problem(source, None, f"{len(cats)} categories; the limit is {MAX_CATEGORIES}")]
        )
    if isinstance(phrases, list) and len(phrases) > MAX_PHRASES:
        raise PackError(
            [Problem(source, None, f"{len(phrases)} phrases; the limit is {MAX_PHRASES}")]
        )

    meta, meta_problems = _meta(meta_raw, source, pack_line)
    problems.extend(meta_problems)
    cat_lines = _header_lines(text, "categories")
    phr_lines = _header_lines(text, "phrases")
    if isinstance(cats, list):
        for i, c in enumerate(cats):
            line = cat_lines[i] if i < len(cat_lines) else None
            _check_table(c, CATEGORY_LIMITS, line, problems, source, "category")
    if isinstance(phrases, list):
        for i, p in enumerate(phrases):
            line = phr_lines[i] if i < len(phr_lines) else None
            _check_table(p, PHRASE_LIMITS, line, problems, source, "phrase")

    doc = parse_document(text, source)
    lines = {
        "phrase": _id_lines(phrases if isinstance(phrases, list) else [], phr_lines),
        "category": _id_lines(cats if isinstance(cats, list) else [], cat_lines),
    }
    problems.extend(_locate(p, lines) for p in doc.problems)
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise PackError(problems)
    return Pack(meta, doc.categories, doc.phrases, source)


def _plain_header_line(text: str) -> int | None:
    pat = re.compile(r"^\s*\[\s*pack\s*\]")
    for i, line in enumerate(text.split("\n"), 1):
        if pat.match(line):
            return i
    return None


def _meta(d: dict[str, Any], source: str, line: int | None) -> tuple[PackMeta, list[Problem]]:
    problems: list[Problem] = []
    vals: dict[str, str] = {}
    for key, (max_len, multiline) in META_LIMITS.items():
        v = d.get(key, "")
        if isinstance(v, (_dt.date, _dt.datetime, _dt.time)):
            v = v.isoformat()
        if not isinstance(v, str):
            problems.append(Problem(source, line, f"[pack] '{key}' must be text (in quotes)"))
            v = ""
        reason = field_problem(key, v, max_len, multiline=multiline)
        if reason:
            problems.append(Problem(source, line, f"[pack] {reason}"))
        vals[key] = v
    if not vals["name"].strip() and not any("'name'" in p.message for p in problems):
        problems.append(Problem(source, line, "[pack] needs a 'name'"))
    return (
        PackMeta(
            name=vals["name"].strip(),
            format=int(d.get("format", PACK_FORMAT)),
            version=vals["version"],
            author=vals["author"],
            description=vals["description"],
            created=vals["created"],
        ),
        problems,
    )


def decode_pack_bytes(data: bytes, source: str) -> str:
    """UTF-8 (BOM accepted) text of a pack file; binary junk is refused clearly."""
    if b"\x00" in data:
        raise PackError([Problem(source, None, "this is a binary file, not a text pack")])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PackError(
            [Problem(source, line, "not valid UTF-8 text; save the pack as UTF-8")]
        ) from None


def read_pack(path: Path | str, source: str | None = None) -> Pack:
    """Read and validate a Huashu pack file; raises :class:`PackError`."""
    path = Path(path)
    source = source or path.name
    return parse_pack_text(decode_pack_bytes(read_limited(path, source), source), source)


def detect_kind(path: Path | str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return "qianniu"
    if suffix in (".txt", ".text"):
        return "text"
    return "huashu"


def read_any(path: Path | str, kind: str = "auto", *, text_category: str = "") -> Pack:
    """Read a Huashu pack, Qianniu CSV or plain text file (``kind`` auto = by extension)."""
    from app.core import qianniu

    if kind == "auto":
        kind = detect_kind(path)
    if kind == "qianniu":
        return qianniu.read_qianniu(path)
    if kind == "text":
        if not text_category.strip():
            raise PackError(
                [Problem(Path(path).name, None, "plain text needs a category to import into")]
            )
        return qianniu.read_plain_text(path, text_category)
    if kind == "huashu":
        return read_pack(path)
    raise ValueError(f"unknown pack kind {kind!r}")


# -- export --------------------------------------------------------------------------------
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


# -- import preview ------------------------------------------------------------------------
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


# -- apply ---------------------------------------------------------------------------------
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
        raise ValueError(f"conflict policy must be one of {', '.join(POLICIES)}")
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
            raise StorageError(f"category {new.category!r} does not exist")
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
        raise StorageError("import would create duplicate category ids")
    ids = [p.id for p in lib.phrases]
    if len(ids) != len(set(ids)):
        raise StorageError("import would create duplicate phrase ids")
    known = set(cat_ids)
    for p in lib.phrases:
        if p.category not in known:
            raise StorageError(f"phrase {p.id!r} would be in a missing category")


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
    ws.library_changed()


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
        raise StorageError(
            "cannot import into a library file that failed to load: "
            + ", ".join(sorted(clash))
            + " (fix or move that file first)"
        )
    res.backup = ws.store.backup("import")
    old = ws.library
    try:
        res.files = ws.store.save(new_lib)
    except BaseException:
        log.exception("import failed while writing; restoring the library from the backup")
        with ws.lock.hold():
            restore_library_files(ws.paths, res.backup)
            ws.library = old
            _reload(ws)
        raise
    ws.store.flush_cache()  # an import is large: the next start reads it warm even after a crash
    ws.library = new_lib
    ws.library_changed()
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
            raise StorageError(f"{backup_path} is not a backup of this library")
    # Read the backup first: taking the "undo-import" backup may rotate the oldest one,
    # which can be this very backup, away.
    wanted = read_backup(backup)
    with ws.lock.hold():  # one writer: no other process writes between restore and reload
        ws.store.backup("undo-import")
        changed = restore_library_files(ws.paths, backup, wanted)
        _reload(ws)
    return changed

"""Parse and write the TOML document shape shared by library files and packs.

```toml
[pack]                      # packs only
format = 1
...
[[categories]]
id = "greeting"
name = "欢迎语"
[[phrases]]
id = "greeting-welcome"
title = "标准欢迎语"
body = "..."
category = "greeting"
```

Parsing collects every problem (file, line, reason) instead of stopping at the first.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any

from app.core.fsutil import Problem, toml_error_line
from app.core.model import Category, Phrase
from app.core.problems import Msg
from app.core.safefile import LimitError, loads_limited

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

import tomli_w

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}\Z")  # \Z: "$" would let "a\n" in
PHRASE_KEYS = {
    "id",
    "title",
    "body",
    "category",
    "code",
    "hotkey",
    "tags",
    "examples",
    "created",
    "updated",
}
CATEGORY_KEYS = {"id", "name", "order", "parent"}


@dataclass
class ParsedDocument:
    """What a document holds, plus every problem found in it."""

    source: str
    meta: dict[str, Any] = field(default_factory=dict)
    schema_version: int | None = None
    categories: list[Category] = field(default_factory=list)
    phrases: list[Phrase] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _header_lines(text: str, header: str) -> list[int]:
    """1-based line numbers of each ``[[header]]`` table, in order."""
    # Searched for from its "[[" (a literal start the engine skips to quickly), then kept
    # when only blanks precede it on its line: a pattern anchored with ^ is tried at every
    # character (10k phrases: 30 ms -> 5 ms).
    pat = re.compile(r"\[\[[^\S\n]*" + re.escape(header) + r"[^\S\n]*\]\]")
    lines: list[int] = []
    line, pos = 1, 0
    for m in pat.finditer(text):
        start = m.start()
        before = text[text.rfind("\n", 0, start) + 1 : start]
        if before and not before.isspace():
            continue
        line += text.count("\n", pos, start)
        pos = start
        lines.append(line)
    return lines


def decode_utf8(data: bytes, source: str) -> tuple[str | None, Problem | None]:
    """Decode file bytes as UTF-8 (a BOM is accepted); a problem names the bad byte's line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Problem(
            source,
            line,
            Msg("doc.not_utf8", byte=data[exc.start]),
        )


def parse_document(text: str, source: str, *, allow_pack: bool = True) -> ParsedDocument:
    """Parse ``text`` (from ``source``, used in messages) into categories and phrases."""
    doc = ParsedDocument(source)
    try:
        raw = loads_limited(text)
    except LimitError as exc:
        doc.problems.append(Problem(source, exc.line, exc.message))
        return doc
    except tomllib.TOMLDecodeError as exc:
        line, msg = toml_error_line(exc)
        doc.problems.append(Problem(source, line, msg))
        return doc

    def problem(line: int | None, msg: str) -> None:
        doc.problems.append(Problem(source, line, msg))

    if "pack" in raw:
        if not allow_pack:
            problem(None, Msg("doc.pack_in_library"))
        elif not isinstance(raw["pack"], dict):
            problem(None, Msg("pack.pack_not_table"))
        else:
            doc.meta = dict(raw["pack"])
    sv = raw.get("schema_version")
    if sv is not None:
        if isinstance(sv, int) and not isinstance(sv, bool):
            doc.schema_version = sv
        else:
            problem(None, Msg("doc.bad_schema_version"))

    cat_lines = _header_lines(text, "categories")
    phr_lines = _header_lines(text, "phrases")
    cats = raw.get("categories", [])
    if not isinstance(cats, list):
        problem(None, Msg("doc.categories_not_array"))
        cats = []
    phrases = raw.get("phrases", [])
    if not isinstance(phrases, list):
        problem(None, Msg("doc.phrases_not_array"))
        phrases = []

    for i, c in enumerate(cats):
        line = cat_lines[i] if i < len(cat_lines) else None
        cat = _category(c, line, problem)
        if cat is not None:
            doc.categories.append(cat)
    for i, p in enumerate(phrases):
        line = phr_lines[i] if i < len(phr_lines) else None
        ph = _phrase(p, line, problem)
        if ph is not None:
            doc.phrases.append(ph)
    _check_references(doc, cat_lines, phr_lines)
    return doc


def _str(
    d: dict[str, Any], key: str, line: int | None, problem: Any, *, required: bool = False
) -> str | None:
    v = d.get(key)
    if v is None:
        if required:
            problem(line, Msg("doc.missing", field=key))
            return None
        return ""
    if not isinstance(v, str):
        problem(line, Msg("doc.not_text", field=key, type=type(v).__name__))
        return None
    return v


def _category(c: Any, line: int | None, problem: Any) -> Category | None:
    if not isinstance(c, dict):
        problem(line, Msg("doc.category_not_table"))
        return None
    ok = True
    cid = _str(c, "id", line, problem, required=True)
    name = _str(c, "name", line, problem, required=True)
    parent = _str(c, "parent", line, problem)
    order = c.get("order", 0)
    if not isinstance(order, int) or isinstance(order, bool):
        problem(line, Msg("doc.bad_order"))
        ok = False
    if cid is not None and not ID_RE.match(cid):
        problem(line, Msg("doc.bad_id", what="category", id=cid))
        ok = False
    if cid is None or name is None or parent is None or not ok:
        return None
    if not name.strip():
        problem(line, Msg("doc.empty_name", id=cid))
        return None
    return Category(id=cid, name=name, order=int(order), parent=parent or None)


def _phrase(p: Any, line: int | None, problem: Any) -> Phrase | None:
    """The phrase of table ``p``; problems (with ``line``) when it is not a good one."""
    # The common case first, checked in one expression (a cold load of 10k phrases spent
    # a third of its time in the field-by-field checks); anything else takes the path
    # that names each problem.
    if type(p) is dict:
        get = p.get
        pid, title, body, category = get("id"), get("title"), get("body"), get("category")
        code, hotkey = get("code", ""), get("hotkey", "")
        created, updated = get("created", ""), get("updated", "")
        tags, examples = get("tags", []), get("examples", [])
        if (
            type(pid) is str
            and type(title) is str
            and type(body) is str
            and type(category) is str
            and type(code) is str
            and type(hotkey) is str
            and type(created) is str
            and type(updated) is str
            and type(tags) is list
            and type(examples) is list
            and all(type(t) is str for t in tags)
            and all(type(e) is str for e in examples)
            and ID_RE.match(pid)
            and title.strip()
        ):
            return Phrase(
                id=pid,
                title=title,
                body=body,
                category=category,
                code=code.strip(),
                hotkey=hotkey.strip(),
                tags=list(tags),
                examples=[e for e in examples if e.strip()],
                created=created,
                updated=updated,
            )
    return _checked_phrase(p, line, problem)


def _checked_phrase(p: Any, line: int | None, problem: Any) -> Phrase | None:
    if not isinstance(p, dict):
        problem(line, Msg("doc.phrase_not_table"))
        return None
    vals: dict[str, str] = {}
    ok = True
    for key in ("id", "title", "body", "category"):
        v = _str(p, key, line, problem, required=True)
        if v is None:
            ok = False
        else:
            vals[key] = v
    for key in ("code", "hotkey", "created", "updated"):
        v = _str(p, key, line, problem)
        if v is None:
            ok = False
        else:
            vals[key] = v
    tags = p.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        problem(line, Msg("doc.bad_tags"))
        ok = False
    examples = p.get("examples", [])
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        problem(line, Msg("doc.bad_examples"))
        ok = False
    if not ok:
        return None
    if not ID_RE.match(vals["id"]):
        problem(line, Msg("doc.bad_id", what="phrase", id=vals["id"]))
        return None
    if not vals["title"].strip():
        problem(line, Msg("doc.empty_title", id=vals["id"]))
        return None
    return Phrase(
        id=vals["id"],
        title=vals["title"],
        body=vals["body"],
        category=vals["category"],
        code=vals["code"].strip(),
        hotkey=vals["hotkey"].strip(),
        tags=list(tags),
        examples=[e for e in examples if e.strip()],
        created=vals["created"],
        updated=vals["updated"],
    )


def _check_references(doc: ParsedDocument, cat_lines: list[int], phr_lines: list[int]) -> None:
    seen: set[str] = set()
    for c in doc.categories:
        if c.id in seen:
            doc.problems.append(
                Problem(doc.source, None, Msg("doc.duplicate_id", what="category", id=c.id))
            )
        seen.add(c.id)
    by_id = {c.id: c for c in doc.categories}
    for c in doc.categories:
        if c.parent:
            parent = by_id.get(c.parent)
            if parent is None:
                doc.problems.append(
                    Problem(doc.source, None, Msg("doc.no_parent", id=c.id, parent=c.parent))
                )
            elif parent.parent:
                doc.problems.append(Problem(doc.source, None, Msg("doc.nested_too_deep", id=c.id)))
    pseen: dict[str, int] = {}
    for i, p in enumerate(doc.phrases):
        if p.id in pseen:
            doc.problems.append(
                Problem(doc.source, None, Msg("doc.duplicate_id", what="phrase", id=p.id))
            )
        pseen[p.id] = i
        if p.category not in by_id:
            doc.problems.append(
                Problem(doc.source, None, Msg("doc.no_category", id=p.id, cat=p.category))
            )


def dump_document(
    categories: list[Category],
    phrases: list[Phrase],
    *,
    meta: dict[str, Any] | None = None,
    schema_version: int | None = None,
) -> str:
    """Serialise categories and phrases (stable order, human-editable TOML)."""
    out: dict[str, Any] = {}
    if schema_version is not None:
        out["schema_version"] = schema_version
    if meta:
        out["pack"] = meta
    out["categories"] = [
        {
            k: v
            for k, v in (("id", c.id), ("name", c.name), ("order", c.order), ("parent", c.parent))
            if v is not None
        }
        for c in categories
    ]
    out["phrases"] = [_phrase_table(p) for p in phrases]
    return tomli_w.dumps(out, multiline_strings=True)


def _phrase_table(p: Phrase) -> dict[str, Any]:
    t: dict[str, Any] = {"id": p.id, "title": p.title, "body": p.body, "category": p.category}
    if p.code:
        t["code"] = p.code
    if p.hotkey:
        t["hotkey"] = p.hotkey
    if p.tags:
        t["tags"] = list(p.tags)
    if p.examples:
        t["examples"] = list(p.examples)
    if p.created:
        t["created"] = p.created
    if p.updated:
        t["updated"] = p.updated
    return t

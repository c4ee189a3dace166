"""Read a Huashu pack file (TOML): decode, pre-check, parse and validate with limits;
the reader for any file is chosen in :mod:`app.core.packs.choose`.

A pack is one TOML file in the library document shape (see :mod:`app.core.document`) with
a ``[pack]`` table (``format = 1``, name, version, author, description, created). The
other readers (:mod:`app.core.packs.qianniu`) produce the same :class:`Pack` object, so
the preview and the apply step are shared.
"""

from __future__ import annotations

import datetime as _dt
import re
import sys
from pathlib import Path
from typing import Any

from app.core.document import _header_lines, parse_document
from app.core.fsutil import Problem, toml_error_line
from app.core.packs.format import (
    CATEGORY_LIMITS,
    MAX_CATEGORIES,
    MAX_KEY_DOTS,
    MAX_PHRASES,
    META_LIMITS,
    PACK_FORMAT,
    PHRASE_LIMITS,
    Pack,
    PackError,
    PackMeta,
    _check_table,
    field_problem,
    read_limited,
)
from app.core.problems import Msg
from app.core.safefile import LimitError, loads_limited

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_HEADER_KEY = re.compile(r"^\s*\[\[?([^\]\"'#]*)")
_BARE_KEY = re.compile(r"^\s*([A-Za-z0-9_\-. ]+)=")


def _precheck_keys(text: str, source: str) -> list[Problem]:
    """Refuse absurdly dotted keys/headers before TOML parsing (its cost grows quadratically)."""
    out: list[Problem] = []
    for i, line in enumerate(text.split("\n"), 1):
        m = _HEADER_KEY.match(line) or _BARE_KEY.match(line)
        if m and m.group(1).count(".") > MAX_KEY_DOTS:
            out.append(Problem(source, i, Msg("pack.deep_keys")))
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
        raise PackError([Problem(source, exc.line, exc.message)]) from None
    except tomllib.TOMLDecodeError as exc:
        line, msg = toml_error_line(exc)
        raise PackError([Problem(source, line, msg)]) from None

    meta_raw = raw.get("pack")
    if meta_raw is None:
        raise PackError([Problem(source, 1, Msg("pack.no_pack_table"))])
    if not isinstance(meta_raw, dict):
        raise PackError([Problem(source, None, Msg("pack.pack_not_table"))])
    pack_line = next(iter(_header_lines(text, "pack")), None) or _plain_header_line(text)
    fmt = meta_raw.get("format")
    if fmt is None:
        raise PackError([Problem(source, pack_line, Msg("pack.no_format"))])
    if not isinstance(fmt, int) or isinstance(fmt, bool) or fmt < 1:
        raise PackError([Problem(source, pack_line, Msg("pack.bad_format"))])
    if fmt > PACK_FORMAT:
        raise PackError(
            [
                Problem(
                    source,
                    pack_line,
                    Msg("pack.newer_format", fmt=fmt, ours=PACK_FORMAT),
                )
            ]
        )

    cats = raw.get("categories", [])
    phrases = raw.get("phrases", [])
    if isinstance(cats, list) and len(cats) > MAX_CATEGORIES:
        raise PackError(
            [
                Problem(
                    source, None, Msg("pack.too_many_categories", n=len(cats), max=MAX_CATEGORIES)
                )
            ]
        )
    if isinstance(phrases, list) and len(phrases) > MAX_PHRASES:
        raise PackError(
            [Problem(source, None, Msg("pack.too_many_phrases", n=len(phrases), max=MAX_PHRASES))]
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
            problems.append(Problem(source, line, Msg("pack.meta_not_text", field=key)))
            v = ""
        reason = field_problem(key, v, max_len, multiline=multiline)
        if reason:
            problems.append(Problem(source, line, Msg("pack.meta_field", reason=reason)))
        vals[key] = v
    if not vals["name"].strip() and not any("'name'" in p.message for p in problems):
        problems.append(Problem(source, line, Msg("pack.no_name")))
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
        raise PackError([Problem(source, None, Msg("pack.binary"))])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PackError([Problem(source, line, Msg("pack.not_utf8"))]) from None


def read_pack(path: Path | str, source: str | None = None) -> Pack:
    """Read and validate a Huashu pack file; raises :class:`PackError`."""
    path = Path(path)
    source = source or path.name
    return parse_pack_text(decode_pack_bytes(read_limited(path, source), source), source)

"""Qianniu (千牛) quick-phrase CSV and plain text: import and export.

Qianniu CSV: header ``快捷短语编码,快捷短语,快捷短语分组`` (code, body, group name). Files
come in UTF-8, UTF-8 with BOM, GBK or GB18030; the encoding is detected and reported.
Exported files are UTF-8 with BOM and CRLF line ends (what Excel and Qianniu expect);
multi-line bodies are quoted.

Plain text: one phrase per line into one chosen category; the title is the first
characters of the line.

Both produce a :class:`app.core.packs.format.Pack` without ids, imported through the same
preview/apply path as Huashu packs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from app.core.fsutil import Problem, atomic_write_bytes
from app.core.model import Category, Library, Phrase
from app.core.packs.export import select_for_export
from app.core.packs.format import (
    MAX_BODY,
    MAX_CATEGORIES,
    MAX_CODE,
    MAX_FILE_BYTES,
    MAX_NAME,
    MAX_PHRASES,
    Pack,
    PackError,
    PackMeta,
    field_problem,
    read_limited,
)
from app.core.problems import Msg
from app.core.textcheck import csv_safe, csv_unsafe, looks_like_formula

HEADER = ("快捷短语编码", "快捷短语", "快捷短语分组")
DEFAULT_GROUP = "未分组"
TITLE_CHARS = 12
MAX_PROBLEMS = 200

ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "gbk": "GBK",
    "gb18030": "GB18030",
}


def decode_text(data: bytes, source: str) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 (with or without BOM), else GBK, else GB18030."""
    if b"\x00" in data:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise PackError([Problem(source, None, Msg("qianniu.utf16"))])
        raise PackError([Problem(source, None, Msg("qianniu.binary"))])
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            line = data[: exc.start + 3].count(b"\n") + 1
            raise PackError([Problem(source, line, Msg("qianniu.bad_bom"))]) from None
    for enc in ("utf-8", "gbk", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise PackError([Problem(source, None, Msg("qianniu.unknown_encoding"))])


def make_title(body: str) -> str:
    """A title from a body: its first ~12 characters on one line."""
    flat = " ".join(body.split())
    return flat if len(flat) <= TITLE_CHARS else flat[:TITLE_CHARS] + "…"


def _clean_body(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_qianniu(data: bytes, source: str) -> Pack:
    """Parse Qianniu CSV bytes into a pack (no ids); raises PackError with every problem."""
    text, encoding = decode_text(data, source)
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    prev = 0
    try:
        for row in reader:
            rows.append((prev + 1, row))
            prev = reader.line_num
            if len(rows) > MAX_PHRASES + 1:
                raise PackError(
                    [Problem(source, prev, Msg("qianniu.too_many_rows", n=MAX_PHRASES))]
                )
    except csv.Error as exc:
        raise PackError(
            [Problem(source, reader.line_num or None, Msg("qianniu.invalid_csv", csv=str(exc)))]
        ) from None
    if not rows:
        raise PackError([Problem(source, 1, Msg("qianniu.empty", header=",".join(HEADER)))])
    header = [h.strip().lstrip("\ufeff") for h in rows[0][1]]
    missing = [h for h in HEADER[:2] if h not in header]
    if missing:
        raise PackError([Problem(source, 1, Msg("qianniu.not_qianniu", header=",".join(HEADER)))])
    col_code = header.index(HEADER[0])
    col_body = header.index(HEADER[1])
    col_group = header.index(HEADER[2]) if HEADER[2] in header else None
    groups: dict[str, Category] = {}
    phrases: list[Phrase] = []
    warnings: list[Problem] = []
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue

        def cell(i: int | None, row: list[str] = row) -> str:
            return row[i] if i is not None and i < len(row) else ""

        raw = [cell(col_code), cell(col_body), cell(col_group)]
        for name, value in zip(HEADER, map(csv_unsafe, raw), strict=True):
            if looks_like_formula(value) and len(warnings) < MAX_PROBLEMS:
                warnings.append(
                    Problem(source, line, Msg("qianniu.formula", col=name, ch=value[:1]))
                )
        code = csv_unsafe(raw[0].strip())
        body = _clean_body(csv_unsafe(raw[1]))
        group = " ".join(csv_unsafe(raw[2]).split()) or DEFAULT_GROUP
        bad = [
            r
            for r in (
                field_problem(HEADER[0], code, MAX_CODE),
                field_problem(HEADER[1], body, MAX_BODY, multiline=True),
                field_problem(HEADER[2], group, MAX_NAME),
            )
            if r
        ]
        if not body.strip():
            bad.append(Msg("qianniu.empty_phrase"))
        if bad:
            problems.extend(Problem(source, line, r) for r in bad)
            if len(problems) >= MAX_PROBLEMS:
                break
            continue
        cat = groups.get(group)
        if cat is None:
            if len(groups) >= MAX_CATEGORIES:
                problems.append(
                    Problem(source, line, Msg("qianniu.too_many_groups", n=MAX_CATEGORIES))
                )
                break
            cat = Category(f"g{len(groups) + 1}", group, order=len(groups) * 10)
            groups[group] = cat
        phrases.append(
            Phrase(
                id=f"q{len(phrases) + 1}",
                title=make_title(body),
                body=body,
                category=cat.id,
                code=code,
            )
        )
    if problems:
        raise PackError(problems)
    meta = PackMeta(name=Path(source).stem or "Qianniu")
    return Pack(
        meta,
        list(groups.values()),
        phrases,
        source,
        kind="qianniu",
        encoding=encoding,
        warnings=warnings,
    )


def read_qianniu(path: Path | str) -> Pack:
    path = Path(path)
    return parse_qianniu(read_limited(path, path.name), path.name)


def parse_plain_text(data: bytes, source: str, category_name: str) -> Pack:
    """One phrase per non-empty line, all into the category named ``category_name``."""
    text, encoding = decode_text(data, source)
    name = " ".join(category_name.split())
    reason = field_problem("category", name, MAX_NAME)
    if not name or reason:
        raise PackError([Problem(source, None, reason or Msg("text.no_category_name"))])
    cat = Category("t1", name)
    phrases: list[Phrase] = []
    problems: list[Problem] = []
    for i, raw in enumerate(_clean_body(text).split("\n"), 1):
        body = raw.strip()
        if not body:
            continue
        reason = field_problem("line", body, MAX_BODY)
        if reason:
            problems.append(Problem(source, i, reason))
            if len(problems) >= MAX_PROBLEMS:
                break
            continue
        if len(phrases) >= MAX_PHRASES:
            problems.append(Problem(source, i, Msg("text.too_many_lines", n=MAX_PHRASES)))
            break
        phrases.append(Phrase(f"t{i}", make_title(body), body, cat.id))
    if problems:
        raise PackError(problems)
    meta = PackMeta(name=Path(source).stem or name)
    return Pack(meta, [cat], phrases, source, kind="text", encoding=encoding)


def read_plain_text(path: Path | str, category_name: str) -> Pack:
    path = Path(path)
    return parse_plain_text(read_limited(path, path.name), path.name, category_name)


# -- export --------------------------------------------------------------------------------
def dump_qianniu(library: Library, categories: Sequence[str] | None = None) -> bytes:
    """Qianniu CSV bytes: UTF-8 with BOM, CRLF, every row code, body, group name.

    Cells that start like a formula (``= + - @``, tab, CR) get a leading apostrophe so a
    spreadsheet shows them as text (docs/pack-format.md says what Qianniu receives)."""
    cats, phrases = select_for_export(library, categories)
    names = {c.id: c.name for c in cats}
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADER)
    for p in phrases:
        row = [p.code, p.body, names.get(p.category, DEFAULT_GROUP)]
        writer.writerow([csv_safe(cell) for cell in row])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def export_qianniu(
    library: Library, path: Path | str, categories: Sequence[str] | None = None
) -> int:
    """Write a Qianniu CSV; returns the number of phrases written."""
    data = dump_qianniu(library, categories)
    if len(data) > MAX_FILE_BYTES:
        raise PackError([Problem(Path(path).name, None, Msg("qianniu.export_too_big", max=10))])
    atomic_write_bytes(Path(path), data)
    return len(select_for_export(library, categories)[1])

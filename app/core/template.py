"""Placeholder template engine: parse and render phrase bodies.

A body is plain text with ``{name}`` placeholders; ``{{`` and ``}}`` are literal braces.
Placeholders are data, never code: a body is only ever scanned with one regular
expression and looked up in fixed tables (no ``eval``, no ``str.format``, no attribute,
file or environment access). Date and time formats are interpreted by a small built-in
formatter (:mod:`app.core.template_format`), so they do not depend on the OS locale and
accept any text (e.g. ``%m月%d日``).

Supported placeholders (English name / Chinese alias):

- ``{agent_no}`` ``{工号}``, ``{agent_name}`` ``{客服}``, ``{shop}`` ``{店铺}``: from the profile.
- ``{customer}`` ``{顾客}``, ``{product}`` ``{商品}``: fields asked in the fill-in form.
- ``{input:label}`` ``{输入:label}``: a free fill-in field.
- ``{choice:label|A|B}`` ``{选择:label|A|B}``: pick one option in the fill-in form.
- ``{date}`` ``{日期}``: today; ``{date:%m.%d}``, ``{date+3d}``, ``{date-1d}``, ``{date+2w}``,
  ``{date+3d:%m月%d日}`` (units ``d``/``天`` and ``w``/``周``).
- ``{time}`` ``{时间}``: now (``%H:%M``), ``{time:FMT}``.
- ``{greeting}`` ``{问候}``: 早上好 / 中午好 / 下午好 / 晚上好 by the hour.
- ``{clipboard}`` ``{剪贴板}``: the clipboard text (read lazily, once per render).
- ``{cursor}`` ``{光标}``: where the caret should end; the first one wins, later ones vanish.

Whitespace around a name (``{ 顾客 }``), upper-case English names and the full-width
separators ``：`` and ``｜`` are tolerated. Anything else in braces, and a lone ``{`` or
``}``, is left verbatim in the output and reported as :class:`Unknown`.

Format directives: ``%Y %y %m %d %H %I %M %S %p %a %A %b %B %j %w %u %%``; the numeric
ones also take a ``-`` (or Windows-style ``#``) flag for no zero padding: ``%-m月%-d日``.
Where the caret lands for ``{cursor}`` after pasting: :mod:`app.core.caret`.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.core.template_format import FormatItem, compile_format, format_datetime, greeting

__all__ = [
    "Context",
    "Field",
    "MissingFields",
    "PlaceholderInfo",
    "Rendered",
    "Span",
    "Unknown",
    "escape",
    "fields_needed",
    "placeholder_catalog",
    "render",
    "render_preview",
    "spans",
    "unknown_placeholders",
]

_log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- public types


@dataclass(frozen=True)
class Field:
    """A value the user must give before rendering (asked in the fill-in form)."""

    key: str  # stable key used in `values`: "customer", "product", "input:备注", "choice:尺码"
    kind: str  # "customer" | "product" | "input" | "choice"
    label: str  # "顾客" / "商品" for the named ones, the label text otherwise
    options: tuple[str, ...] = ()  # for choice


@dataclass(frozen=True)
class Unknown:
    """An unknown or malformed placeholder; it is left visible in the output."""

    text: str  # the verbatim text, e.g. "{foo}"
    start: int  # offset in the body
    end: int
    reason: str  # English, e.g. "unknown placeholder 'foo'"


@dataclass(frozen=True)
class Span:
    """A highlighted range of the body (str offsets) for the editor."""

    start: int
    end: int
    kind: str  # "placeholder" | "field" | "unknown" | "escape"


@dataclass
class Context:
    """Everything a render may read besides the user's field values."""

    agent_no: str = ""
    agent_name: str = ""
    shop: str = ""
    now: datetime | None = None  # None -> datetime.now()
    clipboard: Callable[[], str] | None = None  # called lazily, only if {clipboard} is used


@dataclass(frozen=True)
class Rendered:
    """The result of a render."""

    text: str
    cursor: int | None  # caret offset in `text` where {cursor} was; None if absent
    unknown: tuple[Unknown, ...]


@dataclass(frozen=True)
class PlaceholderInfo:
    """One row of the placeholder table, for an "insert placeholder" menu."""

    name: str
    alias: str
    description: str
    example: str
    insert_text: str


class MissingFields(Exception):
    """Raised by :func:`render` when a needed field has no value."""

    def __init__(self, fields: tuple[Field, ...]) -> None:
        self.fields: tuple[Field, ...] = tuple(fields)
        super().__init__(self.fields)

    def __str__(self) -> str:
        names = ", ".join(
            f.label if f.key == f.label else f"{f.label} ({f.key})" for f in self.fields
        )
        return f"missing values for {len(self.fields)} field(s): {names}"


# --------------------------------------------------------------------------- parsing

# Operations of parsed tokens (literal text is stored as a plain str).
_OP_PROFILE = 1  # attr: agent_no / agent_name / shop
_OP_FIELD = 2
_OP_DATETIME = 3  # date or time: offset days + compiled format
_OP_GREETING = 4
_OP_CLIPBOARD = 5
_OP_CURSOR = 6
_OP_UNKNOWN = 7


class _Tok:
    __slots__ = ("attr", "days", "field", "fmt", "op", "start", "text")

    def __init__(
        self,
        op: int,
        *,
        attr: str = "",
        field: Field | None = None,
        days: int = 0,
        fmt: tuple[FormatItem, ...] = (),
    ) -> None:
        self.op = op
        self.attr = attr
        self.field = field
        self.days = days
        self.fmt = fmt
        self.text = ""  # the body text of the placeholder
        self.start = 0  # its offset in the body


@dataclass(frozen=True)
class _Parsed:
    tokens: tuple[str | _Tok, ...]
    fields: tuple[Field, ...]
    unknown: tuple[Unknown, ...]
    spans: tuple[Span, ...]


# `{{`, `}}`, a placeholder on one line without nested braces, or a lone brace.
_TOKEN_RE = re.compile(r"\{\{|\}\}|\{([^{}\r\n]*)\}|[{}]")
_SEPARATOR_RE = re.compile(r"[:：]")
_OPTION_SEP_RE = re.compile(r"[|｜]")
_DATE_RE = re.compile(r"(date|日期)(?:\s*([+-])\s*(\d{1,5})\s*([dw天周]))?")
_DATE_PREFIX_RE = re.compile(r"(?:date|日期)\s*[+-]")

_PROFILE_NAMES = {
    "agent_no": "agent_no",
    "工号": "agent_no",
    "agent_name": "agent_name",
    "客服": "agent_name",
    "shop": "shop",
    "店铺": "shop",
}
_NAMED_FIELDS = {
    "customer": Field("customer", "customer", "顾客"),
    "顾客": Field("customer", "customer", "顾客"),
    "product": Field("product", "product", "商品"),
    "商品": Field("product", "product", "商品"),
}
_SIMPLE_OPS = {
    "greeting": _OP_GREETING,
    "问候": _OP_GREETING,
    "clipboard": _OP_CLIPBOARD,
    "剪贴板": _OP_CLIPBOARD,
    "cursor": _OP_CURSOR,
    "光标": _OP_CURSOR,
}
_TIME_NAMES = ("time", "时间")
_INPUT_NAMES = ("input", "输入")
_CHOICE_NAMES = ("choice", "选择")


def _builtin_format(fmt: str) -> tuple[FormatItem, ...]:
    items = compile_format(fmt)
    if isinstance(items, str):
        raise ValueError(items)
    return items


_DEFAULT_DATE_FMT = _builtin_format("%Y-%m-%d")
_DEFAULT_TIME_FMT = _builtin_format("%H:%M")


def _classify(content: str) -> _Tok | str:
    """Turn the text between braces into a token, or return why it is not valid."""
    content = content.strip()
    if not content:
        return "empty placeholder"
    sep = _SEPARATOR_RE.search(content)
    if sep is None:
        head, arg = content, None
    else:
        head, arg = content[: sep.start()].strip(), content[sep.end() :].strip()
    if not head:
        return "empty placeholder name"
    name = head.lower()

    if name in _INPUT_NAMES or name in _CHOICE_NAMES:
        if arg is None:
            return f"'{head}' needs a label, e.g. {{{head}:备注}}"
        if name in _INPUT_NAMES:
            if not arg:
                return f"'{head}' needs a label"
            return _Tok(_OP_FIELD, field=Field(f"input:{arg}", "input", arg))
        label, *rest = (part.strip() for part in _OPTION_SEP_RE.split(arg))
        options = tuple(dict.fromkeys(opt for opt in rest if opt))
        if not label:
            return f"'{head}' needs a label"
        if not options:
            return f"'{head}' needs at least one option, e.g. {{{head}:尺码|S|M}}"
        return _Tok(_OP_FIELD, field=Field(f"choice:{label}", "choice", label, options))

    date = _DATE_RE.fullmatch(name)
    is_time = name in _TIME_NAMES
    if date is not None or is_time:
        if arg:
            fmt = compile_format(arg)
            if isinstance(fmt, str):
                return f"bad {'date' if date else 'time'} format: {fmt}"
        else:
            fmt = _DEFAULT_DATE_FMT if date else _DEFAULT_TIME_FMT
        days = 0
        if date is not None and date.group(2):
            days = int(date.group(3)) * (7 if date.group(4) in ("w", "周") else 1)
            if date.group(2) == "-":
                days = -days
        return _Tok(_OP_DATETIME, days=days, fmt=fmt)
    if _DATE_PREFIX_RE.match(name):
        return "bad date offset (use e.g. +3d, -1d, +2w)"

    if name in _PROFILE_NAMES or name in _NAMED_FIELDS or name in _SIMPLE_OPS:
        if arg is not None:
            return f"placeholder '{head}' takes no argument"
        if name in _PROFILE_NAMES:
            return _Tok(_OP_PROFILE, attr=_PROFILE_NAMES[name])
        if name in _NAMED_FIELDS:
            return _Tok(_OP_FIELD, field=_NAMED_FIELDS[name])
        return _Tok(_SIMPLE_OPS[name])
    return f"unknown placeholder '{head}'"


@functools.lru_cache(maxsize=2048)
def _parse(body: str) -> _Parsed:
    tokens: list[str | _Tok] = []
    fields: dict[str, Field] = {}
    unknown: list[Unknown] = []
    span_list: list[Span] = []
    literal: list[str] = []
    pos = 0

    def flush() -> None:
        if literal:
            tokens.append("".join(literal))
            literal.clear()

    for m in _TOKEN_RE.finditer(body):
        start, end = m.span()
        if start > pos:
            literal.append(body[pos:start])
        pos = end
        text = m.group(0)
        if text in ("{{", "}}"):
            literal.append(text[0])
            span_list.append(Span(start, end, "escape"))
            continue
        content = m.group(1)
        if content is None:
            reason = "unclosed '{'" if text == "{" else "unmatched '}'"
            tok: _Tok | str = reason
        else:
            tok = _classify(content)
        flush()
        if isinstance(tok, str):
            unk = Unknown(text, start, end, tok)
            unknown.append(unk)
            unknown_tok = _Tok(_OP_UNKNOWN)
            unknown_tok.text = text
            unknown_tok.start = start
            tokens.append(unknown_tok)
            span_list.append(Span(start, end, "unknown"))
            continue
        tok.text = text
        tok.start = start
        tokens.append(tok)
        if tok.field is not None:
            fields.setdefault(tok.field.key, tok.field)
            span_list.append(Span(start, end, "field"))
        else:
            span_list.append(Span(start, end, "placeholder"))
    if pos < len(body):
        literal.append(body[pos:])
    flush()
    return _Parsed(tuple(tokens), tuple(fields.values()), tuple(unknown), tuple(span_list))


# --------------------------------------------------------------------------- rendering


def _render(parsed: _Parsed, ctx: Context, values: Mapping[str, str], preview: bool) -> Rendered:
    out: list[str] = []
    extra_unknown: list[Unknown] = []
    cursor_at: int | None = None  # index in `out`
    now: datetime | None = None
    clip: str | None = None
    for tok in parsed.tokens:
        if type(tok) is str:
            out.append(tok)
            continue
        assert isinstance(tok, _Tok)
        op = tok.op
        if op == _OP_FIELD:
            assert tok.field is not None
            value = values.get(tok.field.key)
            if preview and not value:
                field = tok.field
                value = field.options[0] if field.options else f"【{field.label}】"
            out.append(value or "")
        elif op == _OP_PROFILE:
            out.append(getattr(ctx, tok.attr) or "")
        elif op in (_OP_DATETIME, _OP_GREETING):
            if now is None:
                now = ctx.now if ctx.now is not None else datetime.now()
            if op == _OP_GREETING:
                out.append(greeting(now.hour))
                continue
            try:
                moment = now + timedelta(days=tok.days) if tok.days else now
            except OverflowError:
                end = tok.start + len(tok.text)
                extra_unknown.append(Unknown(tok.text, tok.start, end, "date out of range"))
                out.append(tok.text)
                continue
            out.append(format_datetime(moment, tok.fmt))
        elif op == _OP_CLIPBOARD:
            if clip is None:
                clip = _read_clipboard(ctx)
            out.append(clip)
        elif op == _OP_CURSOR:
            if cursor_at is None:
                cursor_at = len(out)
        else:  # _OP_UNKNOWN
            out.append(tok.text)
    cursor = None if cursor_at is None else sum(len(s) for s in out[:cursor_at])
    unknown = parsed.unknown
    if extra_unknown:
        unknown = tuple(sorted((*unknown, *extra_unknown), key=lambda u: u.start))
    return Rendered("".join(out), cursor, unknown)


def _read_clipboard(ctx: Context) -> str:
    if ctx.clipboard is None:
        return ""
    try:
        text = ctx.clipboard()
    except Exception:  # a failing clipboard must not lose the reply
        _log.warning("reading the clipboard for {clipboard} failed", exc_info=True)
        return ""
    return text if isinstance(text, str) else ""


# --------------------------------------------------------------------------- public API


def fields_needed(body: str) -> list[Field]:
    """Fields the user must fill in, in order of first appearance, one per key."""
    return list(_parse(body).fields)


def unknown_placeholders(body: str) -> list[Unknown]:
    """Unknown or malformed placeholders and lone braces, in order."""
    return list(_parse(body).unknown)


def spans(body: str) -> list[Span]:
    """Ranges to highlight in the editor, in order (str offsets, not UTF-16)."""
    return list(_parse(body).spans)


def render(body: str, ctx: Context, values: Mapping[str, str] | None = None) -> Rendered:
    """Render ``body``; raise :class:`MissingFields` if a needed field has no value."""
    vals: Mapping[str, str] = values if values is not None else {}
    parsed = _parse(body)
    missing = tuple(f for f in parsed.fields if f.key not in vals)
    if missing:
        raise MissingFields(missing)
    return _render(parsed, ctx, vals, preview=False)


def render_preview(body: str, ctx: Context, values: Mapping[str, str] | None = None) -> Rendered:
    """Render for display; never raises.

    A field without a value (missing or empty) shows as a marker such as 【顾客】; a
    choice shows its first option instead.
    """
    return _render(_parse(body), ctx, values if values is not None else {}, preview=True)


def escape(text: str) -> str:
    """Make plain text render as itself (double every brace)."""
    return text.replace("{", "{{").replace("}", "}}")


_CATALOG = (
    PlaceholderInfo("agent_no", "工号", "Agent number from the profile.", "1024", "{工号}"),
    PlaceholderInfo("agent_name", "客服", "Agent name from the profile.", "阿华", "{客服}"),
    PlaceholderInfo("shop", "店铺", "Name of the active shop.", "花漾旗舰店", "{店铺}"),
    PlaceholderInfo(
        "customer", "顾客", "Customer name, asked in the fill-in form.", "小王", "{顾客}"
    ),
    PlaceholderInfo(
        "product", "商品", "Product name, asked in the fill-in form.", "纯棉T恤", "{商品}"
    ),
    PlaceholderInfo(
        "date",
        "日期",
        "Today's date (default %Y-%m-%d). Format: {日期:%m月%d日}; shift: {日期+3d}, "
        "{日期-1d}, {日期+2w}; both: {日期+3d:%m.%d}. Use %-m / %-d for no leading zero.",
        "2026-04-15",
        "{日期}",
    ),
    PlaceholderInfo(
        "time", "时间", "Current time (default %H:%M). Format: {时间:%H点%M分}.", "14:30", "{时间}"
    ),
    PlaceholderInfo(
        "greeting",
        "问候",
        "Greeting by time of day: 早上好 (5-11), 中午好 (11-13), 下午好 (13-18), else 晚上好.",
        "下午好",
        "{问候}",
    ),
    PlaceholderInfo("clipboard", "剪贴板", "Current clipboard text.", "SF1234567890", "{剪贴板}"),
    PlaceholderInfo(
        "input",
        "输入",
        "Free fill-in field with the given label, asked in the fill-in form.",
        "周五前",
        "{输入:备注}",
    ),
    PlaceholderInfo(
        "choice",
        "选择",
        "Pick one of the options (label|A|B|C) in the fill-in form.",
        "M",
        "{选择:尺码|S|M|L}",
    ),
    PlaceholderInfo(
        "cursor",
        "光标",
        "Where the caret ends after pasting; produces no text.",
        "",
        "{光标}",
    ),
)


def placeholder_catalog() -> list[PlaceholderInfo]:
    """Every supported placeholder, in menu order."""
    return list(_CATALOG)


PROFILE_LABELS = {"agent_no": "{工号}", "agent_name": "{客服}", "shop": "{店铺}"}


def profile_placeholders(body: str) -> list[str]:
    """Profile values ``body`` uses (``agent_no``, ``agent_name``, ``shop``), once each."""
    return list(
        dict.fromkeys(
            t.attr for t in _parse(body).tokens if isinstance(t, _Tok) and t.op == _OP_PROFILE
        )
    )

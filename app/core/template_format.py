"""Dates and times for ``{date:FMT}`` / ``{time:FMT}``: a small strftime-like formatter.

Interpreted here, never by ``time.strftime``, so the output does not depend on the OS
locale and the format may hold any text (e.g. ``%m月%d日``). Also the ``{greeting}`` of an
hour. Used by :mod:`app.core.template`.

Format directives: ``%Y %y %m %d %H %I %M %S %p %a %A %b %B %j %w %u %%``; the numeric
ones also take a ``-`` (or Windows-style ``#``) flag for no zero padding: ``%-m月%-d日``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeAlias

__all__ = ["FormatItem", "compile_format", "format_datetime", "greeting"]

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _num(value: int, width: int, pad: bool) -> str:
    return str(value).zfill(width) if pad else str(value)


_NUMERIC: dict[str, tuple[Callable[[datetime], int], int]] = {
    "Y": (lambda d: d.year, 4),
    "y": (lambda d: d.year % 100, 2),
    "m": (lambda d: d.month, 2),
    "d": (lambda d: d.day, 2),
    "H": (lambda d: d.hour, 2),
    "I": (lambda d: d.hour % 12 or 12, 2),
    "M": (lambda d: d.minute, 2),
    "S": (lambda d: d.second, 2),
    "j": (lambda d: d.timetuple().tm_yday, 3),
    "w": (lambda d: (d.weekday() + 1) % 7, 1),
    "u": (lambda d: d.weekday() + 1, 1),
}

_TEXTUAL: dict[str, Callable[[datetime], str]] = {
    "a": lambda d: _WEEKDAYS[d.weekday()][:3],
    "A": lambda d: _WEEKDAYS[d.weekday()],
    "b": lambda d: _MONTHS[d.month - 1][:3],
    "B": lambda d: _MONTHS[d.month - 1],
    "p": lambda d: "AM" if d.hour < 12 else "PM",
}


@dataclass(frozen=True)
class _Directive:
    code: str
    pad: bool


#: One piece of a compiled format: literal text or a directive.
FormatItem: TypeAlias = "str | _Directive"


def compile_format(fmt: str) -> tuple[FormatItem, ...] | str:
    """Compile a strftime-like format; return the items or an error message."""
    items: list[FormatItem] = []
    literal: list[str] = []
    i, n = 0, len(fmt)
    while i < n:
        ch = fmt[i]
        if ch != "%":
            literal.append(ch)
            i += 1
            continue
        pad = True
        j = i + 1
        if j < n and fmt[j] in "-#":
            pad = False
            j += 1
        if j >= n:
            return "lone '%' at the end"
        code = fmt[j]
        if code == "%" and pad:
            literal.append("%")
        elif code in _NUMERIC or (pad and code in _TEXTUAL):
            if literal:
                items.append("".join(literal))
                literal = []
            items.append(_Directive(code, pad))
        else:
            return f"unsupported directive '{fmt[i : j + 1]}'"
        i = j + 1
    if literal:
        items.append("".join(literal))
    return tuple(items)


def format_datetime(dt: datetime, items: tuple[FormatItem, ...]) -> str:
    """``dt`` written with the items of :func:`compile_format`."""
    parts: list[str] = []
    for item in items:
        if type(item) is str:
            parts.append(item)
        else:
            assert isinstance(item, _Directive)
            numeric = _NUMERIC.get(item.code)
            if numeric is not None:
                getter, width = numeric
                parts.append(_num(getter(dt), width, item.pad))
            else:
                parts.append(_TEXTUAL[item.code](dt))
    return "".join(parts)


def greeting(hour: int) -> str:
    """The ``{greeting}`` for ``hour`` (0-23): 早上好, 中午好, 下午好 or 晚上好."""
    if 5 <= hour < 11:
        return "早上好"
    if 11 <= hour < 13:
        return "中午好"
    if 13 <= hour < 18:
        return "下午好"
    return "晚上好"

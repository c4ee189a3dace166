"""Clean text: characters that must never reach a title, a code, a profile field or a name.

- Control characters (C0 but tab/newline where allowed, DEL, C1) break exports and
  terminals; ``{工号}`` = ``7\\n\\x1b[31m`` must not go into every reply.
- Invisible and bidirectional characters (zero-width spaces and joiners, directional
  marks, embeddings, overrides and isolates, the BOM, line/paragraph separators) make
  ``cf\\u200b1`` look like ``cf1`` and turn text around; they are refused in one-line
  fields and flagged by the linter in bodies.
"""

from __future__ import annotations

import re

from app.core.problems import Msg

INVISIBLE_RANGES = (
    (0x200B, 0x200F),  # zero width space / non-joiner / joiner, LRM, RLM
    (0x202A, 0x202E),  # LRE, RLE, PDF, LRO, RLO
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x2066, 0x2069),  # LRI, RLI, FSI, PDI
    (0xFEFF, 0xFEFF),  # BOM / zero width no-break space
    (0x2028, 0x2029),  # line and paragraph separators
)
INVISIBLE = re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in INVISIBLE_RANGES) + "]")
# C0 controls but tab and newline (multi-line fields), DEL and C1 controls.
CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def invisible_chars(text: str) -> list[tuple[int, str]]:
    """(index, character) of each invisible or bidirectional character in ``text``."""
    return [(m.start(), m.group(0)) for m in INVISIBLE.finditer(text)]


def text_problem(value: str, max_len: int, *, multiline: bool = False, key: str = "") -> str | None:
    """Why ``value`` is not acceptable (length, control or invisible characters), or None.

    The reason reads after the field's name: ``'title' <reason>`` (given ``key``, the
    name is put in front). Bodies (``multiline``) may hold line breaks, tabs and invisible
    characters (the linter flags the latter).
    """
    reason = _reason(value, max_len, multiline)
    return Msg("field.problem", field=key, reason=reason) if key and reason else reason


def _reason(value: str, max_len: int, multiline: bool) -> Msg | None:
    if len(value) > max_len:
        return Msg("text.too_long", n=len(value), max=max_len)
    m = (CONTROL_MULTILINE if multiline else CONTROL_ONE_LINE).search(value)
    if m:
        ch = m.group(0)
        if ch in "\r\n":
            return Msg("text.line_break")
        return Msg("text.control_char", cp=ord(ch))
    if not multiline:
        m = INVISIBLE.search(value)
        if m:
            return Msg("text.invisible_char", cp=ord(m.group(0)))
    return None


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A CSV cell starting with one of these may be run as a formula by Excel/WPS (OWASP)."""


def csv_safe(cell: str) -> str:
    """``cell`` for a CSV file meant for spreadsheets: a formula-like start gets a leading
    apostrophe (``=1+1`` -> ``'=1+1``), which spreadsheets show as text and hide."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def csv_unsafe(cell: str) -> str:
    """Undo :func:`csv_safe` on import (``'=1+1`` -> ``=1+1``)."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell


def looks_like_formula(text: str) -> bool:
    """Whether ``text`` reads like a formula: ``=``, ``@``, tab or CR first, or ``+``/``-``
    followed by something other than a space (``- 发货`` is a list item, ``-2+3`` is not)."""
    if not text:
        return False
    if text[0] in "=@\t\r":
        return True
    return text[0] in "+-" and len(text) > 1 and not text[1].isspace()

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


def text_problem(value: str, max_len: int, *, multiline: bool = False) -> str | None:
    """Why ``value`` is not acceptable (length, control or invisible characters), or None.

    The reason reads after the field's name: ``'title' <reason>``. Bodies (``multiline``)
    may hold line breaks, tabs and invisible characters (the linter flags the latter).
    """
    if len(value) > max_len:
        return f"is {len(value)} characters long; the limit is {max_len}"
    m = (CONTROL_MULTILINE if multiline else CONTROL_ONE_LINE).search(value)
    if m:
        ch = m.group(0)
        if ch in "\r\n":
            return "contains a line break, which is not allowed here"
        return f"contains control character U+{ord(ch):04X}, which is not allowed here"
    if not multiline:
        m = INVISIBLE.search(value)
        if m:
            return (
                f"contains the invisible character U+{ord(m.group(0)):04X}, "
                "which is not allowed here"
            )
    return None

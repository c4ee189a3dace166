"""Where the caret goes after pasting: Left-key presses back to the ``{cursor}`` mark.

A Left press moves over one user-perceived character (a grapheme cluster, roughly), not
one code point, so the count follows the clustering rules of UAX #29 that matter for
chat text: CR LF, combining marks, variation selectors, emoji modifiers, ZWJ sequences,
tag sequences and flags. The paste pipeline presses Left this many times.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.core.template import Rendered

__all__ = ["cursor_left_presses"]


def _extends_cluster(ch: str) -> bool:
    """True for characters that join the previous one in a user-perceived character."""
    cp = ord(ch)
    if cp == 0x200D or 0xFE00 <= cp <= 0xFE0F or 0x1F3FB <= cp <= 0x1F3FF:
        return True  # zero-width joiner, variation selectors, emoji skin tones
    if 0xE0020 <= cp <= 0xE007F or 0xE0100 <= cp <= 0xE01EF:
        return True  # emoji tag sequences, ideographic variation selectors
    return cp >= 0x300 and unicodedata.category(ch) in ("Mn", "Me", "Mc")


def _is_regional_indicator(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def cursor_left_presses(rendered: Rendered) -> int:
    """Left-key presses that move the caret from the end of the text to the cursor mark.

    Counts user-perceived characters after the mark: a ``\\r\\n`` pair, a character with
    its combining marks / variation selectors, an emoji ZWJ sequence and a flag (pair of
    regional indicators) each take one press.
    """
    if rendered.cursor is None:
        return 0
    tail = rendered.text[rendered.cursor :]
    count = 0
    prev = ""
    join_next = False
    open_flag = False
    for ch in tail:
        if ch == "\n" and prev == "\r" and count:
            prev = ch
            continue
        # nothing joins a line break, on either side (UAX #29, GB4/GB5)
        breaks = prev in ("\r", "\n") or ch in ("\r", "\n")
        if count and not breaks and (join_next or _extends_cluster(ch)):
            join_next = ch == "\u200d"
            prev = ch
            continue
        if _is_regional_indicator(ch):
            if open_flag:
                open_flag = False
                prev = ch
                continue
            open_flag = True
        else:
            open_flag = False
        join_next = False
        count += 1
        prev = ch
    return count

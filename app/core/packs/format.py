"""Pack format and limits: the shared data types, the size and field limits, and the
field checks every reader uses (Huashu pack, Qianniu CSV, plain text).

Hostile or broken files stay harmless: the size is checked before reading, phrase and
category counts and field lengths are limited, control characters are refused, nesting
is bounded, and every problem is reported with file, line and reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.fsutil import Problem, os_reason
from app.core.model import Category, Phrase
from app.core.problems import Msg
from app.core.safefile import LimitError, read_regular, too_big
from app.core.textcheck import text_problem

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


def read_limited(path: Path, source: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """File bytes of a regular file, refusing before reading anything when the file is
    larger than ``limit`` (FIFOs, devices and folders are never opened for reading)."""
    try:
        return read_regular(path, limit)
    except LimitError as exc:
        raise PackError([Problem(source, None, exc.message)]) from None
    except OSError as exc:
        raise PackError(
            [Problem(source, None, Msg("pack.cannot_read", msg=os_reason(exc)))]
        ) from None


def _too_big(size: int, limit: int) -> Msg:
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
                problems.append(
                    Problem(source, line, Msg("pack.table_field", what=what, reason=reason))
                )
        elif key == "tags" and isinstance(value, list):
            if len(value) > MAX_TAGS:
                problems.append(
                    Problem(source, line, Msg("pack.too_many_tags", what=what, n=MAX_TAGS))
                )
            for tag in value:
                if isinstance(tag, str):
                    reason = field_problem("tags", tag, MAX_TAG)
                    if reason:
                        problems.append(
                            Problem(source, line, Msg("pack.table_field", what=what, reason=reason))
                        )
        elif key == "examples" and isinstance(value, list):
            if len(value) > MAX_EXAMPLES:
                problems.append(
                    Problem(source, line, Msg("pack.too_many_examples", what=what, n=MAX_EXAMPLES))
                )
            for example in value:
                if isinstance(example, str):
                    reason = field_problem("examples", example, MAX_EXAMPLE)
                    if reason:
                        problems.append(
                            Problem(source, line, Msg("pack.table_field", what=what, reason=reason))
                        )

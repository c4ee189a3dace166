"""Hostile files are refused cheaply: only regular files are opened, sizes are checked
before reading, and TOML shapes that make the parser slow or huge are refused before it
runs.

``tomllib`` spends quadratic time and memory on long dotted keys (``"a"."a"."a"… = 1``:
80 KB took 8.9 s and 2.4 GB) and recurses on deep nesting. :func:`toml_shape_problem`
scans the text once with one regular expression (strings and comments are skipped whole)
and refuses long dotted keys and deep nesting first.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import types
from pathlib import Path
from typing import Any

from app.core.problems import Msg

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FAST_FROM = 64 * 1024
"""Texts this long or longer are parsed by rtoml (Rust): the same TOML ~2x faster than the
compiled tomli wheel and ~6x faster than the stdlib's pure-Python parser (10k phrases:
~0.08 s against ~0.15 s and ~0.45 s). Shorter ones (settings, a small library) use the
stdlib: a start-up that parses nothing big loads neither. An error is always the stdlib's
(see :func:`loads_limited`); the shape check keeps nesting shallow for every parser."""
_fast: Any = None


def _fast_parser() -> Any:
    """rtoml, else tomli, else the stdlib: an object with ``loads`` and ``TOMLDecodeError``."""
    global _fast
    if _fast is None:
        try:
            import rtoml

            _fast = types.SimpleNamespace(
                __name__="rtoml", loads=rtoml.loads, TOMLDecodeError=rtoml.TomlParsingError
            )
        except ImportError:  # a platform without its wheel
            fast: types.ModuleType
            try:
                import tomli as fast
            except ImportError:
                fast = tomllib
            _fast = fast
    return _fast


MAX_KEY_PARTS = 8
"""Dotted key parts (``a.b.c`` has 3); the data files use at most 2."""
MAX_NESTING = 16
"""Arrays and inline tables inside each other (a ``[[header]]`` counts 2)."""


class LimitError(ValueError):
    """A file refused before parsing: too big, not a regular file, or a hostile shape."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message  # a coded Msg (``str(exc)`` would drop its code)
        self.line = line


def too_big(size: int, limit: int) -> Msg:
    return Msg("file.too_big", size=size / 1024 / 1024, max=limit // 1024 // 1024)


def read_regular(path: Path | str, limit: int) -> bytes:
    """Bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    FIFOs, devices, sockets and folders are refused without being opened for a blocking
    read (a FIFO would block forever). Raises FileNotFoundError, other OSErrors, or
    :class:`LimitError`.
    """
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise LimitError(NOT_REGULAR)
    if st.st_size > limit:
        raise LimitError(too_big(st.st_size, limit))
    # O_NONBLOCK: should the path become a FIFO between stat and open, open returns at
    # once instead of waiting for a writer (Windows has neither FIFOs nor the flag).
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for something else meanwhile
            raise LimitError(NOT_REGULAR)
        data = f.read(limit + 1)
    if len(data) > limit:  # grew while we looked
        raise LimitError(too_big(len(data), limit))
    return data


NOT_REGULAR = Msg("file.not_regular")

# Each string's body is written "unrolled" (a run of plain characters, then any number of
# (special, run) pairs) rather than as a repeated alternation: the same strings, but the
# engine takes a run in one step instead of one alternation per character (10k phrases:
# the shape check went from ~55 to ~25 ms).
_STRINGS_AND_COMMENTS = (
    r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"{3,5}'  # multi-line basic string
    r"|'''[^']*(?:'(?!'')[^']*)*'{3,5}"  # multi-line literal string
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'  # basic string
    r"|'[^'\n]*'"  # literal string
    r"|#[^\n]*"  # comment
)
_TOKENS = re.compile(_STRINGS_AND_COMMENTS + r"|[\[\]{}.=,\n]", re.DOTALL)
_SKIPPED = re.compile(_STRINGS_AND_COMMENTS, re.DOTALL)
# MAX_KEY_PARTS dots with nothing between them that resets the count.
_MANY_DOTS = re.compile(r"\.(?:[^.=,\n\[\]{}]*\.)" + f"{{{MAX_KEY_PARTS - 1}}}")
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def toml_shape_problem(text: str) -> LimitError | None:
    """A :class:`LimitError` for a key with too many dotted parts or too deep nesting."""
    # The exact scan walks every token in Python (10k phrases: ~0.15 s). Most text is
    # fine: blank out strings and comments in C, look for the two shapes in what is left,
    # and walk the tokens only when one is there (for the line of the first).
    skeleton = _SKIPPED.sub("S", text)
    if _MANY_DOTS.search(skeleton) is None and not _too_deep(_NOT_BRACKETS.sub("", skeleton)):
        return None
    return _scan(text)


def _too_deep(brackets: str) -> bool:
    """Whether these brackets (and nothing else) nest deeper than MAX_NESTING."""
    depth = 0
    for ch in brackets:
        if ch in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return True
        elif depth:
            depth -= 1
    return False


def _scan(text: str) -> LimitError | None:
    depth = 0
    dots = 0
    for m in _TOKENS.finditer(text):
        tok = m.group(0)
        if tok == ".":
            dots += 1
            if dots >= MAX_KEY_PARTS:
                return LimitError(DEEP_KEYS, _line(text, m.start()))
        elif tok in ("[", "{"):
            depth += 1
            dots = 0
            if depth > MAX_NESTING:
                return LimitError(DEEP_VALUES, _line(text, m.start()))
        elif tok in ("]", "}"):
            depth = max(0, depth - 1)
            dots = 0
        elif tok in ("=", ",", "\n"):
            dots = 0
    return None


DEEP_KEYS = Msg("pack.deep_keys")
DEEP_VALUES = Msg("file.deep_values")


def loads_limited(text: str) -> dict[str, Any]:
    """``tomllib.loads`` after the shape check; raises LimitError or TOMLDecodeError."""
    problem = toml_shape_problem(text)
    if problem is not None:
        raise problem
    try:
        parser = _fast_parser() if len(text) >= FAST_FROM else tomllib
        try:
            return parser.loads(text)
        except parser.TOMLDecodeError:
            if parser is tomllib:
                raise
        # Errors come from the stdlib's parser: the class callers catch, its messages.
        return tomllib.loads(text)
    except RecursionError:
        raise LimitError(DEEP_VALUES) from None

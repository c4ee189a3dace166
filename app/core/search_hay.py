"""The machinery under :class:`app.core.search.SearchIndex`: joined keys and hit collection.

Every per-phrase key (initials, full pinyin, title, body...) is joined into one string, a
:class:`Hay`, searched with ``str.find`` or one compiled regular expression; matches are
mapped back to phrases with ``bisect``. A :class:`Segment` holds one hay per key for some
phrases in a given order (all of them in library order, or the used ones in usage order).
A :class:`Collector` gathers the :class:`Hit` objects level by level until it has enough.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import add
from typing import TYPE_CHECKING

from app.core.model import Phrase
from app.core.pinyin import RECORD_SEP, normalize

__all__ = ["KEYS", "OFFSET", "Collector", "Hay", "Hit", "Segment", "text_key"]


@dataclass(frozen=True)
class Hit:
    """One search result. ``reason`` is "code", "code-prefix", "initials", "pinyin",
    "substring" or "fuzzy"; it is "" for the no-query listing (most used, then library)."""

    phrase: Phrase
    score: float
    reason: str


OFFSET = "i"  # array type of string offsets and phrase indexes (C int)


class Hay:
    """Per-phrase keys joined into one string, with where each phrase starts."""

    __slots__ = ("order", "starts", "text")

    def __init__(self, parts: Sequence[str], order: Sequence[int]) -> None:
        self.text = RECORD_SEP + RECORD_SEP.join(parts) + RECORD_SEP
        # starts[k]: offset of part k; starts[len(parts)] == len(text) (a sentinel)
        self.starts = array(OFFSET, accumulate(map(add, map(len, parts), repeat(1)), initial=1))
        self.order = order

    def part(self, k: int) -> str:
        return self.text[self.starts[k] : self.starts[k + 1] - 1]

    def _shift(self, k: int, delta: int) -> None:
        if delta:
            starts = self.starts
            starts[k:] = array(OFFSET, map(delta.__add__, starts[k:]))

    def replace(self, k: int, value: str) -> None:
        lo, hi = self.starts[k], self.starts[k + 1] - 1
        self.text = self.text[:lo] + value + self.text[hi:]
        self._shift(k + 1, len(value) - (hi - lo))

    def append(self, value: str) -> None:
        self.text += value + RECORD_SEP
        self.starts.append(len(self.text))

    def delete(self, k: int) -> None:
        lo, hi = self.starts[k], self.starts[k + 1]
        self.text = self.text[:lo] + self.text[hi:]
        del self.starts[k]
        self._shift(k, lo - hi)

    def find(self, needle: str) -> Iterator[int]:
        """Phrase indexes whose part contains ``needle`` (once each, in this hay's order)."""
        text, starts, order = self.text, self.starts, self.order
        tail = len(needle) - 1
        pos = text.find(needle)
        while pos >= 0:
            k = bisect_right(starts, pos + tail) - 1
            yield order[k]
            pos = text.find(needle, starts[k + 1] - 1)

    def search(self, pattern: re.Pattern[str]) -> Iterator[int]:
        """Like :meth:`find`, for a regular expression."""
        text, starts, order = self.text, self.starts, self.order
        m = pattern.search(text)
        while m is not None:
            k = bisect_right(starts, m.end() - 1) - 1
            yield order[k]
            m = pattern.search(text, starts[k + 1] - 1)


#: the per-phrase keys, each joined into one :class:`Hay` per segment
KEYS = ("first", "initials", "full", "letters", "title", "tags", "body")


class Segment:
    """The joined keys of some phrases, in a given order."""

    __slots__ = ("body", "first", "full", "initials", "letters", "order", "tags", "title")

    def __init__(self, parts: dict[str, list[str]], order: Sequence[int]) -> None:
        """``parts[key][k]`` is the key of phrase ``order[k]``."""
        self.order = order
        for key in KEYS:
            setattr(self, key, Hay(parts[key], order))

    def hays(self) -> list[Hay]:
        return [getattr(self, key) for key in KEYS]

    def set_order(self, order: Sequence[int]) -> None:
        self.order = order
        for hay in self.hays():
            hay.order = order

    if TYPE_CHECKING:
        body: Hay
        full: Hay
        first: Hay
        initials: Hay
        letters: Hay
        tags: Hay
        title: Hay


class Collector:
    """Gathers hits level by level, best level first, until ``limit``.

    ``phrases`` are the indexed phrases (a hit's index points into it); ``used_rank`` maps
    the index of each used phrase to its rank in usage order.
    """

    def __init__(self, phrases: Sequence[Phrase], used_rank: Mapping[int, int], limit: int) -> None:
        self.phrases = phrases
        self.used_rank = used_rank
        self.limit = limit
        self.hits: list[Hit] = []
        self.taken: set[int] = set()

    @property
    def full(self) -> bool:
        return len(self.hits) >= self.limit

    def add(self, i: int, score: float, reason: str) -> None:
        if i not in self.taken:
            self.taken.add(i)
            self.hits.append(Hit(self.phrases[i], score, reason))

    def level(self, score: float, reason: str, used: Iterable[int], rest: Iterable[int]) -> None:
        """Add the hits of one level: ``used`` in usage order, then ``rest`` in library order
        (``rest`` may repeat used phrases; they are skipped)."""
        if self.full:
            return
        taken = self.taken
        for i in used:
            if i not in taken:
                self.add(i, score, reason)
                if self.full:
                    return
        used_rank = self.used_rank
        for i in rest:
            if i not in taken and i not in used_rank:
                self.add(i, score, reason)
                if self.full:
                    return


def text_key(value: str) -> str:
    """Normalised text for substring search; the same object when nothing changes."""
    low = normalize(value)
    if RECORD_SEP in low:
        low = low.replace(RECORD_SEP, "")
    return value if low == value else low

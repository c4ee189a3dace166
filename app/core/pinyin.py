"""Pinyin of phrase titles and category names, cached on disk, for the search index.

``import pypinyin`` costs ~0.35 s and ~58 MB, so it is imported only when a text whose
pinyin is not cached has to be converted. Everything the index needs is derived from a
compact per-text *encoding* kept in the cache:

- one slot per Chinese character, per run of ASCII letters and digits (``VIP``, ``618``)
  and per other letter; punctuation and spaces are dropped; slots are separated by
  ``" "``;
- a slot lists the possible readings of its character separated by ``"|"``, the reading
  in context first (长城 -> ``"chang|zhang cheng"``); heteronyms (长 行 重 还 ...) keep all
  their readings, so either one matches, without expanding the text into variants;
- anything that is not Chinese is its own single reading, lowercased (VIP客户 ->
  ``"vip ke|qia hu"``).

From an encoding the index derives three search keys (see :func:`initials_key`,
:func:`full_key`, :func:`letters_key`) and matches queries with regular expressions built
by :func:`initials_pattern` and :func:`full_pattern`.
"""

from __future__ import annotations

import logging
import re
import sys
import unicodedata
from collections.abc import Callable, Container, Iterable
from pathlib import Path

import msgspec

from app.core.fsutil import atomic_write_bytes

log = logging.getLogger(__name__)

CACHE_FORMAT = 1
SLOT_SEP = " "
ALT_SEP = "|"
#: Separates phrases in the index's joined keys; never part of a key.
RECORD_SEP = "\x00"
#: Separates the readings of one slot in a :func:`full_key`.
FULL_ALT = "\x02"


def normalize(text: str) -> str:
    """Case-folded, width-folded text (full-width ``ＣＦ`` -> ``cf``) for matching."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", text).lower()


_PINYIN_QUERY_DROP = str.maketrans("", "", " '\t")
_PINYIN_QUERY_OK = re.compile(r"[a-z0-9]+")


def pinyin_query(query: str) -> str | None:
    """The query as pinyin letters (spaces and ``'`` dropped), or None if it is not one."""
    q = normalize(query).translate(_PINYIN_QUERY_DROP)
    return q if _PINYIN_QUERY_OK.fullmatch(q) else None


# -- initials: one character per slot --------------------------------------------------------
# A slot whose readings start with different letters (长 chang/zhang -> {c, z}) gets a
# private-use character standing for that set; a query letter then matches any such
# character whose set contains it. The mapping lives for the process and only grows.
_SET_CHAR: dict[frozenset[str], str] = {}
_CHARS_WITH: dict[str, str] = {}  # letter -> the private-use characters whose set has it
_SLOT_INITIAL: dict[str, str] = {}
_PUA_START = 0xE000
_PUA_END = 0xF8FF


def _set_char(letters: frozenset[str]) -> str:
    ch = _SET_CHAR.get(letters)
    if ch is None:
        cp = _PUA_START + len(_SET_CHAR)
        if cp > _PUA_END:  # pragma: no cover - thousands of distinct sets cannot happen
            return min(letters)
        ch = chr(cp)
        _SET_CHAR[letters] = ch
        for letter in letters:
            _CHARS_WITH[letter] = _CHARS_WITH.get(letter, "") + ch
    return ch


def _slot_initial(slot: str) -> str:
    ch = _SLOT_INITIAL.get(slot)
    if ch is None:
        firsts = frozenset(r[0] for r in slot.split(ALT_SEP) if r)
        ch = next(iter(firsts)) if len(firsts) == 1 else _set_char(firsts)
        _SLOT_INITIAL[slot] = ch
    return ch


def initials_key(encoded: str) -> str:
    """One character per slot: its initial, or a stand-in for a set of initials."""
    if not encoded:
        return ""
    get = _SLOT_INITIAL.get
    return "".join([get(s) or _slot_initial(s) for s in encoded.split(SLOT_SEP)])


def primary_initials_key(encoded: str) -> str:
    """One character per slot: the initial of its reading in context (always a letter or
    digit for pinyin and latin text)."""
    if not encoded:
        return ""
    return "".join([s[0] for s in encoded.split(SLOT_SEP)])


_FULL_TABLE = str.maketrans({SLOT_SEP: None, ALT_SEP: FULL_ALT})
_ALT_TAIL = re.compile(r"\|[^ ]*")


def full_key(encoded: str) -> str:
    """All readings, each capitalised so that a capital marks where a reading starts.

    长城 -> ``"Chang\\x02ZhangCheng"``: readings of one slot are separated by ``\\x02``,
    slots follow each other directly.
    """
    return encoded.title().translate(_FULL_TABLE)


def letters_key(encoded: str) -> str:
    """The readings in context only, run together (``"cuifu"``): what fuzzy matching sees."""
    return _ALT_TAIL.sub("", encoded).replace(SLOT_SEP, "")


def initials_pattern(query: str, *, prefix: bool = False) -> re.Pattern[str]:
    """Match ``query`` (pinyin letters) against :func:`initials_key` strings.

    With ``prefix`` the match must start a record (the key follows :data:`RECORD_SEP`).
    """
    parts = [RECORD_SEP] if prefix else []
    for c in query:
        extra = _CHARS_WITH.get(c, "")
        parts.append(f"[{re.escape(c)}{extra}]" if extra else re.escape(c))
    return re.compile("".join(parts))


# After a query letter, the next one either continues the same reading (lowercase) or
# starts a reading of the next slot: skip the rest of this reading and this slot's other
# readings (all of them, never backtracking: possessive quantifiers on 3.11+, the
# lookahead-and-backreference idiom for an atomic group on 3.10), then some readings of
# the next slot, and find a capital.
_POSSESSIVE = sys.version_info >= (3, 11)


def _next_slot(group: int) -> str:
    if _POSSESSIVE:
        return r"[a-z]*+(?:\x02[A-Z][a-z]*+)*+(?:[A-Z][a-z]*+\x02)*"
    return rf"(?=([a-z]*(?:\x02[A-Z][a-z]*)*))\{group}(?:[A-Z][a-z]*\x02)*"


def full_pattern(query: str, starters: Container[str] | None = None) -> re.Pattern[str]:
    """Match ``query`` (pinyin letters) against :func:`full_key` strings.

    Every slot may be typed as any prefix of one of its readings, so ``cuifu``, ``cuif``,
    ``cfu`` and ``cf`` all match 催付; a match starts where a reading starts.
    ``starters``, the letters some reading of the haystack starts with, lets the pattern
    begin with a longer literal (``cuifu`` can only start with ``Cui`` when no reading
    starts with ``u`` or ``i``), which the regex engine finds much faster.
    """
    parts = [re.escape(query[0].upper())]
    forced = starters is not None
    group = 0
    for c in query[1:]:
        if forced and starters is not None and c not in starters:
            parts.append(re.escape(c))
            continue
        forced = False
        group += 1
        up = c.upper()
        if up != c:
            parts.append(f"(?:{c}|{_next_slot(group)}{up})")
        else:
            parts.append(f"{_next_slot(group)}{re.escape(c)}")
    return re.compile("".join(parts))


_vocabulary: tuple[int, frozenset[str]] = (-1, frozenset())


def reading_bigrams() -> frozenset[str]:
    """Every pair of adjacent letters inside a reading seen by this process.

    A pinyin query none of whose letter pairs is in this set can only match slot by slot,
    one letter per slot: its full-pinyin matches are exactly its initials matches.
    """
    global _vocabulary
    size = len(_SLOT_INITIAL)
    if _vocabulary[0] != size:
        pairs = {
            r[k : k + 2]
            for slot in list(_SLOT_INITIAL)
            for r in slot.split(ALT_SEP)
            for k in range(len(r) - 1)
        }
        _vocabulary = (size, frozenset(pairs))
    return _vocabulary[1]


def reading_starters(initials: Iterable[str]) -> set[str]:
    """The letters readings start with, from :func:`initials_key` strings."""
    chars = set("".join(initials))
    inverse = {ch: letters for letters, ch in _SET_CHAR.items()}
    out: set[str] = set()
    for ch in chars:
        out.update(inverse.get(ch, ch))
    return out


class TextPinyin:
    """The pinyin of one text: per slot (Chinese character, latin word), its readings."""

    __slots__ = ("encoded",)

    def __init__(self, encoded: str) -> None:
        self.encoded = encoded

    @property
    def syllables(self) -> tuple[tuple[str, ...], ...]:
        """Per slot (Chinese character or latin word), its readings, in context first."""
        if not self.encoded:
            return ()
        return tuple(tuple(s.split(ALT_SEP)) for s in self.encoded.split(SLOT_SEP))

    @property
    def primary(self) -> str:
        """Readings in context, space-separated (``"cui fu"``)."""
        return _ALT_TAIL.sub("", self.encoded)

    @property
    def initials(self) -> tuple[frozenset[str], ...]:
        return tuple(frozenset(r[0] for r in alts) for alts in self.syllables)

    def match(self, query: str) -> str | None:
        """``"initials"`` or ``"pinyin"`` if the pinyin query matches this text, else None."""
        q = pinyin_query(query)
        if not q or not self.encoded:
            return None
        key = initials_key(self.encoded)  # before the pattern: it may add stand-ins
        if initials_pattern(q).search(key):
            return "initials"
        if full_pattern(q).search(full_key(self.encoded)):
            return "pinyin"
        return None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextPinyin) and other.encoded == self.encoded

    def __hash__(self) -> int:
        return hash(self.encoded)

    def __repr__(self) -> str:
        return f"TextPinyin({self.encoded!r})"


# -- conversion (the only place that imports pypinyin) ----------------------------------------
_HETERONYMS: dict[str, tuple[str, ...]] = {}


def _is_reading(r: str) -> bool:
    return r.isascii() and r.isalpha()


#: Runs of Chinese whose conversion is remembered (forgotten all at once beyond it).
MAX_MEMO_RUNS = 200_000


class _Converter:
    def __init__(self) -> None:
        from pypinyin import Style, lazy_pinyin, pinyin

        self._style = Style.NORMAL
        self._lazy: Callable[..., list[str]] = lazy_pinyin
        self._pinyin: Callable[..., list[list[str]]] = pinyin
        # slots of each run of Chinese converted: titles repeat their words (发货, 退款,
        # 优惠券...), and pypinyin's word segmentation is the costly part of a conversion
        self._run_slots: dict[str, tuple[str, ...]] = {}

    def heteronyms(self, ch: str) -> tuple[str, ...]:
        got = _HETERONYMS.get(ch)
        if got is None:
            rows = self._pinyin(ch, style=self._style, heteronym=True, errors="ignore")
            got = tuple(r.lower() for r in (rows[0] if rows else []) if _is_reading(r))
            _HETERONYMS[ch] = got
        return got

    def han_slots(self, run: str, out: list[str]) -> None:
        """Append the slots of ``run``, a run of Chinese characters, to ``out``."""
        slots = self._run_slots.get(run)
        if slots is None:
            if len(self._run_slots) >= MAX_MEMO_RUNS:
                self._run_slots.clear()
            slots = self._run_slots[run] = tuple(self._convert_run(run))
        out.extend(slots)

    def _convert_run(self, run: str) -> list[str]:
        out: list[str] = []
        readings = self._lazy(run, style=self._style, errors=lambda s: ["\x00"] * len(s))
        if len(readings) != len(run):  # pragma: no cover - defensive
            readings = [(self._lazy(c, style=self._style) or [c])[0] for c in run]
        for ch, first in zip(run, readings, strict=True):
            alts: list[str] = [first.lower()] if _is_reading(first) else []
            for r in self.heteronyms(ch):
                if r not in alts:
                    alts.append(r)
            for r in list(alts):
                if "v" in r:  # 绿 lv: also accept lu
                    u = r.replace("v", "u")
                    if u not in alts:
                        alts.append(u)
            out.append(ALT_SEP.join(alts) if alts else ch)
        return out


_converter: _Converter | None = None


def _get_converter() -> _Converter:
    global _converter
    if _converter is None:
        log.debug("importing pypinyin")
        _converter = _Converter()
    return _converter


# a run of Chinese characters (group 1), or of ASCII letters and digits (one slot: "vip",
# "618"), or any other single letter or digit (one slot each; group 2); everything else
# separates slots
_RUN = re.compile(
    r"([\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+)"
    r"|([a-z0-9]+|[^\W_])"
)


def encode(text: str) -> str:
    """The encoding of ``text`` (imports pypinyin only if ``text`` has Chinese in it)."""
    slots: list[str] = []
    converter = _converter
    for han, other in _RUN.findall(normalize(text)):
        if han:
            if converter is None:
                converter = _get_converter()
            converter.han_slots(han, slots)
        else:
            slots.append(other)
    return SLOT_SEP.join(slots)


# -- the cache ------------------------------------------------------------------------------
class _CacheFile(msgspec.Struct):
    """The cache file: ``{"format": 1, "entries": {text: encoding}}`` (JSON, UTF-8).

    msgspec reads and checks it in C (100k entries: 60 ms against 100 ms for json and a
    check in Python) and writes it in 15 ms (json.dumps: 115 ms)."""

    format: int
    entries: dict[str, str]


class PinyinCache:
    """Text -> pinyin encoding, persisted as JSON at ``path`` (None: memory only).

    A missing, unreadable or corrupt cache file is ignored (and replaced on the next
    :meth:`save`); it never stops the program.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, str] = {}
        self._dirty = False
        self.computed = 0  # texts converted since this cache was created
        if path is not None:
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            log.warning("pinyin cache %s not readable, rebuilding it: %s", path, exc)
            self._dirty = True
            return
        try:
            data = msgspec.json.decode(raw, type=_CacheFile)
            if data.format != CACHE_FORMAT:
                raise msgspec.ValidationError(f"unknown format {data.format}")
        except msgspec.DecodeError as exc:  # also bad UTF-8, a wrong shape or type
            log.warning("pinyin cache %s is corrupt, rebuilding it: %s", path, exc)
            self._dirty = True
            return
        self._entries = data.entries

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, text: object) -> bool:
        return text in self._entries

    @property
    def dirty(self) -> bool:
        return self._dirty

    def encoding(self, text: str) -> str:
        """The raw encoding of ``text`` (see the module docstring), computed if missing."""
        enc = self._entries.get(text)
        if enc is None:
            enc = encode(text)
            self._entries[text] = enc
            self._dirty = True
            self.computed += 1
        return enc

    def get(self, text: str) -> TextPinyin:
        return TextPinyin(self.encoding(text))

    def prime(self, texts: Iterable[str]) -> int:
        """Convert the texts not cached yet; return how many were converted."""
        entries = self._entries
        missing = {t for t in texts if t not in entries}
        for t in missing:
            entries[t] = encode(t)
        if missing:
            self._dirty = True
            self.computed += len(missing)
        return len(missing)

    def prune(self, keep: set[str]) -> None:
        """Forget every text not in ``keep``."""
        stale = [t for t in self._entries if t not in keep]
        for t in stale:
            del self._entries[t]
        if stale:
            self._dirty = True

    def save(self) -> None:
        """Write the cache atomically, if it changed since it was loaded or saved."""
        if not self._dirty or self.path is None:
            return
        # the same JSON as json.dumps(ensure_ascii=False), in a tenth of the time
        payload = msgspec.json.encode(_CacheFile(CACHE_FORMAT, self._entries))
        try:
            atomic_write_bytes(self.path, payload)
        except OSError as exc:
            log.warning("pinyin cache %s not saved: %s", self.path, exc)
            return
        self._dirty = False

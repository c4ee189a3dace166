"""Ranked search over the phrase library: codes, pinyin, substrings, typos.

A query is tried against a fixed list of *levels*, best first:

====  ===========  =========================================================
score reason       what matched
====  ===========  =========================================================
100   code         the phrase code, exactly (``cf1``)
90    code-prefix  the start of the code (``cf`` -> ``cf1``, ``cf12``)
82    initials     pinyin initials at the start of the title (``cf`` -> 催付提醒), readings
                   in context
80    initials     pinyin initials inside the title, readings in context
78    initials     the same with any reading of a heteronym (长城 ``zc``, 核对 ``kd``)
76    initials     ... inside the title
70    initials     pinyin initials of the category name (or its parent's)
60    pinyin       full pinyin in the title (``cuifu``, ``cui fu``, ``cuif``, ``cfu``)
55    pinyin       full pinyin of the category name
52    substring    start of the title
50    substring    inside the title
47    substring    inside a tag
45    substring    inside the category name
40    substring    inside the body
0-30  fuzzy        typos (``cuifo``, ``物留``) in the title pinyin or title, then
                   in the category name (rapidfuzz partial ratio)
====  ===========  =========================================================

A phrase is listed once, at its best level. Within a level, ties break by use count, then
last use, then library order. Matching is case- and width-insensitive.

How it stays fast at 100,000 phrases: every per-phrase key (initials, full pinyin, title,
body) is joined into one string per key, searched with ``str.find`` or one compiled regular
expression (heteronyms are character classes, never expanded variants), and matches are
mapped back to phrases with ``bisect`` (that machinery is in :mod:`app.core.search_hay`).
Phrases that were used sit in a second, small set of joined keys in usage order, so every
level can stop as soon as it has enough hits: first the used phrases in usage order, then
the rest in library order. Fuzzy matching runs only
when the exact levels found fewer hits than asked for, and only on phrases that share an
exact piece of the query (one typo cannot break both halves of a word): the used ones and
the first :data:`FUZZY_CANDIDATES` per piece in library order.

Usage is read through the ``usage`` callable when the index is built; call
:meth:`SearchIndex.refresh_usage` after recording a use.
"""

from __future__ import annotations

import heapq
import logging
import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from itertools import islice

from app.core.gcpause import cycle_collector_paused
from app.core.model import Library, Phrase
from app.core.pinyin import (
    RECORD_SEP,
    PinyinCache,
    full_key,
    full_pattern,
    initials_key,
    initials_pattern,
    letters_key,
    normalize,
    pinyin_query,
    primary_initials_key,
    reading_bigrams,
    reading_starters,
)
from app.core.search_hay import KEYS, OFFSET, Collector, Segment, text_key
from app.core.search_hay import Hit as Hit

log = logging.getLogger(__name__)

UsageLookup = Callable[[str], tuple[int, float]]

S_CODE = 100.0
S_CODE_PREFIX = 90.0
S_INITIALS_START = 82.0
S_INITIALS = 80.0
S_INITIALS_ALT_START = 78.0
S_INITIALS_ALT = 76.0
S_INITIALS_CATEGORY = 70.0
S_PINYIN = 60.0
S_PINYIN_CATEGORY = 55.0
S_TITLE_START = 52.0
S_TITLE = 50.0
S_TAG = 47.0
S_CATEGORY = 45.0
S_BODY = 40.0
S_FUZZY = 30.0
S_FUZZY_CATEGORY = 20.0
_FUZZY_BOTH_BONUS = 5.0  # title and category both fuzzily match
FUZZY_CANDIDATES = 1000  # per piece of the query, in library order
MAX_PINYIN_QUERY = 40  # longer queries skip the pinyin and fuzzy levels

_QUERY_DROP = re.compile(r"[\x00-\x1f\x7f]")

SYNC_LIMIT = 64
"""More changed phrases than this make :meth:`SearchIndex.sync` rebuild the index."""


def _fingerprint(p: Phrase) -> int:
    """What the index keeps of a phrase (its keys, code and category), hashed."""
    return hash((p.title, p.body, p.code, p.category, *p.tags))


def _category_keys(library: Library) -> list[tuple[str, str, int, str | None]]:
    return [(c.id, c.name, c.order, c.parent) for c in library.categories]


class SearchIndex:
    """Search over a :class:`Library`; see the module docstring for the ranking.

    Memory: the per-phrase keys live only inside the joined strings (about 30 MB for
    100,000 phrases); an edit patches them in place (a few ms at 100,000 phrases).
    """

    def __init__(
        self, library: Library, pinyin: PinyinCache, usage: UsageLookup | None = None
    ) -> None:
        self._pinyin = pinyin
        self._usage_lookup = usage
        self.rebuild(library)

    # -- building ---------------------------------------------------------------------------
    def rebuild(self, library: Library) -> None:
        """Index ``library`` afresh (its phrases, categories and the usage)."""
        # 100k phrases: the cycle collector took a quarter of the build (see gcpause)
        with cycle_collector_paused():
            self._rebuild(library)

    def _rebuild(self, library: Library) -> None:
        self._library = library
        self._phrases: list[Phrase] = list(library.phrases)
        # hashes of what was indexed of each phrase (phrases change in place), in arrays:
        # 8 bytes a phrase, not an int object
        self._prints = array("q", [_fingerprint(p) for p in self._phrases])
        self._code_prints = array("q", [hash(p.code) for p in self._phrases])
        self._cat_prints = array("q", [hash(p.category) for p in self._phrases])
        self._categories = _category_keys(library)
        self._pinyin.prime([p.title for p in self._phrases] + [c.name for c in library.categories])
        rows: dict[str, list[str]] = {key: [] for key in KEYS}
        for p in self._phrases:
            for key, value in zip(KEYS, self._row(p), strict=True):
                rows[key].append(value)
        self._all = Segment(rows, range(len(self._phrases)))
        self._pos: dict[str, int] = {p.id: i for i, p in enumerate(self._phrases)}
        self._usage: dict[str, tuple[int, float]] = {}
        if self._usage_lookup is not None:
            for p in self._phrases:
                self._read_usage(p.id)
        self._starters = reading_starters(rows["initials"])
        self._cat_keys: dict[str, tuple[str, str, str, str]] = {}
        self._used_rank: dict[int, int] = {}
        self._stale_codes = self._stale_members = self._used_stale = True

    def _row(self, p: Phrase) -> tuple[str, str, str, str, str, str, str]:
        enc = self._pinyin.encoding(p.title)
        return (
            primary_initials_key(enc),
            initials_key(enc),
            full_key(enc),
            letters_key(enc),
            text_key(p.title),
            text_key(" ".join(p.tags)) if p.tags else "",
            text_key(p.body),
        )

    def _read_usage(self, pid: str) -> None:
        if self._usage_lookup is None:
            return
        count, last = self._usage_lookup(pid)
        if count > 0 or last > 0:
            self._usage[pid] = (count, last)
        else:
            self._usage.pop(pid, None)

    def sync(self, library: Library) -> None:
        """Follow a change of ``library``: patch in the few phrases that changed (an edit at
        100,000 phrases takes milliseconds, a rebuild seconds), rebuild otherwise.

        Patching gives what a rebuild gives: it is only done when the categories are the
        same, the phrases kept are in the same order and the added ones are at the end.
        """
        phrases = library.phrases
        old = self._phrases
        if (
            library is not self._library
            or abs(len(phrases) - len(old)) > SYNC_LIMIT
            or _category_keys(library) != self._categories
        ):
            self.rebuild(library)
            return
        old_ids = [p.id for p in old]
        new_ids = [p.id for p in phrases]
        if old_ids == new_ids:  # edits only (the usual case)
            kept, gone = len(phrases), []
        else:
            pos, wanted = self._pos, set(new_ids)
            kept = sum(1 for pid in new_ids if pid in pos)
            gone = [pid for pid in old_ids if pid not in wanted]
            # kept ones first, in the same order; added ones at the end
            if len(gone) + len(phrases) - kept > SYNC_LIMIT or new_ids[:kept] != [
                pid for pid in old_ids if pid in wanted
            ]:
                self.rebuild(library)  # another order (or an id twice)
                return
        for pid in gone:
            self.remove(pid)
        # Now old[i] is phrases[i] or its older self. By content, not identity: phrases
        # may be edited in place.
        prints = self._prints
        changed = [i for i in range(kept) if prints[i] != _fingerprint(phrases[i])]
        if len(gone) + len(changed) + len(phrases) - kept > SYNC_LIMIT:
            self.rebuild(library)
            return
        for i in range(kept):
            if old[i] is not phrases[i]:
                old[i] = phrases[i]  # the same keys: only the object returned changes
        for i in changed:
            self.update(phrases[i])
        for p in islice(phrases, kept, None):
            self.update(p)

    def update(self, phrase: Phrase) -> None:
        """Add ``phrase`` (at the end) or replace the phrase with its id (in place)."""
        row = self._row(phrase)
        hays = self._all.hays()
        i = self._pos.get(phrase.id)
        if i is None:
            self._pos[phrase.id] = len(self._phrases)
            self._phrases.append(phrase)
            self._prints.append(_fingerprint(phrase))
            self._code_prints.append(hash(phrase.code))
            self._cat_prints.append(hash(phrase.category))
            for hay, value in zip(hays, row, strict=True):
                hay.append(value)
            self._all.set_order(range(len(self._phrases)))
            self._stale_codes = self._stale_members = True
        else:
            self._phrases[i] = phrase
            self._prints[i] = _fingerprint(phrase)
            for hay, value in zip(hays, row, strict=True):
                hay.replace(i, value)
            code, cat = hash(phrase.code), hash(phrase.category)
            self._stale_codes |= self._code_prints[i] != code
            self._stale_members |= self._cat_prints[i] != cat
            self._code_prints[i], self._cat_prints[i] = code, cat
        self._starters |= reading_starters([row[1]])
        self._read_usage(phrase.id)
        self._used_stale = True

    def remove(self, phrase_id: str) -> None:
        """Forget a phrase; unknown ids are ignored."""
        i = self._pos.get(phrase_id)
        if i is None:
            return
        del self._phrases[i]
        del self._prints[i]
        del self._code_prints[i]
        del self._cat_prints[i]
        for hay in self._all.hays():
            hay.delete(i)
        self._all.set_order(range(len(self._phrases)))
        self._pos = {p.id: k for k, p in enumerate(self._phrases)}
        self._usage.pop(phrase_id, None)
        self._stale_codes = self._stale_members = self._used_stale = True

    def refresh_usage(self, phrase_id: str | None = None) -> None:
        """Re-read the use count of one phrase (after a use), or of all."""
        if phrase_id is None:
            self._usage.clear()
            for p in self._phrases:
                self._read_usage(p.id)
        elif phrase_id in self._pos:
            self._read_usage(phrase_id)
        self._used_stale = True

    def __len__(self) -> int:
        return len(self._phrases)

    def _ensure(self) -> None:
        if self._stale_codes:
            codes = [text_key(p.code).replace(" ", "") for p in self._phrases]
            order = sorted((i for i, c in enumerate(codes) if c), key=codes.__getitem__)
            self._code_keys = [codes[i] for i in order]  # sorted codes
            self._code_idx = array(OFFSET, order)  # their phrases
            self._stale_codes = False
        if self._stale_members:
            members: dict[str, list[int]] = {}
            for i, p in enumerate(self._phrases):
                members.setdefault(p.category, []).append(i)
            self._members = {c: array(OFFSET, v) for c, v in members.items()}
            self._stale_members = False
        if self._used_stale:
            pos, usage, phrases = self._pos, self._usage, self._phrases

            def usage_key(i: int) -> tuple[int, float, int]:
                count, last = usage[phrases[i].id]
                return (-count, -last, i)

            used = sorted((pos[pid] for pid in usage if pid in pos), key=usage_key)
            self._used_order = used
            self._used_rank = {i: r for r, i in enumerate(used)}
            every = self._all
            parts = {key: [getattr(every, key).part(i) for i in used] for key in KEYS}
            self._used = Segment(parts, used)
            self._used_stale = False

    # -- categories -------------------------------------------------------------------------
    def _category_keys(self, name: str) -> tuple[str, str, str, str]:
        keys = self._cat_keys.get(name)
        if keys is None:
            enc = self._pinyin.encoding(name)
            keys = (initials_key(enc), full_key(enc), letters_key(enc), normalize(name))
            self._cat_keys[name] = keys
        return keys

    def _matching_categories(self, test: Callable[[tuple[str, str, str, str]], bool]) -> set[str]:
        """Ids of categories whose name passes ``test``, with the children of those."""
        cats = self._library.categories
        hit = {c.id for c in cats if test(self._category_keys(c.name))}
        if hit:
            hit |= {c.id for c in cats if c.parent in hit}
        return hit

    def _category_level(self, col: Collector, cats: set[str], score: float, reason: str) -> None:
        if not cats or col.full:
            return
        phrases = self._phrases
        used = (i for i in self._used_order if phrases[i].category in cats)
        rest = heapq.merge(*(self._members.get(c, ()) for c in cats))
        col.level(score, reason, used, rest)

    # -- searching --------------------------------------------------------------------------
    def search(self, query: str, limit: int = 20, *, fuzzy: bool = True) -> list[Hit]:
        """The best ``limit`` phrases for ``query``, best first.

        ``fuzzy=False`` leaves out typo matches (for filtering a list rather than picking).
        """
        if limit <= 0:
            return []
        self._ensure()
        q = _QUERY_DROP.sub("", normalize(query)).strip()
        col = Collector(self._phrases, self._used_rank, limit)
        if not q:
            col.level(0.0, "", self._used_order, range(len(self._phrases)))
            return col.hits
        self._search_codes(col, q.replace(" ", ""))
        pq = pinyin_query(q)
        if pq and len(pq) > MAX_PINYIN_QUERY:
            pq = None  # pasted text, not typed pinyin
        if pq:
            self._search_pinyin(col, pq)
        self._searchtext_key(col, q)
        if fuzzy and not col.full:
            self._search_fuzzy(col, q, pq)
        return col.hits

    def _by_usage(self, idxs: Iterable[int]) -> list[int]:
        rank = self._used_rank
        n = len(self._phrases)
        return sorted(idxs, key=lambda i: (rank.get(i, n), i))

    def _search_codes(self, col: Collector, code: str) -> None:
        if not code:
            return
        keys = self._code_keys
        lo, mid = bisect_left(keys, code), bisect_right(keys, code)
        if mid > lo:
            exact = list(self._code_idx[lo:mid])
            col.level(S_CODE, "code", self._by_usage(exact), ())
        if col.full:
            return
        rng = self._code_idx[mid : bisect_right(keys, code + "\U0010ffff")]
        if not rng:
            return
        rank = self._used_rank
        used = sorted((i for i in rng if i in rank), key=rank.__getitem__)
        rest = heapq.nsmallest(col.limit, (i for i in rng if i not in rank))
        col.level(S_CODE_PREFIX, "code-prefix", used, rest)

    def _search_pinyin(self, col: Collector, pq: str) -> None:
        used, every = self._used, self._all
        # a letter no title reading starts with (u, i...) cannot match the title initials
        if all(c in self._starters for c in pq):
            # the readings in context first (核对 is "hd", not "kd"), then any reading
            start = RECORD_SEP + pq
            col.level(S_INITIALS_START, "initials", used.first.find(start), every.first.find(start))
            col.level(S_INITIALS, "initials", used.first.find(pq), every.first.find(pq))
            for prefix, score in ((True, S_INITIALS_ALT_START), (False, S_INITIALS_ALT)):
                if col.full:
                    break
                pat = initials_pattern(pq, prefix=prefix)
                col.level(score, "initials", used.initials.search(pat), every.initials.search(pat))
        if col.full:
            return
        any_ini = initials_pattern(pq)
        cats = self._matching_categories(lambda k: any_ini.search(k[0]) is not None)
        self._category_level(col, cats, S_INITIALS_CATEGORY, "initials")
        if len(pq) < 2:
            return  # one letter: the initials levels already found every reading
        bigrams = reading_bigrams()
        if not any(pq[k : k + 2] in bigrams for k in range(len(pq) - 1)):
            return  # one letter per slot: exactly what the initials levels matched
        pat = full_pattern(pq, self._starters)
        col.level(S_PINYIN, "pinyin", used.full.search(pat), every.full.search(pat))
        if col.full:
            return
        any_full = full_pattern(pq)
        cats = self._matching_categories(lambda k: any_full.search(k[1]) is not None)
        self._category_level(col, cats, S_PINYIN_CATEGORY, "pinyin")

    def _searchtext_key(self, col: Collector, q: str) -> None:
        used, every = self._used, self._all
        start = RECORD_SEP + q
        col.level(S_TITLE_START, "substring", used.title.find(start), every.title.find(start))
        col.level(S_TITLE, "substring", used.title.find(q), every.title.find(q))
        col.level(S_TAG, "substring", used.tags.find(q), every.tags.find(q))
        if col.full:
            return
        cats = self._matching_categories(lambda k: q in k[3])
        self._category_level(col, cats, S_CATEGORY, "substring")
        col.level(S_BODY, "substring", used.body.find(q), every.body.find(q))

    def _search_fuzzy(self, col: Collector, q: str, pq: str | None) -> None:
        # pinyin queries are compared with the title's pinyin, others with the title
        latin = pq is not None
        text = pq if pq is not None else q
        texts = self._all.letters if latin else self._all.title
        key, min_len, min_piece = (2, 4, 2) if latin else (3, 2, 1)
        n = len(text)
        if not min_len <= n <= MAX_PINYIN_QUERY:
            return
        from rapidfuzz import fuzz, process

        edits = 1 if n <= 8 else 2
        cutoff = max(50.0, 100.0 * (1.0 - edits / n)) - 0.01
        cat_score = self._fuzzy_categories(text, key, cutoff)
        # Candidates share an exact piece of the query (``edits`` typos leave one of
        # ``edits + 1`` pieces intact): all used phrases, and the first FUZZY_CANDIDATES
        # phrases per piece in library order.
        size = n // (edits + 1)
        pieces = {text[k * size : (k + 1) * size if k < edits else n] for k in range(edits + 1)}
        cand: set[int] = set()
        for piece in pieces:
            if len(piece) >= min_piece:
                for seg in (self._used, self._all):
                    hay = seg.letters if latin else seg.title
                    cand.update(islice(hay.find(piece), FUZZY_CANDIDATES))
        cand -= col.taken
        if cand:
            order = list(cand)
            found = process.extract(
                text,
                [texts.part(i) for i in order],
                scorer=fuzz.partial_ratio,
                score_cutoff=cutoff,
                limit=None,
            )
            n_all = len(self._phrases)
            rank = self._used_rank
            scored: list[tuple[float, int, int]] = []
            for choice, s, k in found:
                i = order[k]
                if len(choice) < n:  # a short text inside a long query is no match
                    s = fuzz.ratio(text, choice, score_cutoff=cutoff)
                    if not s:
                        continue
                if self._phrases[i].category in cat_score:
                    s += _FUZZY_BOTH_BONUS
                scored.append((-s, rank.get(i, n_all), i))
            scored.sort()
            for neg, _, i in scored[: col.limit - len(col.hits)]:
                col.add(i, S_FUZZY * -neg / (100.0 + _FUZZY_BOTH_BONUS), "fuzzy")
        for s in sorted(set(cat_score.values()), reverse=True):
            cats = {cid for cid, v in cat_score.items() if v == s}
            self._category_level(col, cats, S_FUZZY_CATEGORY * s / 100.0, "fuzzy")

    def _fuzzy_categories(self, text: str, key: int, cutoff: float) -> dict[str, float]:
        """Category id -> fuzzy score of its name (or its parent's), if above ``cutoff``."""
        from rapidfuzz import fuzz

        cats = self._library.categories
        out: dict[str, float] = {}
        for c in cats:
            s = fuzz.partial_ratio(text, self._category_keys(c.name)[key], score_cutoff=cutoff)
            if s:
                out[c.id] = s
        for c in cats:
            if c.parent in out:
                out[c.id] = max(out.get(c.id, 0.0), out[c.parent])
        return out

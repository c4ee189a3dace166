"""Suggest replies from a customer's own message (话术推荐).

The ranker answers "which phrases answer this message?" for colloquial Chinese messages
(``亲，咋还不发货啊``), offline, in a few milliseconds, and learns from the agent's choices.

How it ranks
------------
Every phrase is indexed as several *units*: each example question it carries
(``examples``), each message an agent answered with it (learned), its title with its tags,
and its body. A message is cut into clauses (:mod:`app.core.suggest_text`); the whole
message and each clause is turned into weighted terms (character bigrams and unigrams,
words, synonym *concepts*), and each term is weighted by its BM25 inverse document
frequency over phrases. A unit's score for a clause is

    field weight x (LAMBDA x query coverage + (1 - LAMBDA) x unit coverage)

where *query coverage* is the idf-weighted share of the clause's terms found in the unit
(BM25-saturated, length-normalised) and *unit coverage* the share of the unit's own terms
found in the clause. A phrase scores its best unit over the message and its clauses;
a clause counts a little less than the whole message. Both coverages are in [0, 1], so
the score is comparable across messages and libraries, and a fixed threshold
(:data:`MIN_SCORE`) decides "nothing fits".

Why no word segmenter or embedding model: character bigrams need no dictionary (jieba
loads a 5 MB dictionary for about a second and tens of MB of memory), are robust to typos
and unknown product words, and the idf weights plus synonym concepts do the rest. An
embedding model would have to ship in a wheel (hundreds of MB with onnxruntime) and
still not know a shop's own phrases better than the shop's example questions do.

Learning
--------
:meth:`Suggester.learn` stores (message, phrase) through a :class:`LearnStore`
(:mod:`app.core.suggest_store`) and indexes the message as a unit of that phrase at once,
so the same or a similar message ranks that phrase higher next time.

The docked panel, the picker and ``huashu suggest`` all call :meth:`Suggester.suggest`.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from app.core.model import Library, Phrase
from app.core.suggest_query import looks_like_sentence
from app.core.suggest_text import (
    CONCEPT_PREFIX,
    FRAME_BIGRAMS,
    W_BIGRAM,
    W_CONCEPT,
    W_FRAME,
    W_NUMBER,
    W_UNIGRAM,
    W_WORD,
    clauses,
    normalize,
    strip_leading,
    terms,
)

UsageLookup = Callable[[str], tuple[int, float]]

__all__ = [
    "LearnStore",
    "Learned",
    "SuggestResult",
    "Suggester",
    "Suggestion",
    "looks_like_sentence",
]

KIND_EXAMPLE = "example"
KIND_LEARNED = "learned"
KIND_TITLE = "title"
KIND_BODY = "body"

FIELD_WEIGHT: dict[str, float] = {
    KIND_EXAMPLE: 1.0,
    KIND_LEARNED: 1.0,
    KIND_TITLE: 0.9,
    KIND_BODY: 0.75,
}
LEARNED_BONUS = 0.08  # extra field weight of a learned message, reached at LEARNED_FULL uses
LEARNED_FULL = 3
USAGE_BONUS = 0.02  # at most, for the most used phrases (a tie-breaker)
LAMBDA = 0.7  # share of query coverage in a unit's score
CLAUSE_FACTOR = 0.9  # a clause's score, relative to the whole message's ...
CLAUSE_BASE = 0.5  # ... times this plus the rest by the clause's share of the message
STOP_DF = 0.3  # a term in more than this share of phrases is skipped, like a stop word
STOP_DF_UNIGRAM = 0.03  # ... a single character already from this share
STOP_MIN_DF = 50  # ... but never in fewer phrases than this (small libraries)
UNKNOWN_WEIGHT = 0.35  # weight of a message term that no phrase has
MIN_SCORE = 0.28  # below this a phrase does not fit the message (tuned on the tune split)
RELATIVE_FLOOR = 0.5  # results below best x this are dropped as noise
K1 = 1.2
B = 0.5
MAX_MESSAGE = 500  # characters of a message that are looked at

_CJK_PAIR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{2}")
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{[^{}]*\}")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class Learned:
    """One learned pair: the agent answered ``message`` with ``phrase_id``, ``count`` times."""

    phrase_id: str
    message: str
    count: int = 1


class LearnStore(Protocol):
    """Where learned (message, phrase) pairs are kept, locally (see suggest_store)."""

    def load(self) -> list[Learned]: ...

    def add(self, phrase_id: str, message: str) -> Learned: ...

    def forget(self, phrase_ids: Iterable[str]) -> None: ...


@dataclass(frozen=True)
class Suggestion:
    """One suggested phrase. ``score`` is in [0, 1]; ``why`` says which text matched."""

    phrase: Phrase
    score: float
    why: str


@dataclass(frozen=True)
class SuggestResult:
    """The ranked suggestions for a message; empty means "nothing fits", or, when
    ``preparing``, that the ranker is still being built (nothing was ranked)."""

    message: str
    suggestions: list[Suggestion] = field(default_factory=list)
    preparing: bool = False

    @property
    def nothing_fits(self) -> bool:
        return not self.suggestions


def kind_weight(term: str) -> float:
    """The weight of one occurrence of ``term`` by its kind (concept, bigram, unigram, word)."""
    if term.startswith(CONCEPT_PREFIX):
        return W_CONCEPT
    if _CJK.match(term):
        if len(term) == 1:
            return W_UNIGRAM
        return W_FRAME if term in FRAME_BIGRAMS else W_BIGRAM
    return W_NUMBER if term.isdigit() else W_WORD


def phrase_texts(phrase: Phrase) -> list[tuple[str, str]]:
    """(kind, text) of the units a phrase is indexed as; placeholders are left out."""
    out = [(KIND_EXAMPLE, e) for e in phrase.examples if e.strip()]
    out.append((KIND_TITLE, " ".join([phrase.title, *phrase.tags])))
    body = _PLACEHOLDER.sub(" ", phrase.body)
    if body.strip():
        out.append((KIND_BODY, body))
    return out


class Suggester:
    """The suggestion ranker over one library. Build once; :meth:`rebuild` after changes."""

    def __init__(
        self,
        library: Library,
        store: LearnStore | None = None,
        *,
        usage: UsageLookup | None = None,
        min_score: float = MIN_SCORE,
    ) -> None:
        self._store = store
        self._usage = usage
        self.min_score = min_score
        self.rebuild(library)

    # -- index ------------------------------------------------------------------------------
    def rebuild(self, library: Library) -> None:
        """Index ``library`` and the learned messages from scratch."""
        self._phrases: list[Phrase] = list(library.phrases)
        self._pos = {p.id: i for i, p in enumerate(self._phrases)}
        self._unit_phrases: list[list[int]] = []  # a unit's text may be in several phrases
        self._unit_of: dict[tuple[str, str], int] = {}
        self._unit_kind: list[str] = []
        self._unit_text: list[str] = []
        self._unit_weight: list[float] = []
        self._unit_mass: list[float] = []
        self._post: dict[str, tuple[array[int], array[float]]] = {}
        self._df: dict[str, int] = {}
        self._kw_cache: dict[str, float] = {}
        self._idf_cache: dict[str, float] = {}
        self._learned: dict[tuple[str, str], int] = {}
        learned: dict[int, list[Learned]] = {}
        for item in self._store.load() if self._store is not None else []:
            i = self._pos.get(item.phrase_id, -1)
            if i >= 0:
                learned.setdefault(i, []).append(item)
        units: list[tuple[int, str, str, dict[str, float]]] = []
        cache: dict[tuple[str, str], dict[str, float]] = {}
        for i, p in enumerate(self._phrases):
            seen: set[str] = set()
            for kind, text in phrase_texts(p):
                t = cache.get((kind, text))
                if t is None:
                    t = cache[(kind, text)] = terms(normalize(text), unigrams=kind != KIND_BODY)
                units.append((i, kind, text, t))
                seen.update(t)
            for item in learned.get(i, ()):
                t = self._learned_terms(item.message)
                if t:
                    self._learned[(p.id, item.message)] = item.count
                    units.append((i, KIND_LEARNED, item.message, t))
                    seen.update(t)
            for term in seen:
                self._df[term] = self._df.get(term, 0) + 1
        lengths: dict[str, list[float]] = {}
        for _i, kind, _text, t in units:
            lengths.setdefault(kind, []).append(sum(t.values()))
        self._avglen = {k: max(1.0, sum(v) / len(v)) for k, v in lengths.items()}
        for i, kind, text, t in units:
            self._add_unit(i, kind, text, t)

    def _learned_terms(self, message: str) -> dict[str, float]:
        return terms(" ".join(clauses(message[:MAX_MESSAGE])))

    def _phrase_has(self, i: int, term: str) -> bool:
        """Whether phrase ``i`` already has ``term`` in the index."""
        post = self._post.get(term)
        return post is not None and any(i in self._unit_phrases[u] for u in post[0])

    def _add_unit(self, i: int, kind: str, text: str, t: dict[str, float]) -> None:
        if kind != KIND_LEARNED:  # the same text in another phrase: share its unit
            same = self._unit_of.get((kind, text))
            if same is not None:
                self._unit_phrases[same].append(i)
                return
            self._unit_of[(kind, text)] = len(self._unit_phrases)
        u = len(self._unit_phrases)
        weight = FIELD_WEIGHT[kind]
        if kind == KIND_LEARNED:
            uses = self._learned.get((self._phrases[i].id, text), 1)
            weight += LEARNED_BONUS * min(uses, LEARNED_FULL) / LEARNED_FULL
        self._unit_phrases.append([i])
        self._unit_kind.append(kind)
        self._unit_text.append(text)
        self._unit_weight.append(weight)
        kw = self._kw
        idf = self._idf
        mass = 0.0
        norm = 1 - B + B * sum(t.values()) / self._avglen.get(kind, self._avglen[KIND_TITLE])
        posts = self._post
        for term, value in t.items():
            k = kw(term)
            mass += k * idf(term)
            count = value / k
            tfn = min(1.0, count * (1 + K1) / (count + K1 * norm))
            post = posts.get(term)
            if post is None:
                post = posts[term] = (array("i"), array("f"))
            post[0].append(u)
            post[1].append(tfn)
        self._unit_mass.append(mass)

    def _kw(self, term: str) -> float:
        k = self._kw_cache.get(term)
        if k is None:
            k = self._kw_cache[term] = kind_weight(term)
        return k

    def _idf(self, term: str) -> float:
        v = self._idf_cache.get(term)
        if v is None:
            n = len(self._phrases)
            df = self._df.get(term, 0)
            v = self._idf_cache[term] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return v

    @property
    def phrase_count(self) -> int:
        return len(self._phrases)

    @property
    def unit_count(self) -> int:
        return len(self._unit_phrases)

    # -- learning ---------------------------------------------------------------------------
    def learn(self, message: str, phrase_id: str) -> bool:
        """The agent answered ``message`` with ``phrase_id``: remember it and lift that
        phrase for this and similar messages. False when there is nothing to learn."""
        item = self.record(message, phrase_id)
        return item is not None and self.index_learned(item)

    def record(self, message: str, phrase_id: str) -> Learned | None:
        """Store that ``message`` was answered with ``phrase_id`` (not indexed yet: see
        :meth:`index_learned`); the pair with its count so far, or None when there is
        nothing to learn (an unknown phrase, a message without words)."""
        message = " ".join(message.split())[:MAX_MESSAGE]
        if self._pos.get(phrase_id, -1) < 0 or not self._learned_terms(message):
            return None
        if self._store is not None:
            return self._store.add(phrase_id, message)
        return Learned(phrase_id, message, self._learned.get((phrase_id, message), 0) + 1)

    def index_learned(self, item: Learned) -> bool:
        """Index a learned pair already stored (its ``count`` is the total so far), without
        writing it to the store again: the same pair twice only updates its weight."""
        i = self._pos.get(item.phrase_id, -1)
        message = item.message
        t = self._learned_terms(message)
        if i < 0 or not t:
            return False
        key = (item.phrase_id, message)
        known = key in self._learned
        self._learned[key] = item.count
        if known:  # already indexed: only its weight changes
            for u, text in enumerate(self._unit_text):
                if (
                    self._unit_kind[u] == KIND_LEARNED
                    and text == message
                    and i in self._unit_phrases[u]
                ):
                    extra = LEARNED_BONUS * min(item.count, LEARNED_FULL) / LEARNED_FULL
                    self._unit_weight[u] = FIELD_WEIGHT[KIND_LEARNED] + extra
            return True
        for term in t:
            if not self._phrase_has(i, term):
                self._df[term] = self._df.get(term, 0) + 1
                self._idf_cache.pop(term, None)
        self._add_unit(i, KIND_LEARNED, message, t)
        return True

    # -- ranking ----------------------------------------------------------------------------
    def suggest(self, message: str, limit: int = 5) -> SuggestResult:
        """The phrases that answer ``message``, best first, at most ``limit``; an empty
        result when nothing fits."""
        message = message[:MAX_MESSAGE]
        parts = clauses(message)
        if not parts or limit < 1:
            return SuggestResult(message)
        whole = " ".join(parts)
        # The whole message's sums are the sums of its clauses' (a bigram never spans two
        # clauses), so every posting list is read once per clause.
        per_clause = [self._accumulate(p) for p in parts]
        whole_mass = sum(mass for mass, _acc in per_clause)
        segments: list[tuple[str, float, dict[int, complex], float]] = []
        if len(parts) == 1:
            segments.append((whole, whole_mass, per_clause[0][1], 1.0))
        else:
            total_acc: dict[int, complex] = {}
            for _mass, acc in per_clause:
                for u, c in acc.items():
                    total_acc[u] = total_acc.get(u, 0j) + c
            segments.append((whole, whole_mass, total_acc, 1.0))
            for p, (mass, acc) in zip(parts, per_clause, strict=True):
                share = min(1.0, mass / whole_mass) if whole_mass > 0 else 0.0
                factor = CLAUSE_FACTOR * (CLAUSE_BASE + (1 - CLAUSE_BASE) * share)
                segments.append((p, mass, acc, factor))
        best: dict[int, tuple[float, int, str]] = {}  # phrase -> (score, unit, segment)
        for seg, mass, acc, factor in segments:
            floor = self.min_score / factor
            for u, score in self._unit_scores(mass, acc):
                if score < floor:
                    continue  # cannot fit; most candidates stop here, cheaply
                score *= factor
                for i in self._unit_phrases[u]:
                    old = best.get(i)
                    if old is None or score > old[0]:
                        best[i] = (score, u, seg)
        ranked: list[tuple[float, int]] = []
        for i, (score, _u, _seg) in best.items():
            if score < self.min_score:
                continue
            ranked.append((score + self._usage_bonus(self._phrases[i].id), i))
        ranked.sort(key=lambda r: (-r[0], r[1]))
        if not ranked:
            return SuggestResult(message)
        floor = ranked[0][0] * RELATIVE_FLOOR
        out = []
        for score, i in ranked[:limit]:
            if score < floor:
                break
            _s, u, seg = best[i]
            why = self._why(u, seg, i)
            out.append(Suggestion(self._phrases[i], round(min(score, 1.0), 3), why))
        return SuggestResult(message, out)

    def _usage_bonus(self, phrase_id: str) -> float:
        if self._usage is None:
            return 0.0
        count = self._usage(phrase_id)[0]
        return USAGE_BONUS * min(1.0, math.log1p(count) / math.log1p(100))

    def _accumulate(self, seg: str) -> tuple[float, dict[int, complex]]:
        """The segment's idf mass, and for every unit that shares a term with it the sums
        of matched weight (real part) and of matched unit presence (imaginary part)."""
        q = terms(seg)
        # real part: query coverage (weight x tfn); imaginary part: unit coverage (presence)
        acc: dict[int, complex] = {}
        get = acc.get
        total = 0.0
        n = len(self._phrases)
        stop_df = max(STOP_DF * n, STOP_MIN_DF)
        stop_df_unigram = max(STOP_DF_UNIGRAM * n, STOP_MIN_DF)
        for term, value in q.items():
            post = self._post.get(term)
            if post is None:  # in no phrase: mostly a bigram across two words (买完, 就降)
                total += value * self._idf(term) * UNKNOWN_WEIGHT
                continue
            df = self._df.get(term, 0)
            k = self._kw(term)
            if df > stop_df or (k == W_UNIGRAM and df > stop_df_unigram):
                continue  # as common as a stop word: it cannot tell phrases apart
            idf = self._idf(term)
            weight = value * idf
            total += weight
            presence = complex(0.0, k * idf)
            for u, tfn in zip(post[0], post[1], strict=True):
                acc[u] = get(u, 0j) + (weight * tfn + presence)
        return total, acc

    def _unit_scores(self, total: float, acc: dict[int, complex]) -> list[tuple[int, float]]:
        """(unit, score) from :meth:`_accumulate`'s sums."""
        if total <= 0:
            return []
        mass = self._unit_mass
        fw = self._unit_weight
        lam = LAMBDA / total
        rest = 1 - LAMBDA
        out = []
        for u, c in acc.items():
            m = mass[u]
            ucov = c.imag / m if m > 0 else 0.0
            out.append((u, fw[u] * (lam * c.real + rest * (ucov if ucov < 1.0 else 1.0))))
        return out

    def _why(self, u: int, seg: str, i: int) -> str:
        """A short reason: which kind of text matched, and the words both share."""
        words = shared_words(seg, self._unit_text[u])
        text = " ".join(self._unit_text[u].split())
        if self._unit_kind[u] == KIND_BODY:
            return f"body: {', '.join(words[:3])}" if words else "body"
        if self._unit_kind[u] == KIND_TITLE:
            text = self._phrases[i].title
        shown = text if len(text) <= 24 else text[:23] + "…"
        label = {KIND_EXAMPLE: "example", KIND_LEARNED: "learned", KIND_TITLE: "title"}
        tail = f" ({', '.join(words[:3])})" if words else ""
        return f"{label[self._unit_kind[u]]} “{shown}”{tail}"


def shared_words(segment: str, text: str) -> list[str]:
    """Runs of the segment (longest first) whose bigrams all occur in ``text``, plus the
    synonym concepts both share that are not spelled out already."""
    other = normalize(text)
    seg = strip_leading(segment)
    runs: list[str] = []
    start = -1
    for k in range(len(seg) + 1):
        pair = seg[k : k + 2]
        ok = k < len(seg) - 1 and _CJK_PAIR.fullmatch(pair) is not None and pair in other
        if ok and start < 0:
            start = k
        elif not ok and start >= 0:
            runs.append(seg[start : k + 1])
            start = -1
    concepts = [
        c[len(CONCEPT_PREFIX) :]
        for c in terms(seg, unigrams=False)
        if c.startswith(CONCEPT_PREFIX) and c in terms(other, unigrams=False)
    ]
    out = sorted(set(runs), key=lambda w: (-len(w), seg.find(w)))
    out += [c for c in concepts if not any(c in w for w in out)]
    return out

"""The phrase model: categories, phrases, the profile and the library that holds them.

Pure data; no I/O here (see :mod:`app.core.storage`).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
from dataclasses import dataclass, field

from app.core.problems import Msg


def now_iso() -> str:
    """Current local time as an ISO-8601 string with seconds precision."""
    return _dt.datetime.now().astimezone().replace(microsecond=0).isoformat()


def new_id() -> str:
    """A new stable phrase/category id."""
    # What uuid.uuid4().hex[:12] gave (its first 6 bytes are random), without importing
    # uuid, which imports platform at start-up.
    return os.urandom(6).hex()


@dataclass
class Category:
    """A category (分类). ``parent`` is set for a second-level category (二级类目).

    ``source`` names the subscription (team pack) a read-only category comes from.
    """

    id: str
    name: str
    order: int = 0
    parent: str | None = None
    source: str = ""


@dataclass
class Phrase:
    """A reply phrase (短语).

    ``source`` is empty for the agent's own phrases and names the subscription (team pack)
    for read-only phrases that come from one.
    """

    id: str
    title: str
    body: str
    category: str
    code: str = ""
    hotkey: str = ""
    tags: list[str] = field(default_factory=list)
    created: str = ""
    updated: str = ""
    source: str = ""
    examples: list[str] = field(default_factory=list)
    """Customer questions this phrase answers (for the suggestion ranker)."""

    @property
    def read_only(self) -> bool:
        return bool(self.source)

    def content_key(
        self,
    ) -> tuple[str, str, str, str, str, tuple[str, ...], tuple[str, ...]]:
        """What makes two phrases 'the same content' (ids and timestamps aside)."""
        return (
            self.title,
            self.body,
            self.category,
            self.code,
            self.hotkey,
            tuple(self.tags),
            tuple(self.examples),
        )

    def copy(self, **changes: object) -> Phrase:
        return dataclasses.replace(
            self,
            tags=list(self.tags),
            examples=list(self.examples),
            **changes,  # type: ignore[arg-type]
        )


@dataclass
class Profile:
    """The agent's profile: number, name and shops (one of them active)."""

    agent_no: str = ""
    agent_name: str = ""
    shops: list[str] = field(default_factory=list)
    active_shop: str = ""

    @property
    def shop(self) -> str:
        if self.active_shop in self.shops:
            return self.active_shop
        return self.shops[0] if self.shops else ""

    def set_shop(self, name: str) -> None:
        """Make ``name`` the active shop, adding it when it is new."""
        name = name.strip()
        if not name:
            raise ValueError("shop name is empty")
        if name not in self.shops:
            self.shops.append(name)
        self.active_shop = name


class LibraryError(ValueError):
    """An operation on the library that cannot be done (unknown id, bad category...)."""


# Field limits of the library itself (the same as a pack's), so that exporting the
# agent's own library never fails: (max length, multi-line).
PHRASE_FIELDS: dict[str, tuple[int, bool]] = {
    "title": (200, False),
    "body": (10_000, True),
    "code": (32, False),
    "hotkey": (200, False),
}
CATEGORY_NAME_MAX = 100
TAG_MAX = 50
MAX_TAGS = 20


def check_phrase(phrase: Phrase) -> None:
    """Raise LibraryError when a field is too long or holds control characters (or, in
    one-line fields, invisible / direction-changing ones)."""
    from app.core.textcheck import text_problem

    for key, (max_len, multiline) in PHRASE_FIELDS.items():
        reason = text_problem(getattr(phrase, key), max_len, multiline=multiline, key=key)
        if reason:
            raise LibraryError(reason)
    if len(phrase.tags) > MAX_TAGS:
        raise LibraryError(Msg("pack.too_many_tags", what="phrase", n=MAX_TAGS))
    for tag in phrase.tags:
        reason = text_problem(tag, TAG_MAX, key="tags")
        if reason:
            raise LibraryError(reason)


def check_category(cat: Category) -> None:
    from app.core.textcheck import text_problem

    reason = text_problem(cat.name, CATEGORY_NAME_MAX, key="name")
    if reason:
        raise LibraryError(reason)


@dataclass
class Library:
    """All categories and phrases, in memory."""

    categories: list[Category] = field(default_factory=list)
    phrases: list[Phrase] = field(default_factory=list)

    # -- lookups -------------------------------------------------------------------------
    def category(self, cid: str) -> Category | None:
        for c in self.categories:
            if c.id == cid:
                return c
        return None

    def phrase(self, pid: str) -> Phrase | None:
        for p in self.phrases:
            if p.id == pid:
                return p
        return None

    def top_categories(self) -> list[Category]:
        return sorted((c for c in self.categories if not c.parent), key=lambda c: (c.order, c.name))

    def children(self, cid: str) -> list[Category]:
        return sorted(
            (c for c in self.categories if c.parent == cid), key=lambda c: (c.order, c.name)
        )

    def root_of(self, cid: str) -> str:
        """The top-level category id that ``cid`` belongs to (itself when top-level)."""
        c = self.category(cid)
        if c is not None and c.parent:
            return c.parent
        return cid

    def category_path(self, cid: str) -> str:
        """Display name, ``Parent / Child`` for a nested category."""
        c = self.category(cid)
        if c is None:
            return cid
        if c.parent:
            p = self.category(c.parent)
            return f"{p.name if p else c.parent} / {c.name}"
        return c.name

    def phrases_in(self, cid: str, *, recursive: bool = True) -> list[Phrase]:
        ids = {cid}
        if recursive:
            ids |= {c.id for c in self.children(cid)}
        return [p for p in self.phrases if p.category in ids]

    def by_code(self, code: str) -> list[Phrase]:
        code = code.strip().lower()
        return [p for p in self.phrases if code and p.code.lower() == code]

    def sort_phrases(self) -> None:
        """Order phrases by their top-level category's order (欢迎语 before 售后), keeping
        the order within a category."""
        rank = {c.id: (c.order, c.name) for c in self.categories if not c.parent}
        root = {c.id: c.parent or c.id for c in self.categories}
        self.phrases.sort(key=lambda p: rank.get(root.get(p.category, ""), (0, "")))

    # -- changes -------------------------------------------------------------------------
    def add_category(self, cat: Category) -> None:
        check_category(cat)
        if self.category(cat.id) is not None:
            raise LibraryError(f"category id {cat.id!r} already exists")
        if cat.parent:
            parent = self.category(cat.parent)
            if parent is None:
                raise LibraryError(Msg("library.no_parent", id=cat.parent))
            if parent.parent:
                raise LibraryError("categories nest one level only")
        self.categories.append(cat)

    def add_phrase(self, phrase: Phrase) -> None:
        check_phrase(phrase)
        if self.phrase(phrase.id) is not None:
            raise LibraryError(f"phrase id {phrase.id!r} already exists")
        if self.category(phrase.category) is None:
            raise LibraryError(Msg("import.no_category", id=phrase.category))
        stamp = now_iso()
        phrase.created = phrase.created or stamp
        phrase.updated = phrase.updated or stamp
        self.phrases.append(phrase)

    def update_phrase(self, phrase: Phrase) -> None:
        check_phrase(phrase)
        for i, p in enumerate(self.phrases):
            if p.id == phrase.id:
                if self.category(phrase.category) is None:
                    raise LibraryError(Msg("import.no_category", id=phrase.category))
                phrase.updated = now_iso()
                self.phrases[i] = phrase
                return
        raise LibraryError(Msg("library.no_phrase", id=phrase.id))

    def remove_phrase(self, pid: str) -> Phrase:
        for i, p in enumerate(self.phrases):
            if p.id == pid:
                return self.phrases.pop(i)
        raise LibraryError(Msg("library.no_phrase", id=pid))

    def remove_category(self, cid: str) -> tuple[list[Category], list[Phrase]]:
        """Remove a category, its children and all their phrases; return what was removed."""
        if self.category(cid) is None:
            raise LibraryError(f"no category with id {cid!r}")
        ids = {cid} | {c.id for c in self.children(cid)}
        cats = [c for c in self.categories if c.id in ids]
        phrases = [p for p in self.phrases if p.category in ids]
        self.categories = [c for c in self.categories if c.id not in ids]
        self.phrases = [p for p in self.phrases if p.category not in ids]
        return cats, phrases

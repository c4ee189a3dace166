"""Phrases as result rows for the picker, the docked panel and the tray menu."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.core.model import Phrase
from app.core.workspace import Workspace

SUGGEST_LIMIT = 9  # suggestions listed for a sentence (one screen of the picker)
SUGGEST_MAX_CHARS = 300  # of a copied message
PANEL_SEARCH_LIMIT = 200

#: Search reasons that still count when the ranker finds nothing fitting a sentence.
EXACT_REASONS = ("code", "code-prefix", "substring")

MenuEntries = Sequence[tuple[str, str]]
"""[(phrase id, label), ...] of one menu."""
MenuCategory = tuple[str, MenuEntries, Sequence[tuple[str, MenuEntries]]]
"""(category name, its phrases, [(subcategory name, its phrases), ...])."""


@dataclass(frozen=True)
class PickerItem:
    """One search result as the picker shows it.

    ``warning`` is a compliance-lint finding; when non-empty the row shows a warning mark
    and the text as tooltip. ``why`` says why a suggestion was ranked (tooltip too).
    """

    phrase_id: str
    title: str
    category: str
    code: str
    preview: str
    warning: str = ""
    why: str = ""


def reads_like_sentence(query: str) -> bool:
    """True when ``query`` reads like a customer's message (the ranker answers it), not a
    code, pinyin or a short search."""
    if len(query) < 2 or query.isascii():
        return False  # codes and pinyin never load the ranker
    from app.core.suggest_query import looks_like_sentence  # tiny; the ranker is not

    return looks_like_sentence(query)


def one_line(text: str, limit: int = SUGGEST_MAX_CHARS) -> str:
    """``text`` on one line (runs of white space become one space), at most ``limit``
    characters: how a copied customer message is asked about."""
    return " ".join(text.split())[:limit]


class Results:
    """Turns the workspace's search, suggestions and categories into result rows."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def item(self, p: Phrase, ctx: Any = None, why: str = "") -> PickerItem:
        from app.core.template import render_preview

        ws = self.ws
        findings = ws.linter.check_phrase(p)
        warning = "; ".join(f"“{f.word}”: {f.reason}" for f in findings[:3])
        ctx = ws.context() if ctx is None else ctx
        return PickerItem(
            phrase_id=p.id,
            title=p.title,
            category=ws.library.category_path(p.category),
            code=p.code,
            preview=" ".join(render_preview(p.body, ctx).text.split()),
            warning=warning,
            why=why,
        )

    def search(self, query: str, limit: int) -> list[PickerItem]:
        """The picker's results: a query that reads like a customer's sentence is ranked by
        the suggestion ranker (exact title/body matches of the search still count when it
        finds nothing fitting); codes, pinyin and short text go to the search."""
        ws = self.ws
        ranked: list[tuple[Phrase, str]]
        if reads_like_sentence(query):
            result = ws.suggest(query, min(limit, SUGGEST_LIMIT))
            ranked = [(s.phrase, s.why) for s in result.suggestions]
            if result.nothing_fits:
                ranked = [
                    (h.phrase, "") for h in ws.search(query, limit) if h.reason in EXACT_REASONS
                ]
        else:
            ranked = [(h.phrase, "") for h in ws.search(query, limit)]
        ctx = ws.context()  # no clipboard read while typing
        return [self.item(p, ctx, why) for p, why in ranked]

    def suggestions(self, message: str) -> list[PickerItem]:
        """Replies to a customer's ``message``; none when it does not read like one."""
        if not reads_like_sentence(message):
            return []
        ctx = self.ws.context()
        result = self.ws.suggest(message, SUGGEST_LIMIT)
        return [self.item(s.phrase, ctx, s.why) for s in result.suggestions]

    def categories(self) -> list[tuple[str, str]]:
        """(category id, label) of every category, subcategories indented under theirs."""
        lib = self.ws.library
        out: list[tuple[str, str]] = []
        for top in lib.top_categories():
            out.append((top.id, top.name))
            out += [(child.id, f"    {child.name}") for child in lib.children(top.id)]
        return out

    def in_category(self, category_id: str, query: str) -> list[PickerItem]:
        """The panel's rows: a category's phrases (with its subcategories'), or the search
        results when there is a query or no category."""
        if query or not category_id:
            return self.search(query, PANEL_SEARCH_LIMIT)
        lib = self.ws.library
        wanted = {category_id, *(c.id for c in lib.children(category_id))}
        ctx = self.ws.context()
        return [self.item(p, ctx) for p in lib.phrases if p.category in wanted]

    def menu(self) -> list[MenuCategory]:
        """The tray menu: each top category with its phrases and non-empty subcategories."""
        lib = self.ws.library
        # One pass over the phrases, in library order (a pass per category took 1 s at
        # 100k phrases and 25 categories).
        by_category: dict[str, list[tuple[str, str]]] = {}
        for p in lib.phrases:
            label = f"{p.title}  [{p.code}]" if p.code else p.title
            by_category.setdefault(p.category, []).append((p.id, label))

        def entries(category_id: str) -> list[tuple[str, str]]:
            return by_category.get(category_id, [])

        menus: list[MenuCategory] = []
        for top in lib.top_categories():
            children = [(c.name, entries(c.id)) for c in lib.children(top.id)]
            menus.append((top.name, entries(top.id), [c for c in children if c[1]]))
        return menus

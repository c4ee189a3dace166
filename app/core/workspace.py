"""One object over everything in the data directory: settings, library, usage, search.

The command line and the tray app both work through a :class:`Workspace`.
"""

from __future__ import annotations

import datetime as _dt
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from app.core.fsutil import Paths, Problem
from app.core.model import Library, LibraryError, Phrase
from app.core.settings import Settings, SettingsError, load_settings, save_settings
from app.core.storage import LibraryStore
from app.core.usage import UsageStore

if TYPE_CHECKING:
    from app.core.lint import Linter
    from app.core.pinyin import PinyinCache
    from app.core.search import Hit, SearchIndex
    from app.core.suggest import Suggester, SuggestResult
    from app.core.suggest_store import SqliteLearnStore
    from app.core.template import Context, Rendered

log = logging.getLogger(__name__)


class Workspace:
    """The agent's data, loaded. Construct with :meth:`open`."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.problems: list[Problem] = []
        self.settings = Settings()
        self.settings_ok = True
        self.store = LibraryStore(paths)
        self.library = Library()
        self.usage = UsageStore(paths.usage)
        self._pinyin: PinyinCache | None = None
        self._index: SearchIndex | None = None
        self._linter: Linter | None = None
        self._suggester: Suggester | None = None
        self._learn_store: SqliteLearnStore | None = None

    @classmethod
    def open(cls, paths: Paths | None = None, *, seed: bool = True) -> Workspace:
        ws = cls(paths or Paths.default())
        ws.paths.home.mkdir(parents=True, exist_ok=True)
        try:
            ws.settings = load_settings(ws.paths.settings)
        except SettingsError as exc:
            ws.settings_ok = False
            ws.problems.append(exc.problem)
            log.error("settings not loaded: %s", exc.problem)
        result = ws.store.load()
        ws.library = result.library
        ws.problems.extend(result.problems)
        if seed:
            added = ws.store.seed_builtin(ws.library)
            if added:
                log.info("added %d built-in phrases", len(added))
                ws.library.sort_phrases()
                ws.store.save(ws.library)
        if ws.settings.subscriptions:
            from app.core.subscriptions import load_subscriptions

            load_subscriptions(ws)
        return ws

    def close(self) -> None:
        if self._pinyin is not None:
            self._pinyin.save()
        self.usage.close()
        if self._learn_store is not None:
            self._learn_store.close()

    # -- persistence ----------------------------------------------------------------------
    def save_library(self) -> None:
        self.store.save(self.library)
        self.library_changed()

    def library_changed(self) -> None:
        """The in-memory library changed: refresh what is derived from it."""
        if self._index is not None:
            self._index.rebuild(self.library)
        if self._suggester is not None:
            self._suggester.rebuild(self.library)

    def save_settings(self) -> None:
        if not self.settings_ok:
            raise SettingsError(
                Problem(
                    self.paths.settings.name,
                    None,
                    "settings.toml failed to load, so it is not overwritten; fix or move it",
                )
            )
        save_settings(self.paths.settings, self.settings)

    def delete_phrases(self, ids: Iterable[str]) -> list[Phrase]:
        """Delete phrases (backup first); returns what was removed."""
        ids = list(ids)
        for pid in ids:
            if self.library.phrase(pid) is None:
                raise LibraryError(f"no phrase with id {pid!r}")
        self.store.backup("delete")
        removed = [self.library.remove_phrase(pid) for pid in ids]
        self.save_library()
        return removed

    # -- search ---------------------------------------------------------------------------
    @property
    def pinyin(self) -> PinyinCache:
        if self._pinyin is None:
            from app.core.pinyin import PinyinCache

            self._pinyin = PinyinCache(self.paths.pinyin_cache)
        return self._pinyin

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            from app.core.search import SearchIndex

            self._index = SearchIndex(self.library, self.pinyin, usage=self.usage.get)
            self.pinyin.save()
        return self._index

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        return self.index.search(query, limit)

    # -- suggestions (imported and built on first use, never at start-up) ------------------
    @property
    def suggester(self) -> Suggester:
        if self._suggester is None:
            from app.core.suggest import Suggester
            from app.core.suggest_store import SqliteLearnStore

            self._learn_store = SqliteLearnStore(self.paths.home / "suggest.sqlite3")
            self._suggester = Suggester(self.library, self._learn_store, usage=self.usage.get)
        return self._suggester

    def suggest(self, message: str, limit: int = 5) -> SuggestResult:
        """Phrases that answer a customer's ``message`` (empty when nothing fits)."""
        return self.suggester.suggest(message, limit)

    def learn(self, message: str, phrase_id: str) -> bool:
        """The agent answered ``message`` with ``phrase_id``: teach the ranker."""
        return self.suggester.learn(message, phrase_id)

    @property
    def linter(self) -> Linter:
        if self._linter is None:
            from app.core.lint import Linter

            self._linter = Linter.default()
        return self._linter

    # -- rendering ------------------------------------------------------------------------
    def context(
        self, clipboard: Callable[[], str] | None = None, now: _dt.datetime | None = None
    ) -> Context:
        from app.core.template import Context

        prof = self.settings.profile
        return Context(
            agent_no=prof.agent_no,
            agent_name=prof.agent_name,
            shop=prof.shop,
            now=now,
            clipboard=clipboard,
        )

    def render(
        self,
        phrase_id: str,
        values: Mapping[str, str] | None = None,
        clipboard: Callable[[], str] | None = None,
    ) -> Rendered:
        from app.core.template import render

        phrase = self.library.phrase(phrase_id)
        if phrase is None:
            raise LibraryError(f"no phrase with id {phrase_id!r}")
        return render(phrase.body, self.context(clipboard), values or {})

    def find(self, key: str) -> Phrase | None:
        """A phrase by id, or else by its code."""
        p = self.library.phrase(key)
        if p is not None:
            return p
        by_code = self.library.by_code(key)
        return by_code[0] if by_code else None

    def record_use(self, phrase_id: str) -> None:
        self.usage.record(phrase_id)
        if self._index is not None:
            self._index.refresh_usage(phrase_id)

"""One object over everything in the data directory: settings, library, usage, search.

The command line and the tray app both work through a :class:`Workspace`.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from app.core.fsutil import Paths, Problem
from app.core.locking import HomeLock, Stamp, stamp
from app.core.merge import merge_data
from app.core.model import Library, LibraryError, Phrase
from app.core.problems import Msg
from app.core.settings import (
    Settings,
    SettingsError,
    SettingsNotLoaded,
    from_dict_report,
    read_settings,
    save_settings,
)
from app.core.storage import LibraryStore
from app.core.usage import UsageError, UsageStore

if TYPE_CHECKING:
    from app.core.lint import Linter
    from app.core.pinyin import PinyinCache
    from app.core.search import Hit, SearchIndex
    from app.core.suggest import Suggester, SuggestResult
    from app.core.suggest_build import SuggesterBuilder
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
        self.lock = HomeLock(paths.home)
        self.store = LibraryStore(paths, self.lock)
        self.library = Library()
        # settings.toml as last read or written: its stamp, and its data (the merge base)
        self._settings_stamp: Stamp = None
        self._settings_base: dict[str, object] = Settings().to_data()
        self.usage = UsageStore(paths.usage)
        self.usage_warning: str | None = None
        self._pinyin: PinyinCache | None = None
        self._index: SearchIndex | None = None
        self._index_build: tuple[threading.Thread, list[SearchIndex]] | None = None
        self._linter: Linter | None = None
        self._suggester: SuggesterBuilder | None = None
        self._suggest_background = False  # see prepare_suggestions
        self._suggest_ready: Callable[[], None] | None = None
        self._learn_store: SqliteLearnStore | None = None
        self.library_listeners: list[Callable[[], None]] = []
        """Called (no arguments) once after each change to the library: at the end of the
        outermost :meth:`transaction`, or at :meth:`library_changed` outside of one."""
        self._tx_depth = 0
        self._tx_changed = False

    @classmethod
    def open(cls, paths: Paths | None = None, *, seed: bool = True) -> Workspace:
        ws = cls(paths or Paths.default())
        ws.paths.home.mkdir(parents=True, exist_ok=True)
        if ws.usage.problem is not None:
            ws.problems.append(ws.usage.problem)
        with ws.lock.hold():
            ws._read_settings()
            result = ws.store.load()
            ws.library = result.library
            ws.problems.extend(result.problems)
            added = ws.store.seed_builtin(ws.library) if seed else []
            if added:
                log.info("added %d built-in phrases", len(added))
                ws.library.sort_phrases()
            if added or ws.store.needs_save:
                if ws.store.needs_save:
                    ws.store.backup("dedupe")
                ws.store.save(ws.library)
                ws.store.flush_cache()  # the next start reads what was just written warm
        if ws.settings.subscriptions:
            ws._load_subscriptions()
        return ws

    def close(self) -> None:
        if self._suggester is not None:
            self._suggester.close()
        self.store.flush_cache()
        if self._index_build is not None and self._index_build[0].is_alive():
            log.info("closing while the search index is built: its pinyin is not saved")
        elif self._pinyin is not None:
            self._pinyin.save()
        self.usage.close()
        if self._learn_store is not None:
            self._learn_store.close()

    # -- persistence ----------------------------------------------------------------------
    def save_library(self) -> None:
        with self.transaction():
            self.store.save(self.library)

    @contextmanager
    def transaction(self, *, settings: bool = False, library: bool = True) -> Iterator[Workspace]:
        """A change to the agent's data, checked and announced here so that no caller has to
        remember to.

        ``library``: the block changes the library; the change event
        (:meth:`library_changed`) fires once, when the outermost transaction ends without
        an exception. Transactions nest; one that fails announces only what nested
        transactions completed before it (a restore after a failed write runs in its own
        transaction).

        ``settings``: the block writes settings.toml (every :meth:`save_settings` runs in
        such a transaction). When settings.toml failed to load, the transaction is refused
        before the block starts (:class:`SettingsNotLoaded`): nothing is changed, and the
        user's file is never overwritten with defaults."""
        if settings and not self.settings_ok:
            raise SettingsNotLoaded(self.paths.settings.name)
        self._tx_depth += 1
        try:
            yield self
            if library:
                self._tx_changed = True
        finally:
            self._tx_depth -= 1
            if self._tx_depth == 0 and self._tx_changed:
                self._tx_changed = False
                self._announce()

    def library_changed(self) -> None:
        """The in-memory library changed: refresh what is derived from it and tell the
        listeners (deferred to the end of the current transaction, if any)."""
        if self._tx_depth:
            self._tx_changed = True
        else:
            self._announce()

    def watch_library(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener`` after every library change; returns a function that stops it."""
        self.library_listeners.append(listener)

        def stop() -> None:
            if listener in self.library_listeners:
                self.library_listeners.remove(listener)

        return stop

    def _announce(self) -> None:
        if self._index is not None:
            self._index.sync(self.library)
        if self._suggester is not None:
            self._suggester.request(self.library, background=self._suggest_background)
        for listener in list(self.library_listeners):
            listener()

    def _read_settings(self) -> None:
        try:
            self.settings, problems = read_settings(self.paths.settings)
            self.settings_ok = True
            self._settings_stamp = stamp(self.paths.settings)
            self._settings_base = self.settings.to_data()
            self.problems.extend(problems)
        except SettingsError as exc:
            self.settings_ok = False
            self.problems.append(exc.problem)
            log.error("settings not loaded: %s", exc.problem)

    def save_settings(self) -> None:
        """Write settings.toml under the lock; values another process changed meanwhile
        are merged in first (``self.settings`` is updated in place)."""
        with self.transaction(settings=True, library=False):
            self._check_profile()
            with self.lock.hold():
                if stamp(self.paths.settings) != self._settings_stamp:
                    self._merge_settings()
                save_settings(self.paths.settings, self.settings)
                self._settings_stamp = stamp(self.paths.settings)
                self._settings_base = self.settings.to_data()

    def _check_profile(self) -> None:
        """Profile values go into every reply: no control or invisible characters."""
        from app.core.settings import MAX_PROFILE_FIELD
        from app.core.textcheck import text_problem

        prof = self.settings.profile
        values = [("agent_no", prof.agent_no), ("agent_name", prof.agent_name)]
        values += [("shops", s) for s in prof.shops]
        for key, value in values:
            reason = text_problem(value, MAX_PROFILE_FIELD, key=key)
            if reason:
                raise SettingsError(Problem(self.paths.settings.name, None, reason))

    def _merge_settings(self) -> bool:
        """Take in settings.toml as another process wrote it, keeping this process's own
        changes; True when the settings changed. Holds the lock (re-entrant)."""
        with self.lock.hold():
            try:
                theirs, _problems = read_settings(self.paths.settings)
            except SettingsError as exc:
                log.warning("settings.toml changed and cannot be read: %s", exc.problem)
                return False
            ours = self.settings.to_data()
            merged = merge_data(self._settings_base, ours, theirs.to_data())
            fresh, _ = from_dict_report(merged)
            self._settings_stamp = stamp(self.paths.settings)
            self._settings_base = theirs.to_data()
            if fresh.to_data() == ours:
                return False
            for f in dataclasses.fields(Settings):
                setattr(self.settings, f.name, getattr(fresh, f.name))
            return True

    def sync(self, timeout: float | None = None) -> set[str]:
        """Take in what other processes wrote to ``library/`` and settings.toml since this
        one last read or wrote them; returns which changed (``library``, ``settings``).

        ``timeout``: how long to wait for a writer (the app passes a short one and tries
        again later rather than freezing; BusyError when it is exceeded)."""
        changed: set[str] = set()
        with self.lock.hold(timeout):
            if self.settings_ok and stamp(self.paths.settings) != self._settings_stamp:
                subs_before = list(self.settings.subscriptions)
                if self._merge_settings():
                    changed.add("settings")
                    if self.settings.subscriptions != subs_before:
                        self._reload_subscriptions()
                        changed.add("library")
            if self.store.refresh(self.library):
                self.problems.extend(self.store.last_problems)
                changed.add("library")
        if "library" in changed:
            self.library_changed()
        return changed

    def _load_subscriptions(self) -> None:
        """Merge the subscriptions' last good copies into the library (no source I/O);
        the caller announces the change."""
        from app.core.subscription_copies import load_copies

        self.problems.extend(load_copies(self.paths, self.settings.subscriptions, self.library))

    def _reload_subscriptions(self) -> None:
        self.library.categories = [c for c in self.library.categories if not c.source]
        self.library.phrases = [p for p in self.library.phrases if not p.source]
        if self.settings.subscriptions:
            self._load_subscriptions()

    def delete_phrases(self, ids: Iterable[str]) -> list[Phrase]:
        """Delete phrases (backup first); returns what was removed."""
        ids = list(ids)
        for pid in ids:
            if self.library.phrase(pid) is None:
                raise LibraryError(Msg("library.no_phrase", id=pid))
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
        """The search index; built now, or waited for when :meth:`start_index_build` runs."""
        if self._index is None:
            built = self._finish_index_build()
            if built is None:
                from app.core.search import SearchIndex

                built = SearchIndex(self.library, self.pinyin, usage=self.usage.get)
            else:
                built.sync(self.library)  # what changed meanwhile (a new library: rebuilt)
            self._index = built
            self.pinyin.save()
        return self._index

    def start_index_build(self) -> None:
        """Build the search index in a worker thread: with a large library the pinyin of
        every title takes seconds (100k phrases, first start), which would block the event
        loop (and hotkeys) after ready. :attr:`index` waits for it if asked sooner."""
        if self._index is not None or self._index_build is not None:
            return
        from app.core.search import SearchIndex

        pinyin, library, usage = self.pinyin, self.library, self.usage.get
        out: list[SearchIndex] = []

        def build() -> None:
            try:
                index = SearchIndex(library, pinyin, usage=usage)
                # Saved here, not at quit: a session that ends without Quit (logging off,
                # a kill) must not make every later start import pypinyin (~58 MB) again.
                # Nothing else uses the pinyin until `index` has joined this thread.
                pinyin.save()
                out.append(index)
            except Exception:
                log.exception("building the search index failed; it is built on first use")

        thread = threading.Thread(target=build, name="huashu-index", daemon=True)
        self._index_build = (thread, out)
        thread.start()

    @property
    def index_ready(self) -> bool:
        """Whether :attr:`index` answers without building or waiting (a build that
        failed is not ready: the index is then built on first use)."""
        if self._index is not None:
            return True
        if self._index_build is None:
            return False
        thread, out = self._index_build
        return not thread.is_alive() and bool(out)

    def _finish_index_build(self) -> SearchIndex | None:
        if self._index_build is None:
            return None
        thread, out = self._index_build
        self._index_build = None
        thread.join()
        return out[0] if out else None

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        return self.index.search(query, limit)

    # -- suggestions (imported and built on first use, never at start-up) ------------------
    def _suggest_builder(self) -> SuggesterBuilder:
        if self._suggester is None:
            from app.core.suggest import Suggester
            from app.core.suggest_build import SuggesterBuilder
            from app.core.suggest_store import SqliteLearnStore

            store = self._learn_store = SqliteLearnStore(self.paths.home / "suggest.sqlite3")
            usage = self.usage.get
            self._suggester = SuggesterBuilder(
                lambda library: Suggester(library, store, usage=usage),
                store,
                on_ready=self._suggest_ready,
            )
            self._suggester.request(self.library, background=self._suggest_background)
        return self._suggester

    def prepare_suggestions(
        self, on_ready: Callable[[], None] | None = None, *, now: bool = False
    ) -> None:
        """From now on build the suggestion ranker on a worker thread (the GUI calls this):
        :meth:`suggest` never waits; before the first ranker is built its result is
        empty and ``preparing``, and later rebuilds answer from the previous ranker until
        the new one is swapped in. ``on_ready`` is called on the worker thread after each
        swap. The first build starts on first use, or ``now``."""
        self._suggest_background = True
        self._suggest_ready = on_ready
        if self._suggester is not None:
            self._suggester.on_ready = on_ready
        if now:
            self._suggest_builder()

    @property
    def suggestions_ready(self) -> bool:
        """Whether :meth:`suggest` answers from a built ranker (after a library change, the
        previous one answers until the next one is swapped in)."""
        return self._suggester is not None and self._suggester.current is not None

    @property
    def suggester(self) -> Suggester:
        """The ranker of the current library (waits for its build)."""
        return self._suggest_builder().wait()

    def suggest(self, message: str, limit: int = 5) -> SuggestResult:
        """Phrases that answer a customer's ``message`` (empty when nothing fits). After
        :meth:`prepare_suggestions` it never waits for a build: before the first ranker is
        built the result is empty and ``preparing``."""
        builder = self._suggest_builder()
        if self._suggest_background:
            current = builder.current
            if current is None:
                from app.core.suggest import SuggestResult

                return SuggestResult(message, preparing=True)
            return current.suggest(message, limit)
        return builder.wait().suggest(message, limit)

    def learn(self, message: str, phrase_id: str) -> bool:
        """The agent answered ``message`` with ``phrase_id``: teach the ranker."""
        return self._suggest_builder().learn(message, phrase_id)

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
            raise LibraryError(Msg("library.no_phrase", id=phrase_id))
        return render(phrase.body, self.context(clipboard), values or {})

    def empty_profile_values(self, phrase: Phrase) -> list[str]:
        """Placeholders of ``phrase`` (``{工号}``, ``{客服}``, ``{店铺}``) whose profile
        value is empty: the reply would read "我是号客服"."""
        from app.core.template import PROFILE_LABELS, profile_placeholders

        prof = self.settings.profile
        values = {"agent_no": prof.agent_no, "agent_name": prof.agent_name, "shop": prof.shop}
        return [PROFILE_LABELS[a] for a in profile_placeholders(phrase.body) if not values.get(a)]

    def find(self, key: str) -> Phrase | None:
        """A phrase by id, or else by its code."""
        p = self.library.phrase(key)
        if p is not None:
            return p
        by_code = self.library.by_code(key)
        return by_code[0] if by_code else None

    def record_use(self, phrase_id: str) -> str | None:
        """Count a use. Best-effort: a failing disk never stops a reply; the first failure
        returns a warning (later ones None), the count is kept in memory."""
        try:
            self.usage.record(phrase_id)
        except UsageError as exc:
            log.warning("%s", exc)
            first = self.usage_warning is None
            self.usage_warning = str(exc)
            return str(exc) if first else None
        finally:
            if self._index is not None:
                self._index.refresh_usage(phrase_id)
        return None

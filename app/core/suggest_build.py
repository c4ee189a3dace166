"""Build the suggestion ranker off the caller's thread.

Indexing 10k phrases takes about two seconds: the GUI must not wait for it in a hotkey. A
:class:`SuggesterBuilder` builds each :class:`~app.core.suggest.Suggester` on a worker thread
(stdlib ``threading``; no Qt here) and swaps it in when it is done:

- :meth:`~SuggesterBuilder.request` starts a build of a library (a newer request replaces an
  older one still running: its result is thrown away);
- :attr:`~SuggesterBuilder.current` is the last finished ranker (``None`` before the first),
  which keeps answering while the next one builds;
- :meth:`~SuggesterBuilder.wait` blocks until the latest request is built (the command line,
  and callers that must not answer from an older library);
- ``on_ready`` is called (on the worker thread) each time a new ranker is swapped in;
- :meth:`~SuggesterBuilder.learn` stores a choice at once and indexes it in the current ranker
  and in the one being built, so nothing learned is lost to a swap.

Building holds the GIL for most of its time, so the GUI thread still runs (Python switches
threads every few milliseconds), only slower, while a build is under way.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from app.core.model import Library
from app.core.suggest import Learned, LearnStore, Suggester

log = logging.getLogger(__name__)

Build = Callable[[Library], Suggester]


class SuggesterBuilder:
    """The current suggestion ranker, and the build of the next one on a worker thread."""

    def __init__(
        self,
        build: Build,
        store: LearnStore | None = None,
        *,
        on_ready: Callable[[], None] | None = None,
    ) -> None:
        self._build = build
        self._store = store
        self.on_ready = on_ready  # called on the worker thread after each swap
        self._lock = threading.Lock()
        self._current: Suggester | None = None
        self._generation = 0  # of the latest request
        self._built = 0  # generation of the current ranker
        self._done = threading.Condition(self._lock)
        self._pending: list[Learned] = []  # learned while a build runs, for its result
        self._error: Exception | None = None
        self._closed = False

    @property
    def current(self) -> Suggester | None:
        """The last ranker built (maybe of an older library), or None before the first."""
        return self._current

    @property
    def ready(self) -> bool:
        """True when the latest requested library is built."""
        return self._current is not None and self._built == self._generation

    @property
    def building(self) -> bool:
        return self._built != self._generation

    def request(self, library: Library, *, background: bool = True) -> None:
        """Build a ranker of ``library`` (a snapshot of its phrase list is taken now); on a
        worker thread unless ``background`` is False."""
        snapshot = Library(list(library.categories), list(library.phrases))
        with self._lock:
            self._generation += 1
            generation = self._generation
        if background:
            worker = threading.Thread(
                target=self._run, args=(snapshot, generation), name="suggest-build", daemon=True
            )
            worker.start()
        else:
            self._run(snapshot, generation)

    def _run(self, library: Library, generation: int) -> None:
        try:
            suggester = self._build(library)
        except Exception as exc:  # handed to the waiter, logged here
            if self._closed:  # the learning store was closed under it: quitting
                log.debug("a suggestion build was cut short by closing", exc_info=True)
            else:
                log.exception("could not build the suggestion ranker")
            with self._lock:
                if generation == self._generation:
                    self._error = exc
                    self._built = generation
                    self._done.notify_all()
            return
        with self._lock:
            if generation != self._generation:
                return  # a newer request is under way: this one is out of date
            for item in self._pending:  # learned while it was built
                suggester.index_learned(item)
            self._pending = []
            self._current = suggester
            self._error = None
            self._built = generation
            self._done.notify_all()
        on_ready = self.on_ready
        if on_ready is not None and not self._closed:
            on_ready()

    def close(self) -> None:
        """The app quits: a build still under way ends unseen (``on_ready`` is not called,
        and an error from the closed learning store is not reported)."""
        self._closed = True
        self.on_ready = None

    def wait(self, timeout: float | None = None) -> Suggester:
        """The ranker of the latest requested library, once built. Raises the build's error,
        or TimeoutError after ``timeout`` seconds; requests a build when none was."""
        if self._generation == 0:
            raise LookupError("no library was requested")
        with self._lock:
            if not self._done.wait_for(lambda: self._built == self._generation, timeout):
                raise TimeoutError("the suggestion ranker is still being built")
            if self._error is not None:
                raise self._error
            assert self._current is not None
            return self._current

    def learn(self, message: str, phrase_id: str) -> bool:
        """The agent answered ``message`` with ``phrase_id``: store it and index it in the
        current ranker and in the one being built. False when there is nothing to learn."""
        current = self._current
        if current is not None:
            item = current.record(message, phrase_id)
            if item is None:
                return False
            current.index_learned(item)
        else:  # the first build runs: store it; the build or its pending list picks it up
            flat = " ".join(message.split())
            if self._store is None or not flat:
                return False
            item = self._store.add(phrase_id, flat)
        with self._lock:
            if self.building:
                self._pending.append(item)
            elif self._current is not current and self._current is not None:
                self._current.index_learned(item)  # swapped in meanwhile
        return True

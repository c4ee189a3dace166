"""Building the suggestion ranker off the caller's thread (app/core/suggest_build.py) and the
workspace's non-blocking suggestions."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app.core.fsutil import Paths
from app.core.model import Category, Library, Phrase
from app.core.suggest import Learned, Suggester
from app.core.suggest_build import SuggesterBuilder
from app.core.suggest_store import MemoryLearnStore
from app.core.workspace import Workspace

WAIT = 60.0  # generous: the machine may be loaded; nothing here waits this long when green


def _lib(*ids: str) -> Library:
    phrases = {
        "ship": Phrase("ship", "发货时间", "付款后48小时内发货。", "c", examples=["什么时候发货"]),
        "refund": Phrase("refund", "退款到账", "退款原路退回。", "c", examples=["钱还没退"]),
    }
    return Library([Category("c", "分类")], [phrases[i] for i in ids])


class Gate:
    """A build function that waits for :meth:`open` (to see what happens meanwhile)."""

    def __init__(self, store: MemoryLearnStore | None = None) -> None:
        self.store = store
        self.started = threading.Event()
        self.gates: list[threading.Event] = []
        self.built: list[list[str]] = []
        self.categories: list[list[str]] = []
        self.threads: list[tuple[str, bool]] = []

    def __call__(self, library: Library) -> Suggester:
        gate = threading.Event()
        self.gates.append(gate)
        me = threading.current_thread()
        self.threads.append((me.name, me.daemon))
        self.categories.append([c.id for c in library.categories])
        self.started.set()
        assert gate.wait(WAIT)
        self.built.append([p.id for p in library.phrases])
        return Suggester(library, self.store)


def _top(s: Suggester, message: str) -> str:
    got = s.suggest(message).suggestions
    return got[0].phrase.id if got else ""


def test_nothing_requested_is_not_ready() -> None:
    b = SuggesterBuilder(Suggester)
    assert b.current is None and not b.ready and not b.building
    with pytest.raises(LookupError, match=r"^no library was requested$"):
        b.wait(0)


def test_a_build_in_the_foreground_is_ready_at_once() -> None:
    calls: list[list[str]] = []

    def build(library: Library) -> Suggester:
        calls.append([p.id for p in library.phrases])
        return Suggester(library)

    ready: list[int] = []
    b = SuggesterBuilder(build, on_ready=lambda: ready.append(1))
    b.request(_lib("ship"), background=False)
    assert b.ready and not b.building and calls == [["ship"]] and ready == [1]
    assert b.current is b.wait(0)
    assert _top(b.wait(0), "什么时候发货") == "ship"


def test_a_background_build_swaps_in_when_done() -> None:
    gate = Gate()
    ready = threading.Event()
    b = SuggesterBuilder(gate, on_ready=ready.set)
    lib = _lib("ship")
    b.request(lib)
    assert gate.started.wait(WAIT)
    assert b.building and not b.ready and b.current is None
    with pytest.raises(TimeoutError, match=r"^the suggestion ranker is still being built$"):
        b.wait(0.01)
    lib.phrases.append(_lib("refund").phrases[0])  # the build works on a snapshot
    gate.gates[0].set()
    s = b.wait(WAIT)
    assert ready.wait(WAIT)
    assert b.ready and not b.building and b.current is s
    assert gate.built == [["ship"]] and gate.categories == [["c"]]
    assert gate.threads == [("suggest-build", True)]  # a daemon: never holds up the exit


def test_the_previous_ranker_answers_while_the_next_one_builds() -> None:
    gate = Gate()
    b = SuggesterBuilder(gate)
    gate.started.clear()
    b.request(_lib("ship"))
    assert gate.started.wait(WAIT)
    gate.gates[0].set()
    first = b.wait(WAIT)
    gate.started.clear()
    b.request(_lib("ship", "refund"))
    assert gate.started.wait(WAIT)
    assert b.current is first and not b.ready and b.building
    gate.gates[1].set()
    second = b.wait(WAIT)
    assert second is not first and b.current is second and b.ready
    assert _top(second, "钱还没退") == "refund"


def test_an_outdated_build_is_thrown_away() -> None:
    gate = Gate()
    ready: list[int] = []
    reported = threading.Event()

    def on_ready() -> None:
        ready.append(1)
        reported.set()

    b = SuggesterBuilder(gate, on_ready=on_ready)
    b.request(_lib("ship"))
    assert gate.started.wait(WAIT)
    gate.started.clear()
    b.request(_lib("ship", "refund"))
    assert gate.started.wait(WAIT)
    gate.gates[0].set()  # the older build ends first ...
    gate.gates[1].set()
    s = b.wait(WAIT)
    assert [p.id for p in s._phrases] == ["ship", "refund"]  # ... but the newer one counts
    assert reported.wait(WAIT)  # on_ready runs after the waiter is woken
    assert b.current is s and ready == [1]


def test_a_failed_build_raises_in_the_waiter(caplog: pytest.LogCaptureFixture) -> None:
    def broken(library: Library) -> Suggester:
        raise ValueError("bad library")

    b = SuggesterBuilder(broken)
    b.request(_lib("ship"), background=False)
    with pytest.raises(ValueError, match="bad library"):
        b.wait(0)
    assert b.current is None and not b.building
    assert [r.getMessage() for r in caplog.records] == ["could not build the suggestion ranker"]


def test_a_failed_outdated_build_does_not_count() -> None:
    gate = Gate()

    def build(library: Library) -> Suggester:
        if library.phrases[0].id == "ship":
            raise ValueError("first")
        return gate(library)

    b = SuggesterBuilder(build)
    lock_step = threading.Event()
    original = b._run

    def run(library: Library, generation: int) -> None:
        if generation == 1:
            assert lock_step.wait(WAIT)  # fail only once the second request is made
        original(library, generation)

    b._run = run  # type: ignore[method-assign]
    b.request(_lib("ship"))
    b.request(_lib("refund"))
    lock_step.set()
    assert gate.started.wait(WAIT)
    gate.gates[0].set()
    assert [p.id for p in b.wait(WAIT)._phrases] == ["refund"]


def test_a_good_build_after_a_failed_one_clears_the_error() -> None:
    fails = [True]

    def build(library: Library) -> Suggester:
        if fails.pop():
            raise ValueError("once")
        return Suggester(library)

    fails.insert(0, False)
    b = SuggesterBuilder(build)
    b.request(_lib("ship"), background=False)
    with pytest.raises(ValueError):
        b.wait(0)
    b.request(_lib("ship"), background=False)
    assert _top(b.wait(0), "什么时候发货") == "ship"


def test_learning_with_a_ready_ranker_goes_to_it() -> None:
    store = MemoryLearnStore()
    b = SuggesterBuilder(lambda lib: Suggester(lib, store), store)
    b.request(_lib("ship", "refund"), background=False)
    assert b.learn("快递能放驿站吗", "ship")
    assert store.load() == [Learned("ship", "快递能放驿站吗", 1)]
    assert _top(b.wait(0), "快递放驿站") == "ship"
    assert not b.learn("快递能放驿站吗", "no-such-phrase")
    assert not b.learn("  ", "ship")
    assert len(store.load()) == 1


def test_learning_while_a_rebuild_runs_reaches_the_new_ranker() -> None:
    gate = Gate(MemoryLearnStore())
    b = SuggesterBuilder(gate, gate.store)
    b.request(_lib("ship", "refund"))
    assert gate.started.wait(WAIT)
    gate.gates[0].set()
    old = b.wait(WAIT)
    gate.started.clear()
    b.request(_lib("ship", "refund"))
    assert gate.started.wait(WAIT)
    # the new ranker read the store already? it does so in Suggester(), after the gate
    assert b.learn("快递能放驿站吗", "ship")
    assert _top(old, "快递放驿站") == "ship"  # the current one learned at once
    assert b._pending == [Learned("ship", "快递能放驿站吗", 1)]
    gate.gates[1].set()
    new = b.wait(WAIT)
    assert new is not old and _top(new, "快递放驿站") == "ship"
    assert new._learned == {("ship", "快递能放驿站吗"): 1}  # not counted twice


def test_learning_before_the_first_build_is_stored_and_replayed() -> None:
    store = MemoryLearnStore()
    built = threading.Event()
    gate = threading.Event()

    def build(library: Library) -> Suggester:
        s = Suggester(library)  # without the store: only the replay can teach it
        built.set()
        assert gate.wait(WAIT)
        return s

    b = SuggesterBuilder(build, store)
    b.request(_lib("ship", "refund"))
    assert built.wait(WAIT)
    assert b.learn(" 快递能放驿站吗 ", "ship")
    assert store.load() == [Learned("ship", "快递能放驿站吗", 1)]
    gate.set()
    assert _top(b.wait(WAIT), "快递放驿站") == "ship"


def test_learning_before_any_ranker_needs_a_store_and_words() -> None:
    b = SuggesterBuilder(Suggester)
    assert not b.learn("快递能放驿站吗", "ship")  # no store, no ranker: nowhere to keep it
    store = MemoryLearnStore()
    b = SuggesterBuilder(Suggester, store)
    assert not b.learn("   ", "ship")
    assert store.load() == []
    assert b.learn(" 快递  能放驿站吗 ", "ship")  # kept for the first build to read
    assert store.load() == [Learned("ship", "快递 能放驿站吗", 1)]
    assert b._pending == []  # no build runs: nothing to replay into


def test_learning_reaches_a_ranker_swapped_in_meanwhile() -> None:
    store = MemoryLearnStore()
    b = SuggesterBuilder(lambda lib: Suggester(lib), store)
    b.request(_lib("ship"), background=False)
    old = b.wait(0)
    record = old.record

    def swap_then_record(message: str, phrase_id: str) -> Learned | None:
        b.request(_lib("ship"), background=False)  # a new ranker arrives mid-learn
        return record(message, phrase_id)

    old.record = swap_then_record  # type: ignore[method-assign]
    assert b.learn("快递能放驿站吗", "ship")
    new = b.wait(0)
    assert new is not old and _top(new, "快递放驿站") == "ship"


# -- the workspace ------------------------------------------------------------------------
@pytest.fixture
def ws(huashu_home: Path) -> Workspace:
    w = Workspace.open(Paths.default())
    yield w  # type: ignore[misc]
    w.close()


def test_workspace_waits_for_the_ranker_by_default(ws: Workspace) -> None:
    assert not ws.suggestions_ready
    result = ws.suggest("亲，什么时候发货啊")
    assert not result.preparing and result.suggestions
    assert ws.suggestions_ready


def test_workspace_answers_preparing_until_the_ranker_is_built(ws: Workspace) -> None:
    ready = threading.Event()
    ws.prepare_suggestions(ready.set)
    assert ws._suggester is None  # nothing is built before first use ...
    first = ws.suggest("亲，什么时候发货啊")
    assert ws._suggester is not None  # ... which starts the build
    assert ready.wait(WAIT)
    assert ws.suggestions_ready
    if first.preparing:
        assert first.suggestions == [] and first.nothing_fits
    result = ws.suggest("亲，什么时候发货啊")
    assert not result.preparing
    assert result.suggestions[0].phrase.id == "logistics-ship-time"
    assert ws.learn("快递能放驿站吗", "logistics-courier")
    assert ws.suggester is ws._suggester.current


def test_workspace_preparing_result_before_the_build_is_done(ws: Workspace) -> None:
    gate = threading.Event()
    ws.prepare_suggestions()
    builder = ws._suggest_builder()
    assert builder.wait(WAIT)
    original = builder._build

    def slow(library: Library) -> Suggester:
        assert gate.wait(WAIT)
        return original(library)

    builder._build = slow  # type: ignore[method-assign]
    builder._current = None  # as before the first build
    ws.library_changed()
    result = ws.suggest("什么时候发货")
    assert result.preparing and result.suggestions == [] and not ws.suggestions_ready
    gate.set()
    assert builder.wait(WAIT) and ws.suggestions_ready
    assert ws.suggest("什么时候发货").suggestions


def test_workspace_prepare_now_and_a_late_callback(ws: Workspace) -> None:
    ws.suggest("什么时候发货")  # built in the foreground first
    ready = threading.Event()
    ws.prepare_suggestions(ready.set, now=True)
    assert ws._suggester is not None and ws._suggester.on_ready is not None
    ws.library_changed()  # rebuilt in the background now, and reported
    assert ready.wait(WAIT)


def test_workspace_prepare_now_builds_at_once(ws: Workspace) -> None:
    ready = threading.Event()
    ws.prepare_suggestions(ready.set, now=True)
    assert ws._suggester is not None
    assert ready.wait(WAIT) and ws.suggestions_ready


def test_workspace_stays_ready_while_a_rebuild_runs(ws: Workspace) -> None:
    gate = threading.Event()
    ws.prepare_suggestions()
    builder = ws._suggest_builder()
    first = builder.wait(WAIT)
    original = builder._build

    def slow(library: Library) -> Suggester:
        assert gate.wait(WAIT)
        return original(library)

    builder._build = slow  # type: ignore[method-assign]
    ws.library_changed()
    assert builder.building and ws.suggestions_ready  # the previous ranker answers
    result = ws.suggest("什么时候发货")
    assert not result.preparing and result.suggestions
    assert builder.current is first
    gate.set()
    assert builder.wait(WAIT) is not first


def test_after_close_a_finished_build_calls_nobody() -> None:
    calls: list[int] = []
    gate = Gate()
    b = SuggesterBuilder(gate, on_ready=lambda: calls.append(1))
    b.request(_lib("ship"))
    assert gate.started.wait(WAIT)
    b.close()
    assert b.on_ready is None
    gate.gates[0].set()
    assert b.wait(WAIT) is b.current  # the build itself still ends normally
    assert calls == []


def test_a_build_cut_short_by_closing_is_not_reported_as_an_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    started, release = threading.Event(), threading.Event()

    def build(library: Library) -> Suggester:
        started.set()
        assert release.wait(WAIT)
        raise RuntimeError("Cannot operate on a closed database.")

    b = SuggesterBuilder(build)
    with caplog.at_level("DEBUG", logger="app.core.suggest_build"):
        b.request(_lib("ship"))
        assert started.wait(WAIT)
        b.close()
        release.set()
        with pytest.raises(RuntimeError, match="closed database"):
            b.wait(WAIT)
    assert [(r.levelname, r.message) for r in caplog.records] == [
        ("DEBUG", "a suggestion build was cut short by closing")
    ]
    exc_info = caplog.records[0].exc_info
    assert exc_info is not None and "closed database" in str(exc_info[1])  # for the log file


def test_closing_the_workspace_closes_the_builder(tmp_path: Path) -> None:
    ws = Workspace.open(Paths(tmp_path))
    ws.prepare_suggestions(lambda: None, now=True)
    builder = ws._suggester
    assert builder is not None and builder.on_ready is not None
    ws.close()
    assert builder.on_ready is None

"""Test-wide fixtures: every test gets its own HUASHU_HOME; Qt runs offscreen.

Platform: tests marked ``linux_only`` are skipped on Windows and ``windows_only`` ones
elsewhere (markers registered in pyproject.toml); nothing else is skipped by platform.
On Windows no test may install the real keyboard hook or send real keys unless it is an
end-to-end test owning its target window (marker ``e2e``, or under ``tests/e2e_win``):
:func:`no_real_input` fails every other test that tries.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from app.ui.qtcompat import keep_none_alive

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
keep_none_alive()  # as the app does: PySide6's void calls drop references to None
if sys.platform == "win32" and os.environ["QT_QPA_PLATFORM"] == "offscreen":
    # Offscreen Qt on Windows reads font files from a directory (it warns, failing the
    # test, when there is none): Windows' own. Wine's is empty; the lane sets another.
    windir = os.environ.get("WINDIR", r"C:\Windows")
    os.environ.setdefault("QT_QPA_FONTDIR", os.path.join(windir, "Fonts"))

# Property tests check behaviour, not speed: a loaded 2-core CI machine (or Wine) can take
# far longer than Hypothesis's default 200 ms per example. Speed lives in tests/bench.
settings.register_profile("huashu", deadline=None, print_blob=True)
# Mutation testing (tests/mutation/run.py) runs the tests once per mutant: it sets
# HUASHU_HYPOTHESIS=mutation for fewer, reproducible examples. Tests that want more examples
# than the default ask for a multiple of ``settings.default.max_examples``, so they shrink too.
settings.register_profile(
    "mutation", parent=settings.get_profile("huashu"), max_examples=10, derandomize=True
)
MUTATION_RUN = os.environ.get("HUASHU_HYPOTHESIS") == "mutation"
settings.load_profile("mutation" if MUTATION_RUN else "huashu")


@pytest.fixture(autouse=True)
def huashu_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HUASHU_HOME at a fresh temp dir so no test touches a real profile."""
    home = tmp_path / "huashu-home"
    monkeypatch.setenv("HUASHU_HOME", str(home))
    return home


def owns_real_input(item: pytest.Item) -> bool:
    """End-to-end tests own their target window and may press real keys."""
    return item.get_closest_marker("e2e") is not None or "e2e_win" in item.path.parts


def real_input_guards(
    keyboard_os: Any, win32api: Any, used: list[str]
) -> list[tuple[Any, str, Any]]:
    """``(owner, name, replacement)`` for every call that hooks or sends real input."""

    def guard(name: str) -> Any:
        def refuse(*args: Any, **kwargs: Any) -> Any:
            used.append(name)
            raise RuntimeError(f"test used the real {name}: use a fake (tests/conftest.py)")

        return refuse

    guards = [
        (keyboard_os, name, guard(f"keyboard {name}"))
        for name in ("init", "listen", "prepare_intercept", "press", "release", "type_unicode")
        if hasattr(keyboard_os, name)
    ]
    guards.append((win32api._bound, "SendInput", guard("SendInput")))
    return guards


@pytest.fixture(autouse=True)
def no_real_input(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """On Windows: fail a test that installs the real keyboard hook or sends real keys.

    ``keyboard`` installs a system-wide low-level hook and ``SendInput`` types into
    whatever window has the focus. Fakes installed by a test's own fixtures (they run
    later) replace these guards as before. Yields the list of refused calls (None when
    not guarding).
    """
    if sys.platform != "win32" or owns_real_input(request.node):
        yield None
        return
    import keyboard

    from app.platform import win32api

    used: list[str] = []
    for owner, name, replacement in real_input_guards(keyboard._os_keyboard, win32api, used):
        if isinstance(owner, dict):
            monkeypatch.setitem(owner, name, replacement)
        else:
            monkeypatch.setattr(owner, name, replacement)
    yield used
    # also catches calls made on keyboard's own threads, where the error went unseen
    assert used == [], f"test used real input: {used}"


def _clear_core_caches() -> None:
    for name, module in list(sys.modules.items()):
        if name.startswith("app.core.") and module is not None:
            for value in list(vars(module).values()):
                if hasattr(value, "cache_info") and hasattr(value, "cache_clear"):
                    value.cache_clear()
    pinyin = sys.modules.get("app.core.pinyin")
    if pinyin is not None:  # its converter remembers runs, its table every heteronym
        pinyin._converter = None
        pinyin._HETERONYMS.clear()


if MUTATION_RUN:
    # mutmut runs each mutant in a process forked after the clean run, so a cache (the
    # template parser's, the default word list) would answer with what the unmutated code
    # computed and hide the mutant; and mutmut runs for a mutant only the tests that called
    # the mutated function in its clean run, which a cache hit does not. So the functools
    # caches of app.core are emptied before the session (before module-scoped fixtures)
    # and before each test.

    @pytest.fixture(autouse=True, scope="session")
    def fresh_core_caches_per_session() -> None:
        _clear_core_caches()

    @pytest.fixture(autouse=True)
    def fresh_core_caches(fresh_core_caches_per_session: None) -> None:
        _clear_core_caches()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip by platform, and only what is marked: ``linux_only`` and ``windows_only``."""
    for item in items:
        if "e2e" in item.path.parts:  # tests/e2e drives an X server (Xvfb, xdotool)
            item.add_marker(pytest.mark.linux_only("X server end-to-end suite (tests/e2e)"))
        linux_only = item.get_closest_marker("linux_only")
        windows_only = item.get_closest_marker("windows_only")
        if sys.platform == "win32" and linux_only:
            why = linux_only.args[0] if linux_only.args else "X11, /dev/input or POSIX"
            item.add_marker(pytest.mark.skip(reason=f"Linux only: {why}"))
        elif sys.platform != "win32" and windows_only:
            why = windows_only.args[0] if windows_only.args else "Win32 API"
            item.add_marker(pytest.mark.skip(reason=f"Windows only ({why}): the Wine lane runs it"))


_exit_status = 0


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    global _exit_status
    _exit_status = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End the process with pytest's status once everything is reported.

    With PySide6 6.12 a long random-order run can crash in the interpreter's own
    finalization (SIGSEGV after "N passed": Qt objects destroyed after the QApplication).
    That is after every test and report, so it only ever turns a green run red; skipping
    the interpreter's teardown keeps the exit status pytest decided.
    """
    if (
        "PySide6.QtCore" not in sys.modules
        or MUTATION_RUN  # mutmut runs pytest inside its own process
        or os.environ.get("HUASHU_PYTEST_FINALIZE")
    ):
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_exit_status)

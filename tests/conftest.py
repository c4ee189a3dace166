"""Test-wide fixtures: every test gets its own HUASHU_HOME; Qt runs offscreen."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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


def _clear_core_caches() -> None:
    for name, module in list(sys.modules.items()):
        if name.startswith("app.core.") and module is not None:
            for value in list(vars(module).values()):
                if hasattr(value, "cache_info") and hasattr(value, "cache_clear"):
                    value.cache_clear()


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
        if sys.platform == "win32" and item.get_closest_marker("linux_only"):
            item.add_marker(pytest.mark.skip(reason="Linux only (X11, /dev/input or POSIX)"))
        elif sys.platform != "win32" and item.get_closest_marker("windows_only"):
            item.add_marker(pytest.mark.skip(reason="Windows only (runs in the Wine lane)"))

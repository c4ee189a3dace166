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
settings.load_profile("huashu")


@pytest.fixture(autouse=True)
def huashu_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HUASHU_HOME at a fresh temp dir so no test touches a real profile."""
    home = tmp_path / "huashu-home"
    monkeypatch.setenv("HUASHU_HOME", str(home))
    return home


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip by platform, and only what is marked: ``linux_only`` and ``windows_only``."""
    for item in items:
        if sys.platform == "win32" and item.get_closest_marker("linux_only"):
            item.add_marker(pytest.mark.skip(reason="Linux only (X11, /dev/input or POSIX)"))
        elif sys.platform != "win32" and item.get_closest_marker("windows_only"):
            item.add_marker(pytest.mark.skip(reason="Windows only (runs in the Wine lane)"))

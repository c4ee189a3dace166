"""The cycle collector during start-up: paused by the launcher, frozen and resumed once
the app is ready (app/launch.py, app.main.end_start_up_pause)."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator

import pytest

import app.main as app_main
from app import launch


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    frozen = gc.get_freeze_count()
    yield
    if gc.get_freeze_count() != frozen:
        gc.unfreeze()
    gc.enable()


def test_the_launcher_pauses_the_collector_before_the_app_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []

    def fake_run(argv: list[str]) -> int:
        seen.append(gc.isenabled())
        return 7

    monkeypatch.setattr(app_main, "run", fake_run)
    monkeypatch.setattr(sys, "argv", ["huashu"])
    assert launch.main() == 7
    assert seen == [False]


def test_the_command_line_keeps_the_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    import app.cli

    seen: list[bool] = []
    monkeypatch.setattr(app.cli, "main", lambda: seen.append(gc.isenabled()) or 0)
    monkeypatch.setattr(sys, "argv", ["huashu", "list"])
    assert launch.main() == 0
    assert seen == [True]


def test_once_ready_what_start_up_made_is_frozen_and_collection_resumes() -> None:
    gc.disable()
    before = gc.get_freeze_count()
    kept = [[i] for i in range(100)]  # start-up's objects
    assert app_main.end_start_up_pause()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(kept)


def test_a_collector_left_running_is_neither_frozen_nor_touched() -> None:
    before = gc.get_freeze_count()
    assert not app_main.end_start_up_pause()
    assert gc.isenabled()
    assert gc.get_freeze_count() == before

"""Fixtures for end-to-end tests on a real X server (see xenv.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from xenv import XServer, start_xserver, stop_all


@pytest.fixture(scope="session")
def xserver() -> Iterator[XServer]:
    server, procs = start_xserver()
    try:
        yield server
    finally:
        stop_all(procs)

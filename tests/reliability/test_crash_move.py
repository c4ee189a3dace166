"""Row 6 of issue 9: a move between top-level categories survives a crash."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, cli_env, report

HELPER = Path(__file__).with_name("move_helper.py")


@pytest.mark.linux_only("the fast crash helper forks")
def test_row6_200_kills_mid_move_lose_and_hide_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    out = subprocess.run(
        [sys.executable, str(HELPER), str(home), "200", "9"],
        env=cli_env(home),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=True,
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    report("row 6 (kill -9 mid-move)", figures["runs"], figures["lost"] + figures["hidden"])
    print(f"  runs that left two copies (one kept, warned): {figures['warned']}")
    assert figures["runs"] == 200
    assert figures["lost"] == 0
    assert figures["hidden"] == 0
    assert figures["doubled"] == 0

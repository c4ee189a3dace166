"""PySide6's void methods and references to None (app/ui/qtcompat.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.ui.qtcompat import EXTRA_NONE_REFS, keep_none_alive

ROOT = Path(__file__).resolve().parents[2]

MANY_VOID_CALLS = r"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from app.ui.qtcompat import keep_none_alive
if sys.argv[1] == "fixed":
    keep_none_alive()
from PySide6.QtWidgets import QApplication, QMenu
app = QApplication([])
menu = QMenu()
for _ in range(20_000):
    menu.setTitle("x")  # a void method
print("done", flush=True)
"""


def test_many_void_calls_do_not_abort_the_process() -> None:
    out = subprocess.run(
        [sys.executable, "-c", MANY_VOID_CALLS, "fixed"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "done"


def test_keep_none_alive_adds_references_once() -> None:
    # tests/conftest.py already ran it, as the app does at start-up
    assert keep_none_alive() is False
    if sys.version_info < (3, 12):
        assert sys.getrefcount(None) >= EXTRA_NONE_REFS

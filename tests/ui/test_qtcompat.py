"""PySide6's void methods and references to None (app/ui/qtcompat.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.ui.qtcompat import EXTRA_NONE_REFS, keep_none_alive, quick_feature_check

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


# -- quick_feature_check -------------------------------------------------------------------
def _plain_answer(module: object) -> bool:
    """PySide6's own question: does inspect.getsource(module) mention PySide6?"""
    import inspect

    try:
        return "PySide6" in inspect.getsource(module)  # type: ignore[arg-type]
    except (TypeError, OSError, SyntaxError):
        return False


def test_the_quick_check_answers_as_pyside_does(monkeypatch: pytest.MonkeyPatch) -> None:
    import shiboken6  # noqa: F401
    import shibokensupport.feature as feature  # type: ignore[import-not-found]

    import app.main  # modules with and without Qt
    import app.ui.tray  # noqa: F401

    monkeypatch.setattr(feature, "_mod_uses_pyside", _plain_answer)
    assert quick_feature_check()
    quick = feature._mod_uses_pyside
    assert quick is not _plain_answer
    assert not quick_feature_check()  # once is enough
    assert feature._mod_uses_pyside is quick
    modules = [m for name, m in sorted(sys.modules.items()) if m is not None]
    with_py = [m for m in modules if str(getattr(m, "__file__", "")).endswith(".py")]
    assert len(with_py) > 100
    answers = [quick(m) for m in modules]
    assert answers == [_plain_answer(m) for m in modules]
    assert quick(sys.modules["app.ui.tray"]) is True
    assert quick(sys.modules["app.core.model"]) is False
    assert quick(sys) is False  # built in: asked the original way


def test_an_unreadable_source_is_asked_the_original_way(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import types

    import shiboken6  # noqa: F401
    import shibokensupport.feature as feature  # type: ignore[import-not-found]

    asked: list[object] = []

    def original(module: object) -> bool:
        asked.append(module)
        return True

    monkeypatch.setattr(feature, "_mod_uses_pyside", original)
    assert quick_feature_check()
    gone = types.ModuleType("gone")
    gone.__file__ = str(tmp_path / "gone.py")  # no such file
    compiled = types.ModuleType("compiled")
    compiled.__file__ = str(tmp_path / "compiled.pyd")
    (tmp_path / "plain.py").write_text("from PySide6 import QtCore\n", "utf-8")
    plain = types.ModuleType("plain")
    plain.__file__ = str(tmp_path / "plain.py")
    assert feature._mod_uses_pyside(gone) is True
    assert feature._mod_uses_pyside(compiled) is True
    assert feature._mod_uses_pyside(plain) is True
    assert asked == [gone, compiled]


def test_without_pyside_hook_nothing_is_put_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "shibokensupport.feature", None)
    assert not quick_feature_check()

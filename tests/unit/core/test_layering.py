"""app/core must not import Qt or OS libraries (design.md 'Architecture')."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import app.core

FORBIDDEN = {"PySide6", "keyboard", "pyperclip", "Xlib", "pynput", "PyQt5", "PyQt6"}
FORBIDDEN_APP = {"app.platform", "app.ui", "app.main"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_sources_import_no_forbidden_module() -> None:
    core = Path(app.core.__file__).parent
    bad = []
    for path in sorted(core.rglob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            if top in FORBIDDEN or any(name.startswith(f) for f in FORBIDDEN_APP):
                bad.append(f"{path.name}: {name}")
    assert bad == []


def test_importing_all_of_core_loads_no_forbidden_module() -> None:
    core = Path(app.core.__file__).parent
    mods = [
        ".".join(("app", "core", *p.relative_to(core).with_suffix("").parts))
        for p in sorted(core.rglob("*.py"))
        if p.stem != "__init__"
    ]
    assert "app.core.packs.plan" in mods
    code = (
        "import importlib, sys\n"
        f"for m in {mods!r}: importlib.import_module(m)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {sorted(FORBIDDEN)!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.linux_only("import-linter is a developer tool of the Linux side")
def test_import_linter_contract_holds() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(lint)], capture_output=True, text=True, cwd=Path(__file__).parents[3])
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.linux_only("grimp comes with import-linter, a developer tool of the Linux side")
def test_core_has_no_import_cycles() -> None:
    """No strongly connected component of more than one module inside app.core (type-only
    imports included): the packs, the workspace and the subscriptions used to form one."""
    import grimp

    graph = grimp.build_graph("app", cache_dir=None)
    core = {m for m in graph.modules if m.startswith("app.core.")}
    cycles = [
        m
        for m in sorted(core)
        for n in graph.find_modules_directly_imported_by(m)
        if n in core and graph.chain_exists(imported=m, importer=n)
    ]
    assert cycles == []

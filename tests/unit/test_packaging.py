"""The Python distribution installs ONE import package (``app``) carrying its data.

The repository keeps ``phrases/`` and ``resources/`` beside ``app/``; pyproject.toml maps
them to ``app.phrases`` and ``app.resources``. Built once as a wheel, then installed into a
bare folder and used from outside the source tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath

import pytest

# Wheels are built on Linux; the Windows Python of the Wine lane has no pip.
pytestmark = pytest.mark.linux_only("wheels are built on Linux; the Windows Python has no pip")

ROOT = Path(__file__).parents[2]
# .winlane: the Wine lane's Windows Python and prefixes (hundreds of MB).
COPY_IGNORE = (
    ".git",
    ".venv",
    ".winlane",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    "docs",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Build from a copy: setuptools reuses an in-tree build/ folder, whose stale files
    # would end up in the wheel (and the test would litter the checkout).
    src = tmp_path_factory.mktemp("src") / "huashu"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(*COPY_IGNORE))
    out_dir = tmp_path_factory.mktemp("wheel")
    out = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out_dir), str(src)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    (whl,) = out_dir.glob("huashu-*.whl")
    return whl


def _names(wheel: Path) -> set[str]:
    return set(zipfile.ZipFile(wheel).namelist())


def test_wheel_has_exactly_one_top_level_package(wheel: Path) -> None:
    tops = {PurePosixPath(n).parts[0] for n in _names(wheel)}
    dist_info = {t for t in tops if t.endswith(".dist-info")}
    assert len(dist_info) == 1
    assert tops - dist_info == {"app"}
    (info,) = dist_info
    top_level = zipfile.ZipFile(wheel).read(f"{info}/top_level.txt").decode().split()
    assert top_level == ["app"]


def test_wheel_ships_every_subpackage_of_the_source_tree(wheel: Path) -> None:
    names = _names(wheel)
    source_packages = sorted(p.parent for p in (ROOT / "app").rglob("__init__.py"))
    assert len(source_packages) >= 5
    for pkg in source_packages:
        for module in pkg.glob("*.py"):
            rel = module.relative_to(ROOT).as_posix()
            assert rel in names, f"{rel} is missing: list its package in pyproject.toml"


def test_wheel_ships_packs_and_resources_inside_app(wheel: Path) -> None:
    names = _names(wheel)
    packs = {p.name for p in (ROOT / "phrases").glob("*.toml")}
    assert len(packs) == 5
    for name in packs:
        assert f"app/phrases/{name}" in names
    for needed in (
        "app/phrases/__init__.py",
        "app/resources/__init__.py",
        "app/resources/compliance.toml",
        "app/resources/translations/huashu_zh_CN.qm",
        "app/resources/icons/huashu.svg",
        "app/main.py",
        "app/core/workspace.py",
    ):
        assert needed in names, needed
    assert not [n for n in names if n.startswith(("tests/", "phrases/", "resources/"))]
    assert not [n for n in names if n.endswith(".ts")], "translation sources are not shipped"


def test_installed_wheel_finds_its_data_outside_the_source_tree(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    out = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "-t", str(target), str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    packages = [p.name for p in target.iterdir() if (p / "__init__.py").is_file()]
    assert packages == ["app"]
    probe = (
        "import app, importlib.resources as r\n"
        "from app.core.storage import load_builtin_packs\n"
        "from app.core.lint import _default_linter\n"
        "packs, problems = load_builtin_packs()\n"
        "print(app.__file__)\n"
        "print(len(packs), len(problems), len(_default_linter().rules) > 0)\n"
        "print(r.files('app.resources').joinpath('icons/huashu.svg').is_file())\n"
        "print(r.files('app.resources').joinpath('translations/huashu_zh_CN.qm').is_file())\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONNOUSERSITE": "1"}
    # PYTHONPATH comes before site-packages, where the development install points back
    # at the source tree; the first line printed proves which copy was used.
    run = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert Path(lines[0]).is_relative_to(target)
    assert lines[1:] == ["5 0 True", "True", "True"]

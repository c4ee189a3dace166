"""data_files: the shipped folders, from an installed package or from a bare checkout."""

from __future__ import annotations

import importlib.resources
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from app.core import datafiles
from app.core.datafiles import CHECKOUT, data_files

ROOT = Path(__file__).resolve().parents[3]


def test_checkout_is_the_repository_root() -> None:
    assert CHECKOUT == ROOT
    assert (CHECKOUT / "app" / "core" / "datafiles.py").is_file()


def _expected(name: str) -> str:
    if importlib.util.find_spec(f"app.{name}") is None:
        return str(ROOT / name)  # a bare checkout on sys.path (the Windows lane's PYTHONPATH)
    return str(importlib.resources.files(f"app.{name}"))


def test_installed_packages_are_used() -> None:
    phrases = data_files("phrases")
    assert str(phrases) == _expected("phrases")
    assert sorted(e.name for e in phrases.iterdir() if e.name.endswith(".toml")) == [
        "aftersales.toml",
        "bargaining.toml",
        "greeting.toml",
        "logistics.toml",
        "payment.toml",
    ]
    res = data_files("resources")
    assert str(res) == _expected("resources")
    assert res.joinpath("compliance.toml").is_file()


@pytest.mark.parametrize("name", ["", "app", "tests", "phrase", "Resources", "../phrases"])
def test_only_the_shipped_folders(name: str) -> None:
    with pytest.raises(ValueError, match="unknown data folder"):
        data_files(name)


def test_falls_back_to_the_checkout_when_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def missing(package: str) -> object:
        asked.append(package)
        raise ModuleNotFoundError(package)

    monkeypatch.setattr(datafiles.importlib.resources, "files", missing)
    assert data_files("phrases") == ROOT / "phrases"
    assert data_files("resources") == ROOT / "resources"
    assert asked == ["app.phrases", "app.resources"]


def test_bare_checkout_on_sys_path_reads_the_folders(tmp_path: Path) -> None:
    # -S: no site-packages, so no development install: only the checkout on sys.path.
    probe = (
        "import sys, importlib.util\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from app.core.datafiles import data_files\n"
        "print(importlib.util.find_spec('app.phrases') is None)\n"
        "print(data_files('phrases'))\n"
        "print(data_files('resources').joinpath('icons/huashu.svg').is_file())\n"
    )
    run = subprocess.run(
        [sys.executable, "-S", "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["True", str(ROOT / "phrases"), "True"]

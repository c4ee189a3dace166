"""The data Huashu ships: built-in phrase packs and resources (word list, icon, translations).

Installed (wheel, ``pip install .``, ``pip install -e .``, the frozen Windows build) they
are the subpackages ``app.phrases`` and ``app.resources`` (pyproject.toml maps the
repository's ``phrases/`` and ``resources/`` folders there, so the distribution has ONE
top-level import package). A source checkout that is only on ``sys.path`` (not installed,
e.g. the Windows lane's ``PYTHONPATH``) has no ``app.phrases``; then the folders beside
``app/`` are read directly.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

CHECKOUT = Path(__file__).resolve().parents[2]
DATA_PACKAGES = ("phrases", "resources")


def data_files(name: str) -> Traversable:
    """The shipped folder ``name`` (``phrases`` or ``resources``), installed or not."""
    if name not in DATA_PACKAGES:
        raise ValueError(f"unknown data folder {name!r}")
    try:
        return importlib.resources.files(f"app.{name}")
    except ModuleNotFoundError:
        return CHECKOUT / name

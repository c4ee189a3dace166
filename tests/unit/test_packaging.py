"""A non-editable install must carry the built-in packs and resources (the wheel)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


@pytest.mark.linux_only("wheels are built on Linux; the Windows Python has no pip")
def test_wheel_ships_phrases_and_resources(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    (wheel,) = tmp_path.glob("huashu-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    packs = {p.name for p in (ROOT / "phrases").glob("*.toml")}
    assert len(packs) == 5
    for name in packs:
        assert f"phrases/{name}" in names
    for needed in (
        "resources/compliance.toml",
        "resources/translations/huashu_zh_CN.qm",
        "resources/icons/huashu.svg",
        "app/main.py",
        "app/core/workspace.py",
    ):
        assert needed in names, needed
    assert not [n for n in names if n.startswith("tests/")]

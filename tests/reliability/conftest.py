"""Helpers of the reliability suite: real processes (the ``huashu`` command line), real
files, real kills. Each test prints its figures (runs, phrases lost) for the record."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import tomli_w

ROOT = Path(__file__).resolve().parents[2]


def cli_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["HUASHU_HOME"] = str(home)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def start_cli(home: Path, *args: str, **kw: object) -> subprocess.Popen[str]:
    """``huashu ARGS`` in its own process (``python -m app``)."""
    return subprocess.Popen(
        [sys.executable, "-m", "app", *args],
        env=cli_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        **kw,  # type: ignore[arg-type]
    )


def run_cli(home: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        env=cli_env(home),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )


def write_pack(path: Path, prefix: str, n: int, category: str = "team") -> set[str]:
    """A Huashu pack of ``n`` phrases with ids ``<prefix>-<i>``; returns the ids."""
    data = {
        "pack": {"format": 1, "name": f"pack {prefix}"},
        "categories": [{"id": category, "name": f"团队{category}"}],
        "phrases": [
            {
                "id": f"{prefix}-{i}",
                "title": f"{prefix} 标题 {i}",
                "body": f"{prefix} 您好,这是第 {i} 条话术。",
                "category": category,
            }
            for i in range(n)
        ],
    }
    path.write_text(tomli_w.dumps(data), "utf-8")
    return {f"{prefix}-{i}" for i in range(n)}


def report(scenario: str, runs: int, lost: int) -> None:
    print(f"\nreliability {scenario}: {runs} runs, {lost} phrases/values lost")

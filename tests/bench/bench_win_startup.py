"""Start-up to ready of the frozen Huashu.exe beside a bare frozen PySide6 tray, under Wine.

    bash packaging/build-windows.sh          # dist/Huashu/Huashu.exe
    .venv/bin/python tests/bench/bench_win_startup.py [RUNS]

The bare tray is tests/bench/baseline_tray.py (QApplication + QSystemTrayIcon + menu,
prints "ready"), frozen the same way as Huashu.exe (PyInstaller one-folder, windowed) into
build/windows/baretray/ on first use. Both run in one fresh Wine prefix on one Xvfb
display, alternating, after one discarded warm-up run each; Huashu uses a data folder
made by its warm-up run (a normal start, not the very first). Figures: seconds from
`wine X.exe` to its "ready" line on stdout (wall clock, includes Wine's process start),
and the in-process figure each prints (from its first Python line). Median of RUNS (5).
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "winbuild"))

from winenv import BUILD, ROOT, Wine, wine_session  # noqa: E402

BARE_DIR = BUILD / "baretray"


def freeze_bare_tray(wine: Wine) -> Path:
    exe = BARE_DIR / "dist" / "BareTray" / "BareTray.exe"
    src = HERE / "baseline_tray.py"
    if exe.is_file() and exe.stat().st_mtime > src.stat().st_mtime:
        return exe
    print("freezing the bare tray (PyInstaller under Wine, a few minutes)...", flush=True)
    python = BUILD / "env" / "python" / "python.exe"
    out = subprocess.run(
        [
            "wine",
            str(python),
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--windowed",
            "--name",
            "BareTray",
            "--distpath",
            wine.winpath(BARE_DIR / "dist"),
            "--workpath",
            wine.winpath(BARE_DIR / "work"),
            "--specpath",
            wine.winpath(BARE_DIR),
            wine.winpath(src),
        ],
        env={**wine.env, "DISPLAY": ""},
        cwd=BARE_DIR.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=1800,
    )
    if out.returncode != 0 or not exe.is_file():
        raise SystemExit("freezing the bare tray failed:\n" + out.stdout[-3000:])
    return exe


def one_run(wine: Wine, exe: Path, env: dict[str, str], image: str) -> tuple[float, float]:
    started = wine.start(exe, extra_env=env)
    try:
        wall = started.wait_line(("huashu: ready" if image == "Huashu.exe" else "ready"), 120)
        m = re.search(r"ready \(([\d.]+) s\)", started.lines[-1])
        inner = float(m.group(1)) if m else float("nan")
    finally:
        wine.stop(started, image)
    return wall, inner


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    huashu = ROOT / "dist" / "Huashu" / "Huashu.exe"
    if not huashu.is_file():
        raise SystemExit("no dist/Huashu/Huashu.exe: run bash packaging/build-windows.sh first")
    BARE_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="huashu-winbench-") as tmp:
        session = wine_session(Path(tmp), "en")
        wine = next(session)
        try:
            bare = freeze_bare_tray(wine)
            home = {"HUASHU_HOME": wine.winpath(Path(tmp) / "home")}
            # persistent wineserver: every run pays the same process start, not a server start
            subprocess.Popen(["wineserver", "-p"], env=wine.env).wait(30)
            one_run(wine, bare, {}, "BareTray.exe")
            one_run(wine, huashu, home, "Huashu.exe")
            res: dict[str, list[tuple[float, float]]] = {"bare": [], "huashu": []}
            for i in range(runs):
                res["bare"].append(one_run(wine, bare, {}, "BareTray.exe"))
                res["huashu"].append(one_run(wine, huashu, home, "Huashu.exe"))
                b, h = res["bare"][-1], res["huashu"][-1]
                print(
                    f"run {i + 1}: bare tray {b[0]:.2f} s ({b[1]:.2f} in-process)   "
                    f"Huashu.exe {h[0]:.2f} s ({h[1]:.2f} in-process)",
                    flush=True,
                )
                time.sleep(0.5)
        finally:
            try:
                next(session)
            except StopIteration:
                pass
    bw = statistics.median(r[0] for r in res["bare"])
    hw = statistics.median(r[0] for r in res["huashu"])
    bi = statistics.median(r[1] for r in res["bare"])
    hi = statistics.median(r[1] for r in res["huashu"])
    print(
        f"median of {runs}: start-up to ready under Wine  bare frozen tray {bw:.2f} s"
        f" ({bi:.2f} in-process)   Huashu.exe {hw:.2f} s ({hi:.2f} in-process)"
        f"   difference {hw - bw:+.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

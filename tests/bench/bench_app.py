"""Tray-app benchmarks on Xvfb (issue: tray app). Prints figures; asserts nothing.

    .venv/bin/python tests/bench/bench_app.py [--presses 30]

- start-up to tray-ready, huashu vs. a bare QApplication + QSystemTrayIcon (median of 5);
- resident memory after start-up, both;
- hotkey-to-text-in-target latency: `xdotool key --delay 0 ctrl+alt+1`, then poll the
  target's report file (1 ms) until the pasted text is there; p50/p95;
- idle: context switches and CPU time of the huashu process over 5 s of doing nothing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "e2e"))

from xenv import (  # noqa: E402
    huashu_env,
    start_huashu,
    start_target,
    start_xserver,
    stop,
    stop_all,
)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def ctx_switches(pid: int) -> int:
    total = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if "ctxt_switches" in line:
            total += int(line.split()[1])
    return total


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def time_to_ready(cmd: list[str], env: dict[str, str]) -> tuple[float, subprocess.Popen[str]]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if "ready" in line:
            return time.perf_counter() - t0, proc
    raise RuntimeError(f"{cmd} never became ready")


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--presses", type=int, default=30)
    ap.add_argument("--starts", type=int, default=5)
    args = ap.parse_args()
    # A real install (pip install .) byte-compiles the package; this checkout may run with
    # PYTHONDONTWRITEBYTECODE=1, which would make every start compile ~60 modules again.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(HERE.parents[1] / "app")], check=True
    )
    xserver, procs = start_xserver()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp) / "home"
            env = huashu_env(xserver, home)
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "app",
                    "profile",
                    "--agent-no",
                    "7",
                    "--shop",
                    "小美服饰旗舰店",
                ],
                env=env,
                check=True,
                capture_output=True,
            )
            # First start builds the pinyin cache; measure warm starts like an agent's day.
            h = start_huashu(xserver, home)
            time.sleep(2)
            stop(h.proc)

            base_t, base_m, app_t, app_m = [], [], [], []
            for _ in range(args.starts):
                t, p = time_to_ready([sys.executable, str(HERE / "baseline_tray.py")], env)
                time.sleep(1.0)
                base_t.append(t)
                base_m.append(rss_mb(p.pid))
                stop(p)
                t, p = time_to_ready([sys.executable, "-m", "app"], env)
                time.sleep(1.0)
                app_t.append(t)
                app_m.append(rss_mb(p.pid))
                stop(p)
            bt, at = statistics.median(base_t), statistics.median(app_t)
            bm, am = statistics.median(base_m), statistics.median(app_m)
            print(
                f"start-up to ready  baseline {bt:.3f} s   huashu {at:.3f} s   "
                f"ratio {at / bt:.2f}x (budget 1.3x)"
            )
            print(
                f"RSS after start-up baseline {bm:.1f} MB  huashu {am:.1f} MB  "
                f"delta {am - bm:+.1f} MB (budget +30 MB)"
            )

            h = start_huashu(xserver, home)
            target = start_target(xserver, Path(tmp) / "target")
            time.sleep(1.5)
            want = subprocess.run(
                [sys.executable, "-m", "app", "render", "greeting-welcome"],
                env=env,
                capture_output=True,
                text=True,
            ).stdout.rstrip("\n")
            lat: list[float] = []
            for i in range(args.presses):
                before = len(target.text())
                t0 = time.perf_counter()
                subprocess.Popen(["xdotool", "key", "--delay", "0", "ctrl+alt+1"], env=xserver.env)
                deadline = t0 + 5
                while time.perf_counter() < deadline:
                    if len(target.text()) >= before + len(want):
                        break
                    time.sleep(0.001)
                else:
                    print(f"press {i}: text did not arrive")
                    log = (home / "logs" / "huashu.log").read_text("utf-8").splitlines()
                    print("\n".join(log[-8:]))
                    continue
                lat.append((time.perf_counter() - t0) * 1000)
                time.sleep(0.6)  # let the clipboard restore finish before the next press
            if lat:
                print(
                    f"hotkey-to-text     n={len(lat)}  p50 {statistics.median(lat):.1f} ms  "
                    f"p95 {pct(lat, 0.95):.1f} ms  max {max(lat):.1f} ms "
                    "(includes spawning xdotool)"
                )
            ok = target.text() == want * len(lat)
            print(f"pasted text exact: {ok}")
            time.sleep(1.0)
            c0, t0_ = ctx_switches(h.proc.pid), cpu_ticks(h.proc.pid)
            time.sleep(5)
            c1, t1 = ctx_switches(h.proc.pid), cpu_ticks(h.proc.pid)
            print(f"idle 5 s           context switches {c1 - c0}, CPU ticks {t1 - t0_}")
            stop(target.proc)
            stop(h.proc)
    finally:
        stop_all(procs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

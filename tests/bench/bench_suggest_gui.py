"""How long the GUI thread stalls while the suggestion ranker of a 10k library is built.

A Qt timer ticks every 10 ms on the GUI thread; the longest gap between two ticks is the
longest time the GUI could not react (a hotkey, a key press, a repaint). Measured for a build
on the GUI thread (as before) and for :class:`app.core.suggest_build.SuggesterBuilder`'s
worker thread.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_suggest_gui.py [--size N]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_suggest import big_library
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.core.suggest import Suggester
from app.core.suggest_build import SuggesterBuilder


def longest_stall(app: QApplication, start: object, done: object) -> tuple[float, float]:
    """(longest gap between 10 ms ticks, total seconds) from start() until done() is true."""
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
        if done():  # type: ignore[operator]
            app.quit()

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    t0 = time.perf_counter()
    QTimer.singleShot(0, start)  # type: ignore[arg-type]
    app.exec()
    timer.stop()
    return max(gaps), time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=10000)
    args = ap.parse_args()
    app = QApplication.instance() or QApplication([])
    lib = big_library(args.size)
    built: list[Suggester] = []
    stall, total = longest_stall(
        app,  # type: ignore[arg-type]
        lambda: built.append(Suggester(lib)),
        lambda: bool(built),
    )
    print(
        f"{len(lib.phrases)} phrases, build on the GUI thread:  longest GUI stall"
        f" {stall * 1000:6.0f} ms (total {total:.1f} s)"
    )
    builder = SuggesterBuilder(Suggester)
    stall, total = longest_stall(
        app,  # type: ignore[arg-type]
        lambda: builder.request(lib),
        lambda: builder.ready,
    )
    print(
        f"{len(lib.phrases)} phrases, build on a worker thread: longest GUI stall"
        f" {stall * 1000:6.0f} ms (total {total:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Fast crash helper for row 6: imports the core once, then for each run forks a child
that moves phrases between two top-level categories (two library files) as fast as it
can, and SIGKILLs it after a random moment. After each kill the library is loaded again
and every phrase must be in exactly one place.

Usage: python move_helper.py HOME RUNS SEED; prints one JSON line with the figures.
POSIX only (fork).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import time
from pathlib import Path

from app.core.fsutil import Paths
from app.core.model import Category, Library, Phrase, now_iso
from app.core.storage import LibraryStore


def setup(home: Path) -> set[str]:
    store = LibraryStore(Paths(home))
    lib = Library([Category("left", "左", 0), Category("right", "右", 1)])
    for i in range(60):
        lib.add_phrase(Phrase(f"p{i}", f"标题{i}", f"正文{i}", "left" if i % 2 else "right"))
    store.save(lib)
    return {p.id for p in lib.phrases}


def mover(home: Path, seed: int) -> None:
    rng = random.Random(seed)
    store = LibraryStore(Paths(home))
    lib = store.load().library
    while True:
        for p in rng.sample(lib.phrases, 5):
            other = "right" if p.category == "left" else "left"
            lib.update_phrase(p.copy(category=other, updated=now_iso()))
        store.save(lib)


def main() -> int:
    home, runs, seed = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    ids = setup(home)
    rng = random.Random(seed)
    lost = hidden = doubled = warned = 0
    for run in range(runs):
        pid = os.fork()
        if pid == 0:  # the child: move until killed
            try:
                mover(home, seed + run)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.002, 0.03))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        store = LibraryStore(Paths(home))
        result = store.load()
        found = [p.id for p in result.library.phrases]
        cats = {c.id for c in result.library.categories}
        lost += len(ids - set(found))
        doubled += len(found) - len(set(found))
        hidden += sum(1 for p in result.library.phrases if p.category not in cats)
        if result.problems:
            warned += 1
            # what the app does on open: save the de-duplicated library
            store.save(result.library)
    print(
        json.dumps(
            {"runs": runs, "lost": lost, "hidden": hidden, "doubled": doubled, "warned": warned}
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Kill a writer process at random moments; the library must always load intact."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

from app.core.fsutil import Paths
from app.core.storage import LibraryStore
from app.core.workspace import Workspace

# Starting Python takes about a second under Wine, 50 ms on Linux.
ROUNDS = 15 if sys.platform == "win32" else 50

WRITER = r"""
import sys
from pathlib import Path
from app.core.fsutil import Paths
from app.core.storage import LibraryStore

store = LibraryStore(Paths(Path(sys.argv[1])))
lib = store.load().library
print("ready", flush=True)
i = 0
while True:
    i += 1
    for p in lib.phrases:
        p.body = f"version {i} of {p.id} " + "内容" * (i % 50)
    if i % 7 == 0:
        store.backup("delete")
    store.save(lib)
"""


def test_killed_writer_never_leaves_a_half_written_library(huashu_home: Path) -> None:
    ws = Workspace.open()
    ids = {p.id for p in ws.library.phrases}
    ws.close()
    assert len(ids) >= 80
    rng = random.Random(1234)
    kills = 0
    for _ in range(ROUNDS):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(huashu_home)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.08))
        proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up runs
        proc.wait()
        proc.stdout.close()
        kills += 1
        result = LibraryStore(Paths(huashu_home)).load()
        assert result.problems == []
        assert {p.id for p in result.library.phrases} == ids
        for p in result.library.phrases:
            assert p.body.startswith("version ") or p.body, p
        for b in LibraryStore(Paths(huashu_home)).list_backups():
            assert any(b.glob("*.toml"))
    assert kills == ROUNDS
    leftovers = list((huashu_home / "library").glob("*.tmp"))
    # Temp files of a killed writer may remain, but they never count as library files.
    assert all(p.name.startswith(".") for p in leftovers)

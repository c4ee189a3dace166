"""Kill a writer process at random moments; the library must always load intact."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.core.fsutil import Paths
from app.core.storage import LibraryStore, LoadResult
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
i = int(sys.argv[2])
while True:
    i += 1
    for p in lib.phrases:
        p.body = f"version {i} of {p.id} " + "内容" * (i % 50)
    if i % 7 == 0:
        store.backup("delete")
    store.save(lib)
    print(f"saved {i}", flush=True)
"""


def _load_dir(backup: Path) -> LoadResult:
    """Load a backup folder as if it were ``library/``."""
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(backup, Path(tmp) / "library")
        return LibraryStore(Paths(Path(tmp))).load()


def test_killed_writer_never_leaves_a_half_written_library(huashu_home: Path) -> None:
    ws = Workspace.open()
    ids = {p.id for p in ws.library.phrases}
    ws.close()
    assert len(ids) >= 80
    rng = random.Random(1234)
    kills = mid_save = 0
    start = 0  # the writer numbers its saves start+1, start+2, ...
    before: dict[str, int] = {}  # file (top-level category) -> version on disk (0: original)
    for _ in range(ROUNDS):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(huashu_home), str(start)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.08))
        proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up runs
        proc.wait()
        saved = [int(m) for m in re.findall(r"^saved (\d+)$", proc.stdout.read(), re.M)]
        proc.stdout.close()
        kills += 1
        last = max(saved, default=None)
        result = LibraryStore(Paths(huashu_home)).load()
        assert result.problems == []
        assert {p.id for p in result.library.phrases} == ids
        # Each file is whole: all its phrases from one save. That save is the last one the
        # writer reported, or the one in flight when the kill came (files are replaced one
        # at a time), or - when no save completed - what the file held before.
        by_file: dict[str, set[int]] = {}
        for p in result.library.phrases:
            match = re.fullmatch(rf"version (\d+) of {re.escape(p.id)} (内容)*", p.body)
            version = int(match.group(1)) if match else 0
            by_file.setdefault(result.library.root_of(p.category), set()).add(version)
        assert all(len(versions) == 1 for versions in by_file.values()), by_file
        now = {root: versions.pop() for root, versions in by_file.items()}
        in_flight = (last or start) + 1
        for root, version in now.items():
            allowed = {last, in_flight} if last is not None else {before.get(root, 0), in_flight}
            assert version in allowed, (root, version, allowed)
        if in_flight in now.values() and len(set(now.values())) > 1:
            mid_save += 1  # killed between two file replacements of one save
        before = now
        start = max(now.values())
        for b in LibraryStore(Paths(huashu_home)).list_backups():
            assert not b.name.endswith(".partial"), b
            assert {p.id for p in _load_dir(b).library.phrases} == ids, b
    assert kills == ROUNDS
    # the kills did land while files were being replaced, not only between saves
    assert mid_save >= ROUNDS // 10
    leftovers = list((huashu_home / "library").glob("*.tmp"))
    # Temp files of a killed writer may remain, but they never count as library files.
    assert all(p.name.startswith(".") for p in leftovers)

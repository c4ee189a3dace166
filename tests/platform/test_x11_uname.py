"""python-xlib's import does not make CPython run `uname -p` (issue 10: a fork per start)."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Any attempt to run a program fails loudly; `uname -p` is how CPython fills `processor`.
PROBE = """
import platform, subprocess, sys

def no_fork(*args, **kwargs):
    raise RuntimeError(f"ran a program: {args!r}")

subprocess.check_output = subprocess.run = subprocess.Popen = no_fork
{setup}
import Xlib.support.unix_connect
u = platform.uname()
print(u[0], repr(u.processor), u.node == platform.node())
"""


def _run(setup: str) -> subprocess.CompletedProcess[str]:
    code = PROBE.replace("{setup}", setup)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


@pytest.mark.skipif(sys.platform != "linux", reason="python-xlib runs on X11 only")
def test_importing_xlib_forks_no_uname_after_spare_uname_fork() -> None:
    done = _run("from app.platform.x11 import spare_uname_fork; spare_uname_fork()")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["Linux", "''", "True"]


@pytest.mark.skipif(sys.platform != "linux", reason="python-xlib runs on X11 only")
def test_without_it_xlib_would_run_uname() -> None:
    # The probe can fail: without the helper, CPython runs `uname -p` at that import.
    done = _run("")
    assert done.returncode != 0
    assert "ran a program" in done.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="python-xlib runs on X11 only")
def test_an_already_computed_processor_is_kept() -> None:
    done = _run(
        "platform.uname().__dict__['processor'] = 'cpu9'\n"
        "from app.platform.x11 import spare_uname_fork; spare_uname_fork()"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["Linux", "'cpu9'", "True"]

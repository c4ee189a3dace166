"""Helpers to run the Windows build (packaging/build-windows.sh) under Wine and Xvfb.

Shared by tests/winbuild/ and tests/bench/bench_win_startup.py. Every Wine process of a
test runs in a prefix of its own (created by the Wine lane's ``.ci/winlane-env.sh prefix``,
which also installs the two Wine-only stub DLLs Qt needs there; users never get them).

Under Wine a program's stdout/stderr must be pipes: a plain file makes CPython's start
fail (WinError 6; the windowed Huashu.exe then shows "Failed to start embedded python
interpreter!"). On Windows, started from Explorer, the exe has no standard handles at all.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "windows"
TOOLS = ("wine", "wineserver", "winepath", "Xvfb", "import")


def project_version() -> str:
    import tomllib

    return str(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"])


def env_script() -> Path:
    return Path(os.environ.get("WINLANE_ENV") or ROOT / ".ci" / "winlane-env.sh")


@dataclass
class Dist:
    """The artifacts of one `bash packaging/build-windows.sh` run."""

    root: Path
    version: str

    @property
    def folder(self) -> Path:
        return self.root / "Huashu"

    @property
    def exe(self) -> Path:
        return self.folder / "Huashu.exe"

    @property
    def zip(self) -> Path:
        return self.root / f"Huashu-{self.version}-win64.zip"

    @property
    def setup(self) -> Path:
        return self.root / f"Huashu-{self.version}-setup.exe"


def require_dist() -> Dist:
    """The build named by HUASHU_WIN_DIST; a missing artifact or tool is a failure.

    Without HUASHU_WIN_DIST the tests are not requested and skip, except with CI=true,
    where they fail: in CI only the Wine lane's build stage (packaging/winlane-stage.sh)
    runs them, with HUASHU_WIN_DIST set (the Linux suite leaves tests/winbuild out).
    """
    where = os.environ.get("HUASHU_WIN_DIST", "")
    if not where:
        msg = "not requested: HUASHU_WIN_DIST=dist after bash packaging/build-windows.sh"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{msg} (CI=true: the build must be tested)")
        pytest.skip(msg)
    dist = Dist(Path(where).resolve(), project_version())
    missing = [p for p in (dist.exe, dist.zip, dist.setup) if not p.is_file()]
    if missing:
        pytest.fail(f"Windows build incomplete, missing: {', '.join(map(str, missing))}")
    tools = [t for t in TOOLS if shutil.which(t) is None]
    if tools:
        pytest.fail(f"missing: {', '.join(tools)} (packaging/build-windows.sh installs them)")
    if not env_script().is_file():
        pytest.fail(f"no {env_script()} (the Wine lane's environment script)")
    return dist


def free_display() -> int:
    for n in range(120, 400):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


@dataclass
class Wine:
    """A Wine prefix of our own on an Xvfb display of our own."""

    prefix: Path
    display: str
    lang: str = "en"
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WINE", "PYTHON"))}
        env.update(
            WINEPREFIX=str(self.prefix),
            DISPLAY=self.display,
            WINEDEBUG="-all",
            # mscms: the Wine-only stub in the prefix; no crash debugger; no Mono/Gecko
            WINEDLLOVERRIDES="mscms=n,b;winedbg.exe=d;mscoree,mshtml=",
            LC_ALL="zh_CN.UTF-8" if self.lang == "zh" else "en_US.UTF-8",
        )
        return env

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """`wine ARGS...` with piped output; waits for it to exit."""
        return subprocess.run(
            ["wine", *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
        )

    def wait_idle(self, timeout: float = 120) -> None:
        """Until every process of the prefix has ended (NSIS uninstallers re-launch)."""
        subprocess.run(["wineserver", "-w"], env=self.env, timeout=timeout, check=False)

    def start(self, exe: Path, *args: str, extra_env: dict[str, str] | None = None) -> Started:
        proc = subprocess.Popen(
            ["wine", str(exe), *args],
            env={**self.env, **(extra_env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        return Started(proc, time.perf_counter())

    def winpath(self, path: Path) -> str:
        p = str(path.resolve())
        return "Z:" + p.replace("/", "\\")

    def unix_path(self, windows_path: str) -> Path:
        out = subprocess.run(
            ["winepath", "-u", windows_path], env=self.env, capture_output=True, text=True
        )
        return Path(out.stdout.strip())

    def expand(self, variable: str) -> str:
        """A Windows environment variable of the prefix (e.g. LOCALAPPDATA)."""
        out = self.run("cmd", "/c", f"echo %{variable}%", timeout=60)
        return out.stdout.strip().splitlines()[-1].strip()

    def reg_value(self, key: str, name: str) -> str | None:
        out = self.run("reg", "query", key, "/v", name, timeout=60)
        for line in out.stdout.splitlines():
            m = re.match(rf"\s*{re.escape(name)}\s+REG_\w+\s+(.*)$", line)
            if m:
                return m.group(1).strip()
        return None

    def kill(self, image: str) -> None:
        self.run("taskkill", "/F", "/IM", image, timeout=60)

    def stop(self, started: Started, image: str) -> None:
        """End a program started with :meth:`start` (by image name) and release its pipe."""
        try:
            self.kill(image)
            started.proc.wait(30)
        finally:
            if started.proc.stdout is not None:
                started.proc.stdout.close()

    def screenshot(self, path: Path) -> None:
        subprocess.run(["import", "-window", "root", str(path)], env=self.env, timeout=30)


@dataclass
class Started:
    proc: subprocess.Popen[bytes]
    t0: float
    lines: list[str] = field(default_factory=list)

    def wait_line(self, prefix: str, timeout: float = 60) -> float:
        """Seconds from start until a stdout line starting with ``prefix``."""
        import selectors

        assert self.proc.stdout is not None
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        buf = b""
        while time.monotonic() < deadline:
            if not sel.select(timeout=0.2):
                if self.proc.poll() is not None:
                    break
                continue
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                raw, buf = buf.split(b"\n", 1)
                line = raw.decode("utf-8", "replace").rstrip("\r")
                self.lines.append(line)
                if line.startswith(prefix):
                    return time.perf_counter() - self.t0
        raise AssertionError(f"no line starting {prefix!r}; output:\n" + "\n".join(self.lines))


def start_xvfb() -> tuple[str, subprocess.Popen[bytes]]:
    n = free_display()
    proc = subprocess.Popen(
        ["Xvfb", f":{n}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{n}").exists():
        if time.monotonic() > deadline or proc.poll() is not None:
            raise RuntimeError("Xvfb did not start")
        time.sleep(0.05)
    return f":{n}", proc


def new_prefix(path: Path, lang: str = "en") -> None:
    env = dict(os.environ, WINLANE_DIR=str(Path(os.environ.get("WINLANE_DIR") or BUILD / "env")))
    out = subprocess.run(
        ["bash", str(env_script()), "prefix", str(path), lang],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def wine_session(tmp: Path, lang: str = "en") -> Iterator[Wine]:
    """A fresh prefix and display; everything started in it is ended afterwards."""
    new_prefix(tmp / "prefix", lang)
    display, xvfb = start_xvfb()
    wine = Wine(tmp / "prefix", display, lang)
    try:
        yield wine
    finally:
        subprocess.run(["wineserver", "-k"], env=wine.env, check=False, timeout=60)
        xvfb.terminate()
        try:
            xvfb.wait(10)
        except subprocess.TimeoutExpired:
            xvfb.kill()

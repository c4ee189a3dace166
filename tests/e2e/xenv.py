"""End-to-end helpers: a real X server (Xvfb + openbox + trayer), the real huashu process
and a separate target window that reports what it received.

With CI=true a missing tool FAILS the test (never skips): CI must prove the real thing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).parent
TOOLS = ("Xvfb", "openbox", "trayer", "xdotool", "xclip")


def require_tools(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if not missing:
        return
    msg = f"end-to-end tools missing: {', '.join(missing)} (bash .ci/run installs them)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(msg)
    pytest.skip(msg)


def wait_for(pred, timeout: float = 10.0, interval: float = 0.02, what: str = "condition"):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def focused_window_name(xserver: XServer) -> str:
    """Title of the window that has the keyboard focus ("" when none has a title)."""
    return xserver.xdotool("getwindowfocus", "getwindowname")


def wait_for_focus(xserver: XServer, title: str, timeout: float = 30.0) -> None:
    """Wait until the window with the keyboard focus has a title starting with ``title``:
    keys typed before that would go to whichever window had the focus."""
    wait_for(
        lambda: focused_window_name(xserver).startswith(title),
        timeout,
        interval=0.05,
        what=f"the keyboard focus on {title!r} (it is on {focused_window_name(xserver)!r})",
    )


def activate(xserver: XServer, wid: str, title: str, timeout: float = 30.0) -> None:
    """Give window ``wid`` (titled ``title``) the keyboard focus and wait until it has it;
    asks again every 2 s (a window manager under load may drop a request)."""
    deadline = time.monotonic() + timeout
    while True:
        xserver.xdotool("windowactivate", "--sync", wid)
        try:
            wait_for_focus(xserver, title, min(2.0, max(0.1, deadline - time.monotonic())))
            return
        except AssertionError:
            if time.monotonic() >= deadline:
                raise


def _free_display() -> int:
    for n in range(50, 200):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


@dataclass
class XServer:
    display: str
    env: dict[str, str]

    def xdotool(self, *args: str) -> str:
        out = subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=10
        )
        return out.stdout.strip()

    def set_clipboard(self, text: str) -> None:
        subprocess.run(
            ["xclip", "-selection", "clipboard", "-i"],
            input=text.encode("utf-8"),
            env=self.env,
            check=True,
            timeout=5,
        )

    def get_clipboard(self) -> str:
        out = subprocess.run(
            ["xclip", "-selection", "clipboard", "-o"],
            env=self.env,
            capture_output=True,
            timeout=5,
        )
        return out.stdout.decode("utf-8", "replace")

    def screenshot(self, path: Path) -> None:
        subprocess.run(["import", "-window", "root", str(path)], env=self.env, timeout=10)


def start_xserver() -> tuple[XServer, list[subprocess.Popen[bytes]]]:
    """Xvfb + openbox + trayer on a free display; returns the server and its processes."""
    require_tools(*TOOLS)
    n = _free_display()
    display = f":{n}"
    procs: list[subprocess.Popen[bytes]] = []
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    procs.append(xvfb)
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
    env.pop("WAYLAND_DISPLAY", None)
    wait_for(lambda: Path(f"/tmp/.X11-unix/X{n}").exists(), 10, what="Xvfb")
    for cmd in (
        ["openbox"],
        [
            "trayer",
            "--edge",
            "top",
            "--align",
            "right",
            "--widthtype",
            "request",
            "--height",
            "24",
            "--SetDockType",
            "true",
        ],
    ):
        procs.append(
            subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
    server = XServer(display, env)
    # openbox manages windows (an EWMH window manager sets the number of desktops) and
    # trayer has its window, so the tray icon has somewhere to dock
    wait_for(lambda: server.xdotool("get_num_desktops") not in ("", "0"), 30, what="openbox")
    wait_for(lambda: server.xdotool("search", "--class", "trayer"), 30, what="trayer")
    return server, procs


def stop_all(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in reversed(procs):
        p.terminate()
    for p in procs:
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()


@dataclass
class Target:
    proc: subprocess.Popen[bytes]
    out: Path

    def text(self) -> str:
        f = self.out / "text.txt"
        return f.read_text("utf-8") if f.exists() else ""

    def key_log(self) -> list[str]:
        f = self.out / "keys.txt"
        return f.read_text("utf-8").splitlines() if f.exists() else []


def start_target(xserver: XServer, out: Path) -> Target:
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "target_app.py"), str(out)],
        env=xserver.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(lambda: (out / "ready").exists(), 15, what="target window")
    wid = wait_for(
        lambda: xserver.xdotool("search", "--name", "huashu-e2e-target"),
        10,
        what="target window id",
    )
    activate(xserver, wid.split()[0], "huashu-e2e-target")
    return Target(proc, out)


@dataclass
class Huashu:
    proc: subprocess.Popen[str]
    home: Path
    env: dict[str, str]
    lines: list[str]

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )


def huashu_env(xserver: XServer, home: Path) -> dict[str, str]:
    return dict(xserver.env, HUASHU_HOME=str(home), PYTHONUNBUFFERED="1", LANG="en_US.UTF-8")


def start_huashu(xserver: XServer, home: Path, *extra: str) -> Huashu:
    env = huashu_env(xserver, home)
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if line.startswith("huashu: ready"):
            return Huashu(proc, home, env, lines)
    stop(proc)
    raise AssertionError("huashu did not become ready:\n" + "\n".join(lines))


def stop(proc: subprocess.Popen) -> None:  # type: ignore[type-arg]
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
    for stream in (proc.stdout, proc.stderr, proc.stdin):
        if stream is not None:
            stream.close()

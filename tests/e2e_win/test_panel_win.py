"""The docked panel on Windows, under Wine: a click in the panel puts the reply into Wine's
notepad while notepad keeps the foreground (the panel is WS_EX_NOACTIVATE).

Runs on the Linux side; the panel runs in the Wine lane's Windows Python
(``panel_win_helper.py``: the real DockedPanel, PastePipeline, Windows paster and Win32
window information); the click is a real X button press from xdotool. Self-contained:
its own Xvfb display and Wine prefix (``HUASHU_PANEL_WINEPREFIX`` reuses one).

    WINLANE_DIR=/work/wine-lane .venv/bin/python -m pytest tests/e2e_win/test_panel_win.py
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from wine_e2e import notepad_x_window

pytestmark = pytest.mark.e2e

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
REPLY = "您好，这是面板里的话术 panel-ok"


def lane_dir() -> Path:
    for candidate in (os.environ.get("WINLANE_DIR"), "/work/wine-lane", str(REPO / ".winlane")):
        if candidate and (Path(candidate) / "python" / "python.exe").exists():
            return Path(candidate)
    return Path(os.environ.get("WINLANE_DIR") or "/work/wine-lane")


def need(ok: bool, what: str) -> None:
    if ok:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"Wine panel test cannot run: {what}")
    pytest.skip(what)


def free_display() -> int:
    for n in range(120, 200):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display")


@pytest.fixture(scope="module")
def wine_desktop() -> Iterator[dict[str, str]]:
    for tool in ("wine", "wineserver", "Xvfb", "xdotool"):
        need(shutil.which(tool) is not None, f"{tool} is not installed")
    lane = lane_dir()
    need((lane / "python" / "python.exe").exists(), f"no Wine lane at {lane}")
    runner = lane / "bin" / "winpy"
    if not runner.exists():
        runner = REPO / ".ci" / "winpy"
    n = free_display()
    xvfb = subprocess.Popen(
        ["Xvfb", f":{n}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    tmp = Path(tempfile.mkdtemp(prefix="huashu-panel-win-"))
    prefix = os.environ.get("HUASHU_PANEL_WINEPREFIX") or str(tmp / "prefix")
    env = dict(
        os.environ,
        DISPLAY=f":{n}",
        WINEPREFIX=prefix,
        WINLANE_DIR=str(lane),
        WINLANE_SRC=str(REPO),
        WINLANE_RUNNER=str(runner),
    )
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{n}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield env
    finally:
        subprocess.run(["wineserver", "-k"], env=env, timeout=180, check=False)
        xvfb.terminate()
        xvfb.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


def read_lines(proc: subprocess.Popen[str], lines: queue.Queue[dict[str, object]]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        line = line.strip()
        if line.startswith("{"):
            try:
                lines.put(json.loads(line))
            except json.JSONDecodeError:
                pass


def next_with(lines: queue.Queue[dict[str, object]], key: str, timeout: float) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            item = lines.get(timeout=max(0.05, deadline - time.monotonic()))
        except queue.Empty:
            break
        if "error" in item:
            raise AssertionError(f"helper failed: {item}")
        if key in item:
            return item
    raise AssertionError(f"no {key!r} from the Windows helper within {timeout} s")


def test_click_in_panel_pastes_into_notepad_which_keeps_the_focus(
    wine_desktop: dict[str, str],
) -> None:
    env = wine_desktop
    # Create the prefix first (winpy does it on first use), then start notepad in it.
    subprocess.run(
        [env["WINLANE_RUNNER"], "-c", "print('prefix ok')"],
        env=env,
        capture_output=True,
        timeout=180,
        check=True,
    )
    notepad = subprocess.Popen(
        ["wine", "notepad"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    # The first Wine program of a fresh wineserver starts the prefix's services (services,
    # explorer, winedevice, rpcss...), and they inherit its stdout. Were that the helper,
    # they would hold its pipe open while notepad keeps the prefix alive, and the helper's
    # winpy (which reads the pipe to its end) would never exit (2 of 3 runs here). So the
    # helper starts only once notepad's window shows that notepad started them.
    deadline = time.monotonic() + 60
    while not notepad_x_window(env):
        if time.monotonic() > deadline or notepad.poll() is not None:
            raise AssertionError("notepad's window did not appear within 60 s")
        time.sleep(0.1)
    helper = subprocess.Popen(
        [env["WINLANE_RUNNER"], str(HERE / "panel_win_helper.py"), "notepad.exe"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    lines: queue.Queue[dict[str, object]] = queue.Queue()
    threading.Thread(target=read_lines, args=(helper, lines), daemon=True).start()
    try:
        ready = next_with(lines, "ready", 120)
        assert ready["target_app"] == "notepad.exe"
        assert ready["qt_noactivate"] is True  # Qt gave the panel WS_EX_NOACTIVATE
        px, py, _pw, ph = ready["panel"]  # type: ignore[misc]
        tx, ty, tw, th = ready["target_rect"]  # type: ignore[misc]
        assert px == tx + tw and (py, ph) == (ty, th)  # docked on notepad's right side
        # The focus is (back) in notepad before the click.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                item = lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if item.get("foreground_now", [None, ""])[1] == "Notepad":  # type: ignore[index]
                break
        x, y = ready["row"]  # type: ignore[misc]
        subprocess.run(["xdotool", "mousemove", str(x), str(y)], env=env, check=True)
        time.sleep(0.3)
        subprocess.run(["xdotool", "click", "1"], env=env, check=True)
        result = next_with(lines, "delivered", 30)
        assert result["chosen"] == "p1" and result["how"] == "paste"
        assert result["text"] == REPLY  # the reply is in notepad
        assert result["foreground"] == result["target"]  # notepad kept the focus
        assert result["foreground_at_click"] == result["target"]
        assert result["profiles"] == ["editors"]  # notepad.exe's built-in profile
        assert helper.wait(120) == 0  # Qt and Wine tear down slowly on a loaded machine
    finally:
        for proc in (helper, notepad):
            if proc.poll() is None:
                proc.kill()
            proc.wait(30)
        if helper.stdout is not None:
            helper.stdout.close()

"""Helpers of the Windows end-to-end tests (see conftest.py): Xvfb + Wine prefix + notepad,
the Windows-side helper process and the Huashu launcher."""

from __future__ import annotations

import json
import os
import queue
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
HELPER = HERE / "winhelper.py"
#: Each time the X focus had to be moved onto the window Windows put in front (see
#: WinEnv.keyboard_follows): "test: window (the X window X kept)". conftest prints them.
FOCUS_RESYNCS: list[str] = []
LOCALES = {"en": "en_US.UTF-8", "zh": "zh_CN.UTF-8"}
TOOLS = {
    "wine": "wine",
    "wineserver": "wine",
    "Xvfb": "xvfb",
    "xdotool": "xdotool",
    "xprop": "x11-utils",
    "import": "imagemagick",
}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def xdotool(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=20)
    return out.stdout.strip()


def notepad_x_window(env: dict[str, str]) -> str:
    """The X window of notepad's main window on env's display ("" when there is none yet;
    Wine's "Default IME" window of the same class does not count)."""
    for wid in xdotool(env, "search", "--classname", "notepad.exe").split():
        name = xdotool(env, "getwindowname", wid)
        if name and name != "Default IME":
            return wid
    return ""


def require(ok: bool, reason: str) -> None:
    """Fail under CI, skip elsewhere."""
    if ok:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the Windows end-to-end tests must run)", pytrace=False)
    pytest.skip(reason)


def wait_for(
    predicate: Callable[[], Any], timeout: float, what: str, interval: float = 0.02
) -> Any:
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while True:
        last = predicate()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}; last: {last!r}")
        time.sleep(interval)


def winpath(path: Path) -> str:
    return "Z:" + str(path.resolve()).replace("/", "\\")


def lane_dir() -> Path | None:
    candidates = [os.environ.get("WINLANE_DIR", ""), "/work/wine-lane", str(REPO / ".winlane")]
    for candidate in candidates:
        if candidate and (Path(candidate) / "bin" / "winpy").is_file():
            return Path(candidate)
    return None


def host_locale_exists(name: str) -> bool:
    out = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout
    wanted = name.lower().replace("-", "").replace("utf8", "utf8")
    return any(line.lower().replace("-", "") == wanted for line in out.split())


# -- processes -----------------------------------------------------------------------------


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    read_fd, write_fd = os.pipe()
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(write_fd)
    number = b""
    deadline = time.monotonic() + 15
    while not number.endswith(b"\n") and time.monotonic() < deadline:
        ready, _, _ = select.select([read_fd], [], [], 0.5)
        if ready:
            chunk = os.read(read_fd, 64)
            if not chunk:
                break
            number += chunk
    os.close(read_fd)
    if not number.strip():
        process.kill()
        process.wait(5)
        raise RuntimeError("Xvfb did not start")
    return process, f":{number.decode().strip()}"


def stop_group(
    process: subprocess.Popen[Any], grace: float = 5.0, *, close_streams: bool = True
) -> None:
    """Stop a process started with ``start_new_session=True`` and its children.

    ``close_streams=False`` when threads still read its pipes: closing a file another
    thread reads from blocks (Wine processes may keep the pipe's other end open)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                process.kill()
            process.wait(grace)
    if not close_streams:
        return
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            try:
                stream.close()
            except OSError:
                pass


class Helper:
    """winhelper.py under the Windows Python: one JSON command, one JSON answer."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=env,
            start_new_session=True,
        )
        self._lines: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._stderr: list[str] = []
        self._readers = [
            threading.Thread(target=self._read, daemon=True),
            threading.Thread(target=self._read_err, daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        self.expect("ready", 90)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("{"):
                self._lines.put(json.loads(line))
        self._lines.put(None)

    def _read_err(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._stderr.append(line)

    def expect(self, event: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                item = self._lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                item = {}
            if item is None:
                raise RuntimeError("winhelper exited:\n" + "".join(self._stderr)[-2000:])
            if item.get("event") == event:
                if "error" in item:
                    raise RuntimeError(f"winhelper {event}: {item['error']}")
                return item
            if time.monotonic() >= deadline:
                raise TimeoutError(f"no answer {event!r} from winhelper within {timeout} s")

    def ask(self, cmd: str, timeout: float = 30, **args: Any) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"cmd": cmd, **args}, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        return self.expect(cmd, timeout)

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.ask("quit", timeout=10)
                self.process.wait(10)
            except (OSError, RuntimeError, TimeoutError, subprocess.TimeoutExpired):
                pass
        stop_group(self.process, close_streams=False)

    def release_streams(self) -> None:
        """Close the pipes once nothing holds their other end (after ``wineserver -k``)."""
        for reader in self._readers:
            reader.join(timeout=10)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass


@dataclass
class WinEnv:
    """One Windows (Wine prefix + Xvfb display) in one locale, with notepad running."""

    locale: str
    display: str
    prefix: Path
    lane: Path
    env: dict[str, str]
    helper: Helper | None = None
    procs: list[subprocess.Popen[Any]] = field(default_factory=list)

    @property
    def winpy(self) -> str:
        return str(self.lane / "bin" / "winpy")

    def xdotool(self, *args: str) -> str:
        return xdotool(self.env, *args)

    def key(self, keys: str) -> None:
        self.xdotool("key", "--delay", "0", keys)

    def type(self, text: str) -> None:
        self.xdotool("type", "--delay", "20", text)

    def wine(self, *args: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            ["wine", *args],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.procs.append(process)
        return process

    def notepad_x_window(self) -> str:
        return notepad_x_window(self.env)

    def focus_notepad(self) -> None:
        """Give notepad the keyboard, as a click on it would."""
        wid = wait_for(self.notepad_x_window, 30, "notepad's X window")
        assert self.helper is not None
        helper = self.helper

        def in_front() -> bool:
            return bool(helper.ask("notepad")["front"])

        self.xdotool("windowfocus", "--sync", wid)
        if self._settles(in_front, 5):
            return
        # Wine sometimes keeps another window (one a previous test closed or hid) as the
        # foreground despite the X focus change: click into notepad as a user would, then
        # let the helper bring it forward (AttachThreadInput, as the app does).
        front = helper.ask("foreground")
        self.xdotool("mousemove", "--window", wid, "60", "90", "click", "1")
        if self._settles(in_front, 5):
            return
        helper.ask("activate_notepad")
        wait_for(in_front, 10, f"notepad in front (the foreground was {front})")

    @staticmethod
    def _settles(predicate: Callable[[], bool], timeout: float) -> bool:
        try:
            wait_for(predicate, timeout, "")
        except AssertionError:
            return False
        return True

    def x_focus(self) -> int:
        """The X window with the input focus (where xdotool's keys go)."""
        return int(self.xdotool("getwindowfocus", "-f"))

    def keyboard_follows(self, front: dict[str, Any], timeout: float = 3) -> None:
        """Put the X input focus on the X window of ``front`` (a :meth:`foreground`
        answer), so that xdotool's keys reach it the way Windows sends keys to the
        foreground window.

        Wine moves the X focus itself when one of its windows takes the Win32 focus, but it
        stamps that ``XSetInputFocus`` with the thread's last message time converted to X
        time. The conversion is calibrated on the first input event the process handled and
        lags the X server's clock by however late that event was handled (a busy process:
        up to seconds). X ignores a focus request older than the last focus change, for
        example xdotool's ``windowfocus`` on notepad a moment before: the window is in front
        for Windows while X keeps sending the keys to notepad. Windows has no second focus
        to keep in step. When X has not followed within ``timeout``, move it here, as a
        window manager would, and record it in :data:`FOCUS_RESYNCS`.
        """
        wid = int(front["x_window"])
        assert wid, f"Wine named no X window for {front}"
        if self._settles(lambda: self.x_focus() == wid, timeout):
            return
        test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0]
        FOCUS_RESYNCS.append(f"{test}: {front['title']!r} (X kept {self.x_focus():#x})")
        self.xdotool("windowfocus", "--sync", str(wid))
        wait_for(lambda: self.x_focus() == wid, 10, f"the X focus on {front['title']!r}")

    def notepad_text(self) -> str:
        assert self.helper is not None
        answer = self.helper.ask("notepad")
        assert answer["found"], "notepad is gone"
        return str(answer["text"]).replace("\r\n", "\n")

    def screenshot(self, path: Path) -> None:
        subprocess.run(
            ["import", "-window", "root", str(path)], env=self.env, timeout=30, check=False
        )

    def foreground(self) -> dict[str, Any]:
        assert self.helper is not None
        return self.helper.ask("foreground")


def make_winenv(locale: str, base: Path) -> WinEnv:
    lane = lane_dir()
    require(lane is not None, "the Wine lane is not built (set WINLANE_DIR; see .ci/)")
    assert lane is not None
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    packages = " ".join(sorted({TOOLS[t] for t in missing}))
    require(not missing, f"{', '.join(missing)} not found (apt-get install {packages})")
    require(host_locale_exists(LOCALES[locale]), f"host locale {LOCALES[locale]} missing")
    xvfb, display = start_xvfb()
    prefix = base / f"wine-{locale}"
    env = dict(os.environ)
    for name in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "HUASHU_HOME", "LANGUAGE"):
        env.pop(name, None)
    env.update(
        DISPLAY=display,
        WINEPREFIX=str(prefix),
        WINLANE_DIR=str(lane),
        WINLANE_LOCALE=locale,
        WINLANE_SRC=str(REPO),
        WINEDEBUG="-all",
        LC_ALL=LOCALES[locale],
        PYTHONIOENCODING="utf-8",
    )
    winenv = WinEnv(locale, display, prefix, lane, env, procs=[xvfb])
    try:
        start_windows(winenv)
    except BaseException:
        close_winenv(winenv)
        raise
    return winenv


def start_windows(winenv: WinEnv) -> None:
    """Prefix, virtual desktop, a persistent wineserver, notepad and the helper."""
    env, prefix = winenv.env, winenv.prefix
    # The first winpy run creates the prefix (language, virtual desktop, no winedbg).
    made = subprocess.run(
        [winenv.winpy, "-c", "print('prefix ready')"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if made.returncode != 0:
        raise RuntimeError(f"winpy could not create the prefix {prefix}:\n{made.stderr[-3000:]}")
    # Wine's virtual desktop: without it, windows of a background process are not given
    # the X input focus reliably (and the picker flickered under a window manager).
    for key, value, data in (
        ("HKCU\\Software\\Wine\\Explorer", "Desktop", "Default"),
        ("HKCU\\Software\\Wine\\Explorer\\Desktops", "Default", "1280x800"),
    ):
        subprocess.run(
            ["wine", "reg", "add", key, "/v", value, "/d", data, "/f"],
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
    subprocess.run(["wineserver", "-k"], env=env, check=False, timeout=60, capture_output=True)
    subprocess.run(["wineserver", "-w"], env=env, check=False, timeout=60, capture_output=True)
    server = subprocess.Popen(
        ["wineserver", "-f", "-p"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    winenv.procs.append(server)
    winenv.wine("notepad")
    winenv.helper = Helper([winenv.winpy, winpath(HELPER)], env)
    wait_for(lambda: winenv.helper.ask("notepad")["found"], 60, "notepad to start")  # type: ignore[union-attr]


def close_winenv(winenv: WinEnv) -> None:
    if winenv.helper is not None:
        winenv.helper.close()
    subprocess.run(
        ["wineserver", "-k"], env=winenv.env, check=False, timeout=60, capture_output=True
    )
    if winenv.helper is not None:
        winenv.helper.release_streams()
    for process in reversed(winenv.procs):
        stop_group(process)


def selected_locales() -> list[str]:
    wanted = os.environ.get("HUASHU_E2E_LOCALES", "en,zh")
    return [name.strip() for name in wanted.split(",") if name.strip() in LOCALES]


# -- Huashu ----------------------------------------------------------------------------------


@dataclass
class Huashu:
    """The running app (``python -m app`` or ``Huashu.exe``) with its HUASHU_HOME."""

    winenv: WinEnv
    home: Path
    mode: str
    process: subprocess.Popen[bytes] | None = None
    log_start: int = 0

    @property
    def log_path(self) -> Path:
        return self.home / "logs" / "huashu.log"

    def log(self) -> str:
        if not self.log_path.exists():
            return ""
        return self.log_path.read_bytes()[self.log_start :].decode("utf-8", "replace")

    def cli(self, *args: str) -> str:
        """The host-side command line over the same data folder (expected texts)."""
        env = dict(os.environ, HUASHU_HOME=str(self.home), PYTHONIOENCODING="utf-8")
        env.pop("QT_QPA_PLATFORM", None)
        out = subprocess.run(
            [sys.executable, "-m", "app", *args],
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            cwd=REPO,
            check=False,
        )
        assert out.returncode == 0, out.stderr
        return out.stdout

    def render(self, phrase: str, **values: str) -> str:
        args = ["render", phrase]
        for name, value in values.items():
            args += ["--set", f"{name}={value}"]
        return self.cli(*args).rstrip("\n")

    def start(self) -> None:
        from app.core.settings import load_settings, save_settings

        settings_path = self.home / "settings.toml"
        settings = load_settings(settings_path)
        settings.paste_mode = self.mode
        save_settings(settings_path, settings)
        self.log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        env = dict(self.winenv.env, HUASHU_HOME=winpath(self.home), PYTHONUNBUFFERED="1")
        exe = os.environ.get("HUASHU_WIN_EXE") or os.environ.get("HUASHU_EXE", "")
        if exe:
            args = ["wine", exe]
            env["WINEDLLOVERRIDES"] = "mscms=n,b;winedbg.exe=d"
        else:
            args = [self.winenv.winpy, "-m", "app"]
        self.process = subprocess.Popen(
            args,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            cwd=REPO,
        )
        wait_for(lambda: "app.main: ready in" in self.log(), 120, "Huashu to be ready")

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process)
            self.process = None
            # Its hotkeys are free again once the process is gone.
            wait_for(lambda: self._hotkeys_free(), 30, "the hotkeys of the stopped Huashu")

    def _hotkeys_free(self) -> bool:
        helper = self.winenv.helper
        assert helper is not None
        probe = helper.ask("hold", mods=0x4003, vk=0x31, id=PROBE_ID)  # ctrl+alt+1
        if probe["ok"]:
            helper.ask("release", id=PROBE_ID)
        return bool(probe["ok"])


TEST_PACK = """\
[pack]
format = 1
name = "e2e"
version = "1.0.0"

[[categories]]
id = "e2e"
name = "测试"
order = 90

[[phrases]]
id = "e2e-fillin"
title = "发货通知"
body = "{顾客}您好，您的包裹已经发出，请留意查收。"
category = "e2e"
code = "fh9"
hotkey = "ctrl+alt+6"

[[phrases]]
id = "e2e-taken"
title = "被占用的快捷键"
body = "这句不应出现"
category = "e2e"
hotkey = "ctrl+alt+7"

[[phrases]]
id = "e2e-lines"
title = "多行回复"
body = "第一行：您好\\n第二行 second line\\n第三行，谢谢！"
category = "e2e"
hotkey = "ctrl+alt+8"
"""

#: The combination another program holds (the helper registers it before Huashu starts).
TAKEN = "ctrl+alt+7"
TAKEN_MODS, TAKEN_VK = 0x4003, 0x37  # MOD_CONTROL | MOD_ALT | MOD_NOREPEAT, '7'
TAKEN_ID, PROBE_ID = 0x0B0B, 0x0B0C

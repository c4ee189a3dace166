"""Fixtures for the platform tests: a real Xvfb server, target windows, a fake keyboard OS.

X-server tests are marked ``e2e``. With ``CI=true`` a missing Xvfb/xdotool/xclip FAILS
them (CI must really run them); elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import json
import os
import queue
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
TARGET_SCRIPT = HERE / "paste_target.py"
PIPELINE_HELPER = HERE / "pipeline_helper.py"

_DEBIAN_PACKAGES = {"Xvfb": "xvfb", "xdotool": "xdotool", "xclip": "xclip"}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def require_or_skip(reason: str) -> None:
    """Fail under CI, skip elsewhere."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: X11 end-to-end tests must run)", pytrace=False)
    pytest.skip(reason)


def require_tools(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        packages = " ".join(_DEBIAN_PACKAGES.get(t, t) for t in missing)
        require_or_skip(f"{', '.join(missing)} not found (apt-get install {packages})")


@pytest.fixture(scope="session")
def xvfb_display() -> Iterator[str]:
    """A private Xvfb server for the whole session; yields its display name (":N")."""
    require_tools("Xvfb", "xdotool", "xclip")
    try:
        import Xlib.display  # noqa: F401
    except ImportError:
        require_or_skip("python-xlib is not installed")
    read_fd, write_fd = os.pipe()
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    # -displayfd: Xvfb picks a free display number and writes it once it is ready.
    process = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write_fd),
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=log,
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
        process.wait(timeout=5)
        log.seek(0)
        err = log.read().decode(errors="replace")[-500:]
        log.close()
        require_or_skip(f"Xvfb did not start: {err}")
    display = f":{number.decode().strip()}"
    try:
        yield display
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


@pytest.fixture
def x11_env(xvfb_display: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """DISPLAY points at the test Xvfb for this test; returns the display name."""
    monkeypatch.setenv("DISPLAY", xvfb_display)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("XDG_SESSION_TYPE", "x11")
    return xvfb_display


def x_env(display: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", PYTHONIOENCODING="utf-8")
    env.pop("WAYLAND_DISPLAY", None)
    return env


class JsonProcess:
    """A child process speaking JSON lines on stdout; commands go to stdin."""

    def __init__(self, args: list[str], display: str) -> None:
        self.process = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=x_env(display),
        )
        self._lines: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._stderr: list[str] = []
        self.ready: dict[str, Any] = {}
        self._readers = [
            threading.Thread(target=self._read_stdout, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            line = line.strip()
            if line.startswith("{"):
                self._lines.put(json.loads(line))
        self._lines.put(None)

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._stderr.append(line)

    @property
    def stderr(self) -> str:
        return "".join(self._stderr)

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def wait_for(
        self, event: str, timeout: float = 10.0, where: Callable[[dict[str, Any]], bool] = bool
    ) -> dict[str, Any]:
        """The next line whose ``event`` matches (earlier other lines are dropped)."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(
                    f"no '{event}' from {self.process.args!r} within {timeout} s; "
                    f"stderr:\n{self.stderr}"
                )
            try:
                item = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if item is None:
                self.process.wait(timeout=5)
                self._readers[1].join(timeout=5)
                raise RuntimeError(f"{self.process.args!r} exited; stderr:\n{self.stderr}")
            if item.get("event") == event and where(item):
                return item

    def drain(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        while True:
            try:
                item = self._lines.get_nowait()
            except queue.Empty:
                return items
            if item is not None:
                items.append(item)

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.send("quit")
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait(timeout=5)
        for reader in self._readers:
            reader.join(timeout=5)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass


class Target(JsonProcess):
    """The paste target window (tests/platform/paste_target.py)."""

    def __init__(self, display: str, kind: str = "lineedit") -> None:
        super().__init__([sys.executable, str(TARGET_SCRIPT), kind], display)
        self.wait_for("ready", timeout=20)

    def dump(self) -> dict[str, Any]:
        self.send("dump")
        return self.wait_for("dump")

    def wait_text(self, expected: str, timeout: float = 5.0) -> dict[str, Any]:
        seen: list[str] = []

        def matches(event: dict[str, Any]) -> bool:
            seen.append(event["text"])
            return bool(event["text"] == expected)

        try:
            return self.wait_for("changed", timeout, where=matches)
        except TimeoutError:
            last = seen[-1] if seen else "(no change)"
            raise AssertionError(
                f"target text never became {expected!r}; last seen {last!r}"
            ) from None


@pytest.fixture
def start_target(x11_env: str) -> Iterator[Callable[..., Target]]:
    """Factory: start a target window on the test Xvfb (closed at the end)."""
    started: list[Target] = []

    def start(kind: str = "lineedit") -> Target:
        target = Target(x11_env, kind)
        started.append(target)
        return target

    yield start
    for target in started:
        target.close()


@pytest.fixture
def start_pipeline_helper(x11_env: str) -> Iterator[Callable[..., JsonProcess]]:
    """Factory: the Qt (xcb) process running PastePipeline (tests/platform/pipeline_helper.py)."""
    started: list[JsonProcess] = []

    def start(*args: str) -> JsonProcess:
        helper = JsonProcess([sys.executable, str(PIPELINE_HELPER), *args], x11_env)
        started.append(helper)
        helper.ready = helper.wait_for("ready", timeout=20)
        return helper

    yield start
    for helper in started:
        helper.close()


class XTools:
    """xdotool and xclip on the test display: another X client acting like the user."""

    def __init__(self, display: str) -> None:
        self.display = display

    def xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], check=True, env=x_env(self.display), timeout=10)

    def output(self, *args: str) -> str:
        result = subprocess.run(
            ["xdotool", *args],
            check=True,
            capture_output=True,
            text=True,
            env=x_env(self.display),
            timeout=10,
        )
        return result.stdout.strip()

    def key(self, keys: str) -> None:
        """Press and release a combination, e.g. ``ctrl+alt+1``."""
        self.xdotool("key", "--delay", "0", keys)

    def clip_set(self, data: bytes, target: str = "UTF8_STRING") -> None:
        """Put ``data`` on the CLIPBOARD from another client (xclip keeps serving it)."""
        subprocess.run(
            ["xclip", "-selection", "clipboard", "-t", target, "-i"],
            input=data,
            check=True,
            env=x_env(self.display),
            timeout=10,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # xclip forks a child that takes the selection: wait until it serves the data, or
        # a reader that comes right after (a loaded machine) sees the old clipboard.
        deadline = time.monotonic() + 10
        while self.clip_get(target) != data and time.monotonic() < deadline:
            time.sleep(0.01)

    def clip_get(self, target: str = "UTF8_STRING") -> bytes:
        result = subprocess.run(
            ["xclip", "-selection", "clipboard", "-t", target, "-o"],
            check=False,
            capture_output=True,
            env=x_env(self.display),
            timeout=10,
        )
        return result.stdout

    def clip_targets(self) -> list[str]:
        return self.clip_get("TARGETS").decode().split()


@pytest.fixture
def xtools(x11_env: str) -> XTools:
    return XTools(x11_env)


# -- the keyboard package's fake OS layer ------------------------------------------------

# Scan codes of a small fake keyboard (Linux-like numbers); each name -> [(scan, modifiers)].
FAKE_KEYS: dict[str, list[tuple[int, tuple[str, ...]]]] = {
    "left ctrl": [(29, ())],
    "right ctrl": [(97, ())],
    "left alt": [(56, ())],
    "right alt": [(100, ())],
    "left shift": [(42, ())],
    "right shift": [(54, ())],
    "left windows": [(125, ())],
    "right windows": [(126, ())],
    "space": [(57, ())],
    "enter": [(28, ())],
    "left": [(105, ())],
    ",": [(51, ())],
    "f2": [(60, ())],
    **{str(d): [(1 + (d or 10), ())] for d in range(10)},
    **{c: [(200 + i, ())] for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")},
}
SCAN_NAMES = {codes[0][0]: name for name, codes in FAKE_KEYS.items()}


class FakeKeyboardOS:
    """Drives the real ``keyboard`` matcher without devices, from a fake hook thread.

    Events go through ``keyboard._listener.direct_callback`` on a separate thread (like
    the OS hook thread) and ``queue.join()`` follows EVERY event.
    """

    def __init__(self, keyboard: Any) -> None:
        self.kb = keyboard
        self.sent: list[tuple[str, str]] = []  # ("down"|"up", name) sent by the app
        self.typed: list[str] = []  # characters sent through type_unicode
        self.accepted: list[bool] = []  # direct_callback results of pushed events
        self.callback_threads: list[int] = []

    def map_name(self, name: str) -> list[tuple[int, tuple[str, ...]]]:
        if name not in FAKE_KEYS:
            raise ValueError(f"Key name {name!r} is not mapped to any known key.")
        return FAKE_KEYS[name]

    def os_press(self, scan_code: int) -> None:
        self.sent.append(("down", SCAN_NAMES.get(scan_code, str(scan_code))))

    def os_release(self, scan_code: int) -> None:
        self.sent.append(("up", SCAN_NAMES.get(scan_code, str(scan_code))))

    def event(self, kind: str, name: str, when: float | None = None) -> Any:
        from keyboard import KEY_DOWN, KEY_UP, KeyboardEvent

        return KeyboardEvent(
            event_type=KEY_DOWN if kind == "down" else KEY_UP,
            scan_code=FAKE_KEYS[name][0][0],
            name=name,
            time=when,
        )

    def push(self, *steps: str) -> list[bool]:
        """Push ``"down:left ctrl"``, ``"up:1"``... on a separate 'OS hook' thread and
        return what direct_callback answered for each (False = suppressed)."""
        results: list[bool] = []
        errors: list[BaseException] = []

        def hook_thread() -> None:
            try:
                for step in steps:
                    kind, name = step.split(":", 1)
                    results.append(bool(self.kb._listener.direct_callback(self.event(kind, name))))
                    self.kb._listener.queue.join()
            except BaseException as exc:  # pragma: no cover - surfaced below
                errors.append(exc)

        thread = threading.Thread(target=hook_thread, name="fake-os-hook")
        thread.start()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the fake hook thread hung"
        if errors:
            raise errors[0]
        self.accepted.extend(results)
        return results


@pytest.fixture
def fake_keyboard(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeKeyboardOS]:
    """The real keyboard package with its OS layer replaced (see platform-notes.md)."""
    import keyboard

    fake = FakeKeyboardOS(keyboard)
    os_keyboard = keyboard._os_keyboard
    monkeypatch.setattr(os_keyboard, "init", lambda: None)
    monkeypatch.setattr(os_keyboard, "listen", lambda callback: None)
    monkeypatch.setattr(os_keyboard, "map_name", fake.map_name)
    monkeypatch.setattr(os_keyboard, "press", fake.os_press)
    monkeypatch.setattr(os_keyboard, "release", fake.os_release)
    monkeypatch.setattr(os_keyboard, "type_unicode", fake.typed.append)
    keyboard._modifier_scan_codes.clear()
    keyboard._pressed_events.clear()
    keyboard._logically_pressed_keys.clear()
    keyboard._hotkeys.clear()
    keyboard._listener.init()
    # The processing thread that drains the event queue starts with the first hook; a
    # test that pushes events before any hook exists must not wait on an undrained queue.
    keyboard._listener.start_if_necessary()
    yield fake
    keyboard.unhook_all()
    keyboard._listener.queue.join()
    keyboard._pressed_events.clear()
    keyboard._logically_pressed_keys.clear()
    keyboard._modifier_scan_codes.clear()

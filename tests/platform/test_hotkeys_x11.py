"""X11 hotkeys on a real Xvfb server, pressed with xdotool (end-to-end).

The test process itself runs Qt offscreen; the backend opens its own python-xlib
connection to the test Xvfb, so no xcb Qt is needed in-process.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QThread

from app.platform.factory import make_hotkey_backend
from app.platform.hotkeys import Binding, HotkeyProblem

pytestmark = [pytest.mark.e2e, pytest.mark.linux_only("X server (Xvfb, xdotool)")]

# Grabs ctrl+alt+3 from another process (another X client) and holds it until stdin closes.
_OTHER_CLIENT = """
import sys
from Xlib import X, XK, display
d = display.Display()
root = d.screen().root
code = d.keysym_to_keycode(XK.string_to_keysym("3"))
root.grab_key(code, X.ControlMask | X.Mod1Mask, True, X.GrabModeAsync, X.GrabModeAsync)
d.sync()
print("grabbed", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def backend(qapp: Any, x11_env: str) -> Iterator[Any]:
    from app.platform.hotkeys_x11 import X11HotkeyBackend

    b = X11HotkeyBackend()
    yield b
    b.close()


class Hits:
    def __init__(self, backend: Any) -> None:
        self.names: list[str] = []
        self.threads: list[Any] = []
        self.times: list[float] = []
        backend.activated.connect(self.on_action)

    def on_action(self, name: str) -> None:
        self.times.append(time.perf_counter())
        self.threads.append(QThread.currentThread())
        self.names.append(name)


def test_grab_fires_on_the_gui_thread(qtbot: Any, qapp: Any, backend: Any, xtools: Any) -> None:
    hits = Hits(backend)
    table = {"ctrl+alt+1": "one", "ctrl+shift+f2": "f2", "ctrl+alt+space": "picker"}
    assert backend.apply(table) == []
    assert backend.registered() == ["ctrl+alt+1", "ctrl+alt+space", "ctrl+shift+f2"]
    latencies = []
    for _ in range(5):
        start = time.perf_counter()
        count = len(hits.names)
        xtools.key("ctrl+alt+1")
        qtbot.waitUntil(lambda c=count: len(hits.names) > c, timeout=3000)
        latencies.append(hits.times[-1] - start)
    xtools.key("ctrl+shift+F2")
    xtools.key("ctrl+alt+space")
    qtbot.waitUntil(lambda: len(hits.names) == 7, timeout=3000)
    assert hits.names == ["one"] * 5 + ["f2", "picker"]
    assert all(thread is qapp.thread() for thread in hits.threads)
    assert threading.current_thread() is threading.main_thread()
    print(f"\nxdotool-to-callback median {statistics.median(latencies) * 1000:.1f} ms")


def test_other_combinations_do_not_fire(qtbot: Any, backend: Any, xtools: Any) -> None:
    hits = Hits(backend)
    backend.apply({"ctrl+alt+1": "one"})
    xtools.key("ctrl+1")
    xtools.key("alt+1")
    xtools.key("ctrl+alt+shift+1")
    xtools.key("ctrl+alt+2")
    qtbot.wait(150)
    assert hits.names == []


def test_grab_works_with_numlock_and_capslock_on(qtbot: Any, backend: Any, xtools: Any) -> None:
    hits = Hits(backend)
    backend.apply({"ctrl+alt+1": "one"})
    for lock in ("Num_Lock", "Caps_Lock"):
        xtools.key(lock)
        before = len(hits.names)
        try:
            xtools.key("ctrl+alt+1")
            qtbot.waitUntil(lambda b=before: len(hits.names) == b + 1, timeout=3000)
        finally:
            xtools.key(lock)
    assert hits.names == ["one", "one"]


def test_the_key_is_consumed(qtbot: Any, backend: Any, xtools: Any, start_target: Any) -> None:
    target = start_target("lineedit")
    hits = Hits(backend)
    backend.apply({"ctrl+alt+1": "one"})
    xtools.key("ctrl+alt+1")
    qtbot.waitUntil(lambda: hits.names == ["one"], timeout=3000)
    xtools.key("x")
    target.wait_text("x")
    assert target.dump()["text"] == "x"  # the grabbed "1" never reached the window


def test_conflict_with_another_program(qtbot: Any, backend: Any, x11_env: str) -> None:
    other = subprocess.Popen(
        [sys.executable, "-c", _OTHER_CLIENT],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "grabbed"
        problems = backend.apply([Binding("alt+ctrl+3", "three"), Binding("ctrl+alt+4", "four")])
        assert problems == [
            HotkeyProblem(
                HotkeyProblem.TAKEN,
                "ctrl+alt+3",
                "three",
                "ctrl+alt+3 is already used by another program.",
            )
        ]
        assert backend.registered() == ["ctrl+alt+4"]  # the backend still works
    finally:
        assert other.stdin is not None and other.stdout is not None
        other.stdin.close()
        other.wait(timeout=10)
        other.stdout.close()
    # Free again once the other client quit: the next apply takes it.
    assert backend.apply([Binding("alt+ctrl+3", "three"), Binding("ctrl+alt+4", "four")]) == []
    assert backend.registered() == ["ctrl+alt+3", "ctrl+alt+4"]


def test_two_clients_and_release(qtbot: Any, qapp: Any, backend: Any, xtools: Any) -> None:
    from app.platform.hotkeys_x11 import X11HotkeyBackend

    second = X11HotkeyBackend()
    try:
        assert backend.apply({"ctrl+alt+5": "first"}) == []
        assert [p.code for p in second.apply({"ctrl+alt+5": "second"})] == [HotkeyProblem.TAKEN]
        backend.apply({})
        hits = Hits(second)
        assert second.apply({"ctrl+alt+5": "second"}) == []
        xtools.key("ctrl+alt+5")
        qtbot.waitUntil(lambda: hits.names == ["second"], timeout=3000)
    finally:
        second.close()


def test_pause_releases_all_but_the_pause_key(qtbot: Any, backend: Any, xtools: Any) -> None:
    hits = Hits(backend)
    table = {"ctrl+alt+6": "six", "ctrl+alt+9": "pause"}
    backend.apply(table)
    assert backend.apply(table, paused=True) == []
    xtools.key("ctrl+alt+6")
    xtools.key("ctrl+alt+9")
    qtbot.waitUntil(lambda: hits.names == ["pause"], timeout=3000)
    assert backend.apply(table) == []
    xtools.key("ctrl+alt+6")
    qtbot.waitUntil(lambda: hits.names == ["pause", "six"], timeout=3000)


def test_invalid_hotkey_is_a_problem(backend: Any) -> None:
    problems = backend.apply({"ctrl+alt+nokey": "bad"})
    assert [(p.code, p.hotkey) for p in problems] == [(HotkeyProblem.INVALID, "ctrl+alt+nokey")]
    assert "unknown key name" in problems[0].detail


def test_auto_factory_picks_x11(qapp: Any, x11_env: str) -> None:
    backend, reason = make_hotkey_backend("auto")
    try:
        assert backend.name == "x11"
        assert "XGrabKey" in reason
    finally:
        backend.close()

"""Which window has the focus, which program owns it, and where it is on the screen.

One Protocol (:class:`WindowInfo`) with backends:

- :class:`~app.platform.window_x11.X11WindowInfo`: ``_NET_ACTIVE_WINDOW`` (or the input
  focus walked up to its client window), ``WM_CLASS``, ``_NET_WM_NAME``, the frame
  geometry and ``_NET_WM_STATE_HIDDEN`` / ``WM_STATE`` for minimised windows.
- :class:`~app.platform.window_win.Win32WindowInfo`: ``GetForegroundWindow``, the process
  image name (``QueryFullProcessImageNameW``), ``GetWindowRect``, ``IsIconic``,
  ``IsWindow``.
- :class:`FakeWindowInfo` for tests.

The window object is the core's :class:`~app.core.appprofiles.TargetWindow`: matching it
to a profile is the core's job, this layer only describes windows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol

from app.core.appprofiles import Rect, TargetWindow
from app.platform import probe
from app.platform.window_state import GONE as GONE
from app.platform.window_state import MINIMISED as MINIMISED
from app.platform.window_state import NORMAL as NORMAL

log = logging.getLogger(__name__)


class WindowInfo(Protocol):
    name: str

    def focused(self) -> TargetWindow | None:
        """The top-level window that has the keyboard focus (None if none / unknown)."""
        ...

    def describe(self, window_id: int) -> TargetWindow | None:
        """The program and title of ``window_id`` (None when it no longer exists)."""
        ...

    def geometry(self, window_id: int) -> Rect | None:
        """Outer frame (x, y, width, height) in screen pixels; None when it is gone."""
        ...

    def state(self, window_id: int) -> str:
        """:data:`NORMAL`, :data:`MINIMISED` or :data:`GONE`."""
        ...

    def activate(self, window_id: int) -> bool:
        """Give the keyboard focus back to ``window_id`` (after our search box had it)."""
        ...

    def close(self) -> None: ...


@dataclass
class FakeWindowInfo:
    """:class:`WindowInfo` over a dict of windows; tests move and minimise them."""

    name: str = "fake"
    windows: dict[int, TargetWindow] = field(default_factory=dict)
    rects: dict[int, Rect] = field(default_factory=dict)
    minimised: set[int] = field(default_factory=set)
    focus: int | None = None
    activations: list[int] = field(default_factory=list)
    closed: bool = False

    def add(self, window: TargetWindow, rect: Rect = (100, 100, 600, 500)) -> TargetWindow:
        self.windows[window.id] = window
        self.rects[window.id] = rect
        return window

    def remove(self, window_id: int) -> None:
        self.windows.pop(window_id, None)
        self.rects.pop(window_id, None)

    def focused(self) -> TargetWindow | None:
        return self.windows.get(self.focus) if self.focus is not None else None

    def describe(self, window_id: int) -> TargetWindow | None:
        return self.windows.get(window_id)

    def geometry(self, window_id: int) -> Rect | None:
        return self.rects.get(window_id) if window_id in self.windows else None

    def state(self, window_id: int) -> str:
        if window_id not in self.windows:
            return GONE
        return MINIMISED if window_id in self.minimised else NORMAL

    def activate(self, window_id: int) -> bool:
        self.activations.append(window_id)
        if window_id in self.windows:
            self.focus = window_id
            return True
        return False

    def close(self) -> None:
        self.closed = True


class NoWindowInfo:
    """Where no backend works: nothing is known, so every window gets the default profile."""

    name = "none"

    def focused(self) -> TargetWindow | None:
        return None

    def describe(self, window_id: int) -> TargetWindow | None:
        return None

    def geometry(self, window_id: int) -> Rect | None:
        return None

    def state(self, window_id: int) -> str:
        return GONE

    def activate(self, window_id: int) -> bool:
        return False

    def close(self) -> None:
        pass


def make_window_info() -> tuple[WindowInfo, str]:
    """The backend for this system and why; :class:`NoWindowInfo` when none works."""
    if probe.is_windows():
        from app.platform.window_win import Win32WindowInfo

        return Win32WindowInfo(), "Win32 foreground window and process image name"
    problem = probe.x11_problem()
    if problem is None:
        from app.platform.window_x11 import X11WindowInfo

        try:
            return X11WindowInfo(), "X11 _NET_ACTIVE_WINDOW and WM_CLASS"
        except Exception as exc:  # the display went away between probe and open
            problem = str(exc)
    log.warning("no window information (%s): every app gets the default profile", problem)
    return NoWindowInfo(), f"none ({problem})"


if False:  # pragma: no cover - the backends satisfy the protocol (checked by mypy)
    _fake: WindowInfo = FakeWindowInfo()
    _none: WindowInfo = NoWindowInfo()

""":class:`~app.platform.window.WindowInfo` on X11 (python-xlib, its own connection).

The focused window is the window manager's ``_NET_ACTIVE_WINDOW``; without an EWMH
window manager, the input focus walked up to the first window that has a ``WM_CLASS``
(the client window). ``app`` is the WM_CLASS class (``XTerm``), ``instance`` its
instance name (``xterm``). Geometry is the client's position on the root window grown
by ``_NET_FRAME_EXTENTS`` (the title bar and borders). A window is minimised when its
``WM_STATE`` is Iconic, its ``_NET_WM_STATE`` has ``_NET_WM_STATE_HIDDEN`` or it is not
mapped; it is gone when the server says BadWindow.
"""

from __future__ import annotations

import logging
from typing import Any

from app.core.appprofiles import Rect, TargetWindow
from app.platform.window_state import GONE, MINIMISED, NORMAL
from app.platform.x11 import open_display

log = logging.getLogger(__name__)

ICONIC_STATE = 3


class X11WindowInfo:
    name = "x11"

    def __init__(self, display_name: str | None = None) -> None:
        from Xlib import error

        self._display: Any = open_display(display_name)
        self._errors = (error.XError, error.BadWindow, error.BadDrawable, error.BadMatch)
        self._display.set_error_handler(lambda *_args: None)  # async errors: ignore
        self._root = self._display.screen().root
        self._atoms: dict[str, int] = {}

    def _atom(self, name: str) -> int:
        atom = self._atoms.get(name)
        if atom is None:
            atom = int(self._display.intern_atom(name))
            self._atoms[name] = atom
        return atom

    def _window(self, window_id: int) -> Any:
        return self._display.create_resource_object("window", window_id)

    def _property(self, window: Any, name: str, kind: int = 0) -> Any:
        from Xlib import X

        prop = window.get_full_property(self._atom(name), kind or X.AnyPropertyType)
        return None if prop is None else prop.value

    # -- WindowInfo ---------------------------------------------------------------------

    def focused(self) -> TargetWindow | None:
        try:
            active = self._property(self._root, "_NET_ACTIVE_WINDOW")
            if active is not None and len(active) and int(active[0]):
                return self.describe(int(active[0]))
            focus = self._display.get_input_focus().focus
            if isinstance(focus, int):  # None or PointerRoot
                return None
            window = focus
            while window is not None and window.id != self._root.id:
                if window.get_wm_class() is not None:
                    return self.describe(int(window.id))
                window = window.query_tree().parent
        except self._errors:
            log.debug("reading the focused window failed", exc_info=True)
        return None

    def describe(self, window_id: int) -> TargetWindow | None:
        try:
            window = self._window(window_id)
            wm_class = window.get_wm_class()
            instance, klass = wm_class if wm_class else ("", "")
            return TargetWindow(window_id, klass or instance, instance, self._title(window))
        except self._errors:
            return None

    def _title(self, window: Any) -> str:
        name = self._property(window, "_NET_WM_NAME", self._atom("UTF8_STRING"))
        if isinstance(name, bytes):
            return name.decode("utf-8", "replace")
        if isinstance(name, str):
            return name
        legacy = window.get_wm_name()
        if isinstance(legacy, bytes):
            return legacy.decode("latin-1")
        return legacy or ""

    def geometry(self, window_id: int) -> Rect | None:
        try:
            window = self._window(window_id)
            geo = window.get_geometry()
            origin = self._root.translate_coords(window, 0, 0)
            left = right = top = bottom = 0
            extents = self._property(window, "_NET_FRAME_EXTENTS")
            if extents is not None and len(extents) == 4:
                left, right, top, bottom = (int(v) for v in extents)
            return (
                int(origin.x) - left,
                int(origin.y) - top,
                int(geo.width) + left + right,
                int(geo.height) + top + bottom,
            )
        except self._errors:
            return None

    def state(self, window_id: int) -> str:
        from Xlib import X

        try:
            window = self._window(window_id)
            attributes = window.get_attributes()
            wm_state = self._property(window, "WM_STATE")
            if wm_state is not None and len(wm_state) and int(wm_state[0]) == ICONIC_STATE:
                return MINIMISED
            net_state = self._property(window, "_NET_WM_STATE")
            if net_state is not None and self._atom("_NET_WM_STATE_HIDDEN") in list(net_state):
                return MINIMISED
            if attributes.map_state != X.IsViewable:
                return MINIMISED
            return NORMAL
        except self._errors:
            return GONE

    def activate(self, window_id: int) -> bool:
        from Xlib import X
        from Xlib.protocol import event

        try:
            window = self._window(window_id)
            message = event.ClientMessage(
                window=window,
                client_type=self._atom("_NET_ACTIVE_WINDOW"),
                # source 2: a pager/tool acting for the user, so the WM obeys
                data=(32, [2, X.CurrentTime, 0, 0, 0]),
            )
            mask = X.SubstructureRedirectMask | X.SubstructureNotifyMask
            self._root.send_event(message, event_mask=mask)
            self._display.sync()
            return True
        except self._errors:
            return False

    def close(self) -> None:
        self._display.close()

"""The states a window can be in (:meth:`app.platform.window.WindowInfo.state`).

Their own module so the backends (``window_x11``, ``window_win``) need not import
``window``, which imports them: no import circle.
"""

NORMAL = "normal"
MINIMISED = "minimised"
GONE = "gone"

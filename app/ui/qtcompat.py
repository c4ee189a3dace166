"""Work-arounds for bugs of the Qt binding that the app must survive.

PySide6 6.12 on CPython 3.11 and older returns ``None`` from every void method (``setText``,
``setData``, ``setTitle``...) without taking a new reference to it, so each such call takes
one reference away from ``None``. A tray app makes thousands of them: after a while the
interpreter aborts with "Fatal Python error: none_dealloc" (measured: 2,000 ``QMenu.setTitle``
calls lower ``sys.getrefcount(None)`` by 2,000; a process that started with about 5,000
aborts at exit). CPython 3.12 made ``None`` immortal, which hides the bug there (the
Windows build runs 3.12). :func:`keep_none_alive` gives older interpreters the same
protection by adding a huge number of references to ``None`` once at start-up.
"""

from __future__ import annotations

import sys

#: References added to ``None``: more than any process makes void calls in its lifetime.
EXTRA_NONE_REFS = 1 << 40


def keep_none_alive() -> bool:
    """Protect ``None`` from the binding's missing references; True if it was needed."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    import ctypes

    # ob_refcnt is the first field of every object in a release build of CPython.
    refcount = ctypes.c_ssize_t.from_address(id(None))
    if refcount.value >= EXTRA_NONE_REFS:
        return False  # already done
    refcount.value += EXTRA_NONE_REFS
    return True


def quick_feature_check() -> bool:
    """Let PySide6's import hook read module sources directly; True if it was put in.

    For its ``__feature__`` switching, PySide6 asks of every module imported after it
    whether its source mentions "PySide6", through ``inspect.getsource`` (tokenize and
    linecache: ~0.2 ms a module). Run from source, the app imports ~200 modules after Qt:
    ~40 ms of its start-up. Reading the file's bytes answers the same question in a tenth
    of that; anything but a plain ``.py`` file still goes to PySide6's own check (a frozen
    build has no sources, so it never paid this).
    """
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "quick", False):
        return False

    def uses_pyside(module: object) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return bool(original(module))
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return bool(original(module))

    uses_pyside.quick = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]
    return True

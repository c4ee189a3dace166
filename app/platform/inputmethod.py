"""Chinese input methods on Linux: make fcitx5 (and ibus) work in Huashu's own windows.

The PySide6 wheel ships Qt's ``ibus`` input-context plugin but no ``fcitx``/``fcitx5`` one,
so with ``QT_IM_MODULE=fcitx`` (the usual fcitx5 setup) Qt loads no input method and the
picker and the fill-in form get raw Latin letters. fcitx5 also serves the IBus protocol
(its ``ibus`` frontend addon), so Qt's ibus plugin reaches it: when fcitx is asked for,
its plugin is missing, the ibus plugin is there and an IBus bus address is published
(``IBUS_ADDRESS`` or a file in ``~/.config/ibus/bus``), ``QT_IM_MODULE`` is set to ``ibus``
before the QApplication is created. When that cannot work, :func:`configure` returns a
problem the app tells the user once.

This is decided before Qt starts, from the environment and files only.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Collection, Mapping, MutableMapping
from pathlib import Path

log = logging.getLogger(__name__)

_PLUGIN = re.compile(r"^(?:lib)?(\w+?)platforminputcontextplugin\.(?:so|dll|dylib)$")


def requested_module(env: Mapping[str, str]) -> str:
    """The input method the desktop asks for ("fcitx", "ibus", ... or "")."""
    explicit = env.get("QT_IM_MODULE", "").strip().lower()
    if explicit:
        return explicit
    modifiers = env.get("XMODIFIERS", "")
    match = re.search(r"@im=(\w+)", modifiers)
    if match:
        return match.group(1).lower()
    return env.get("GTK_IM_MODULE", "").strip().lower()


def available_plugins(plugin_dir: Path | None = None) -> set[str]:
    """Input-context plugins Qt can load (``ibus``, ``compose``, ``fcitx5``...)."""
    if plugin_dir is None:
        try:
            from PySide6.QtCore import QLibraryInfo

            base = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
        except ImportError:
            return set()
        plugin_dir = base / "platforminputcontexts"
    try:
        names = [p.name for p in plugin_dir.iterdir()]
    except OSError:
        return set()
    return {m.group(1) for m in map(_PLUGIN.match, names) if m}


def ibus_address_known(env: Mapping[str, str], home: Path | None = None) -> bool:
    """Whether an IBus bus (ibus-daemon, or fcitx5's ibus frontend) published its address."""
    if env.get("IBUS_ADDRESS"):
        return True
    config = env.get("XDG_CONFIG_HOME") or str((home or Path.home()) / ".config")
    bus = Path(config) / "ibus" / "bus"
    try:
        return any(bus.iterdir())
    except OSError:
        return False


def plan(
    requested: str, plugins: Collection[str], ibus_address: bool
) -> tuple[str | None, str | None]:
    """(value for ``QT_IM_MODULE`` or None to leave it, problem for the user or None)."""
    if not requested or requested in plugins:
        return None, None
    if requested.startswith("fcitx"):
        if "ibus" in plugins and ibus_address:
            return "ibus", None
        if "ibus" not in plugins:
            return None, "Qt has neither an fcitx nor an ibus input-method plugin"
        return None, (
            "fcitx5 publishes no IBus address: enable its IBus frontend (the fcitx5 'ibus' "
            "addon, e.g. Debian package fcitx5-frontend-all), then restart Huashu"
        )
    if requested == "ibus":
        return None, "Qt's ibus input-method plugin is missing"
    return None, None  # xim, compose, ...: nothing we can improve


def configure(
    env: MutableMapping[str, str] | None = None,
    plugins: Collection[str] | None = None,
    home: Path | None = None,
) -> str | None:
    """Adjust ``QT_IM_MODULE`` in ``env`` (default ``os.environ``) before Qt starts, on
    Linux only; return a problem to tell the user once, or None."""
    if not sys.platform.startswith("linux"):
        return None
    env = os.environ if env is None else env
    requested = requested_module(env)
    if not requested:
        return None
    found = available_plugins() if plugins is None else plugins
    value, problem = plan(requested, found, ibus_address_known(env, home))
    if value is not None:
        log.info("input method %s: no Qt plugin for it; using its ibus frontend", requested)
        env["QT_IM_MODULE"] = value
    if problem:
        log.warning("input method %s: %s", requested, problem)
    return problem
